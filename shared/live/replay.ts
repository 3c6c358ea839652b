// A seeded synthetic market session for `stratos replay`: per symbol a random walk whose volatility switches
// between calm and bursts (announced by volatility alerts), trades at the bid or the ask around a drifting
// quote with a spread that widens in bursts, minute bars built from those trades, and news items whose tone
// moves the drift for the next half hour. The same seed gives the same events, byte for byte.
import { createRng } from '../providers/demo/generate.ts';
import type { LiveEvent } from './events.ts';

/** What to generate. */
export interface ReplayOptions {
  seed: string;
  /** Symbols (default S001 ... S050). */
  symbols: string[];
  /** The pool announced at the start: the first `poolSize` symbols (all by default). */
  poolSize: number;
  /** Every this many minutes the pool moves on by a third of its size (0: never), to exercise pool changes. */
  poolRotateMinutes: number;
  /** Session start (epoch ms); each 390-minute session continues on the next weekday at the same time. */
  start: number;
  /** Stop after this many minutes or this many events, whichever comes first. */
  minutes: number;
  maxEvents: number;
}

/** 50 symbols, all in the pool, one 390-minute session from 2026-12-01 14:30 UTC. */
export const DEFAULT_REPLAY: ReplayOptions = {
  seed: 'stratos',
  symbols: Array.from({ length: 50 }, (_, i) => `S${String(i + 1).padStart(3, '0')}`),
  poolSize: 50,
  poolRotateMinutes: 0,
  start: Date.UTC(2026, 11, 1, 14, 30),
  minutes: 390,
  maxEvents: Number.POSITIVE_INFINITY,
};

const SESSION_MINUTES = 390;
const DAY_MS = 86_400_000;
const BASE_VOL = 0.0015;
const BURST_VOL = 4;

const GOOD = [
  'beats estimates as revenue jumps',
  'raises full-year guidance',
  'wins a major contract',
  'announces record profit and a buyback',
  'upgraded to buy on strong demand',
];
const BAD = [
  'misses estimates as sales fall',
  'cuts guidance on weak demand',
  'faces a regulatory probe',
  'reports a loss and warns on margins',
  'downgraded to sell after a plunge',
];

/** An event before its id is given (ids follow the emitted order). */
type Unnumbered = {
  [K in LiveEvent['kind']]: Omit<Extract<LiveEvent, { kind: K }>, 'id'>;
}[LiveEvent['kind']];

interface Walk {
  symbol: string;
  price: number;
  spread: number;
  drift: number;
  driftUntil: number;
  burstLeft: number;
}

/** The session's events in time order (ties: bars after the trades of their minute). */
export function* replayEvents(options: ReplayOptions): Generator<LiveEvent> {
  const rng = createRng(`live-replay:${options.seed}`);
  const n = options.symbols.length;
  const walks: Walk[] = options.symbols.map((symbol) => ({
    symbol,
    price: Math.round((10 + rng.uniform() * 490) * 100) / 100,
    spread: 0.0002 + rng.uniform() * 0.0008,
    drift: 0,
    driftUntil: 0,
    burstLeft: 0,
  }));
  let seq = 0;
  let emitted = 0;
  const id = () => `${options.seed}-${++seq}`;
  const poolSize = Math.min(options.poolSize, n);
  const poolAt = (offset: number) =>
    Array.from({ length: poolSize }, (_, i) => options.symbols[(offset + i) % n]!);
  let poolOffset = 0;
  const minuteTs = (m: number) => {
    const session = Math.floor(m / SESSION_MINUTES);
    let day = options.start;
    for (let k = 0; k < session; k++) {
      day += DAY_MS;
      while ([0, 6].includes(new Date(day).getUTCDay())) day += DAY_MS;
    }
    return day + (m % SESSION_MINUTES) * 60_000;
  };
  const emit = (e: LiveEvent) => {
    emitted++;
    return e;
  };

  yield emit({ id: id(), kind: 'pool', ts: options.start, symbols: poolAt(0) });
  for (let m = 0; m < options.minutes && emitted < options.maxEvents; m++) {
    const t0 = minuteTs(m);
    if (options.poolRotateMinutes > 0 && m > 0 && m % options.poolRotateMinutes === 0) {
      poolOffset += Math.max(1, Math.floor(poolSize / 3));
      yield emit({ id: id(), kind: 'pool', ts: t0, symbols: poolAt(poolOffset) });
    }
    const minute: { at: number; e: Unnumbered }[] = [];
    const bars: Unnumbered[] = [];
    for (const w of walks) {
      if (w.burstLeft === 0 && rng.uniform() < 0.01) {
        w.burstLeft = 3 + Math.floor(rng.uniform() * 8);
        minute.push({
          at: 0,
          e: { kind: 'volatility', ts: t0, symbol: w.symbol, state: 'burst', ratio: BURST_VOL },
        });
      }
      const burst = w.burstLeft > 0;
      if (rng.uniform() < 0.003) {
        const good = rng.uniform() < 0.5;
        const list = good ? GOOD : BAD;
        const at = Math.floor(rng.uniform() * 60_000);
        const headline = `${w.symbol} ${list[Math.floor(rng.uniform() * list.length)]}`;
        w.drift = (good ? 1 : -1) * BASE_VOL * 0.3;
        w.driftUntil = t0 + 30 * 60_000;
        const scored = rng.uniform() < 0.5;
        minute.push({
          at,
          e: {
            kind: 'news',
            ts: t0 + at,
            symbol: w.symbol,
            headline,
            source: 'replay',
            ...(scored ? { sentiment: good ? 0.6 : -0.6 } : {}),
          },
        });
      }
      if (t0 >= w.driftUntil) w.drift = 0;
      const vol = BASE_VOL * (burst ? BURST_VOL : 1);
      const trades = Math.max(1, Math.round((burst ? 40 : 20) * (0.5 + rng.uniform())));
      const step = vol / Math.sqrt(trades);
      const spread = w.spread * (burst ? 3 : 1);
      const times = Array.from({ length: trades }, () => Math.floor(rng.uniform() * 60_000)).sort(
        (a, b) => a - b,
      );
      let open = 0;
      let high = 0;
      let low = Number.POSITIVE_INFINITY;
      let volume = 0;
      for (let k = 0; k < trades; k++) {
        w.price = Math.max(0.01, w.price * Math.exp(w.drift / trades + step * rng.normal()));
        const half = (w.price * spread) / 2;
        const bid = Math.round((w.price - half) * 100) / 100;
        const ask = Math.max(bid + 0.01, Math.round((w.price + half) * 100) / 100);
        const at = times[k]!;
        if (k % 2 === 0)
          minute.push({
            at,
            e: {
              kind: 'quote',
              ts: t0 + at,
              symbol: w.symbol,
              bid,
              ask,
              bid_size: 100 * (1 + Math.floor(rng.uniform() * 20)),
              ask_size: 100 * (1 + Math.floor(rng.uniform() * 20)),
            },
          });
        // Buyers lift the ask more often when the walk drifts up, and the other way round.
        const buy = rng.uniform() < 0.5 + (w.drift > 0 ? 0.15 : w.drift < 0 ? -0.15 : 0);
        const price = buy ? ask : bid;
        const size = 100 * (1 + Math.floor(rng.uniform() * (burst ? 30 : 10)));
        minute.push({ at: at + 1, e: { kind: 'trade', ts: t0 + at, symbol: w.symbol, price, size } });
        if (k === 0) open = price;
        high = Math.max(high, price);
        low = Math.min(low, price);
        volume += size;
        if (k === trades - 1)
          bars.push({
            kind: 'bar',
            ts: t0 + 60_000,
            symbol: w.symbol,
            interval: '1m',
            open,
            high,
            low,
            close: price,
            volume,
          });
      }
      if (burst && --w.burstLeft === 0)
        bars.push({ kind: 'volatility', ts: t0 + 60_000, symbol: w.symbol, state: 'calm', ratio: 1 });
    }
    minute.sort((a, b) => a.at - b.at);
    for (const { e } of minute) {
      if (emitted >= options.maxEvents) return;
      yield emit({ id: id(), ...e } as LiveEvent);
    }
    for (const e of bars) {
      if (emitted >= options.maxEvents) return;
      yield emit({ id: id(), ...e } as LiveEvent);
    }
  }
}
