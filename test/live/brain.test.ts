import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIVE,
  LiveBrain,
  type LiveConfig,
  type LiveDecision,
  type LiveExperience,
  type LiveState,
} from '../../shared/live/brain.ts';
import type { LiveEvent } from '../../shared/live/events.ts';
import { DEFAULT_REPLAY, replayEvents } from '../../shared/live/replay.ts';

const T0 = Date.UTC(2026, 11, 1, 14, 30);
const MIN = 60_000;

/** Closes: a quiet start, a decline, a rebound, a fall (MACD crosses, an RSI rebound, stops and targets). */
function closes(): number[] {
  const out: number[] = [];
  let p = 100;
  const leg = (n: number, step: (i: number) => number) => {
    for (let i = 0; i < n; i++) {
      p *= step(i);
      out.push(p);
    }
  };
  leg(40, (i) => (i % 2 ? 1.001 : 0.999));
  leg(15, () => 0.995);
  leg(25, () => 1.008);
  leg(20, () => 0.985);
  return out;
}

function bars(symbol: string, cs = closes(), from = 0): LiveEvent[] {
  return cs.map((c, i) => {
    const o = i ? cs[i - 1]! : c;
    return {
      id: `${symbol}-b${i}`,
      kind: 'bar',
      ts: T0 + (from + i + 1) * MIN,
      symbol,
      interval: '1m',
      open: o,
      high: Math.max(o, c) * 1.001,
      low: Math.min(o, c) * 0.999,
      close: c,
      volume: 1000,
    };
  });
}

const pool = (symbols: string[], ts = T0): LiveEvent => ({
  id: `pool-${ts}-${symbols.join('')}`,
  kind: 'pool',
  ts,
  symbols,
});

async function run(events: LiveEvent[], config: LiveConfig = DEFAULT_LIVE, brain = new LiveBrain(config)) {
  const decisions: LiveDecision[] = [];
  const experiences: LiveExperience[] = [];
  for (const e of events) {
    const out = await brain.handle(e);
    decisions.push(...out.decisions);
    experiences.push(...out.experiences);
  }
  return { brain, decisions, experiences };
}

describe('the live decision path', () => {
  it('enters on a setup with consensus through a paper bracket, fills at the next open, exits by its legs and signals', async () => {
    const news: LiveEvent = {
      id: 'n1',
      kind: 'news',
      ts: T0 + 20 * MIN,
      symbol: 'AAA',
      headline: 'AAA beats estimates as revenue jumps',
    };
    const all = bars('AAA');
    const { brain, decisions, experiences } = await run([
      pool(['AAA']),
      ...all.slice(0, 20),
      news,
      ...all.slice(20),
    ]);
    const buys = decisions.filter((d) => d.action === 'buy');
    expect(buys.length).toBeGreaterThan(0);
    for (const b of buys) {
      // The client order id is the event's: the same event can never place a second order.
      expect(b.clientOrderId).toBe(`live-${b.eventId}`);
      expect(b.rules.map((r) => r.rule)).toEqual([
        'daily_profit_cap',
        'entry_threshold',
        'consensus',
        'lock',
        'max_positions',
        'regime',
        'conviction',
        'volatility_burst',
      ]);
      expect(b.rules.every((r) => r.allow)).toBe(true);
      expect(b.snapshot.sentiment).toBeGreaterThan(0.5);
      expect(b.reason).toMatch(/stop .* \(-1%\), target .* \(\+2%\)$/);
      // Filled at the next bar's open plus the 5 bp slippage: no look-ahead into the bar that decided it.
      const i = all.findIndex((e) => e.id === b.eventId);
      const next = all[i + 1] as Extract<LiveEvent, { kind: 'bar' }>;
      const fill = decisions.find((d) => d.action === 'entry_filled' && d.clientOrderId === b.clientOrderId)!;
      expect(fill.eventId).toBe(next.id);
      expect(fill.price).toBeCloseTo(next.open * 1.0005, 9);
    }
    const exits = decisions.filter((d) => d.action === 'exit_filled');
    expect(exits.some((d) => d.clientOrderId?.endsWith('-tp') && d.reason.includes(': win'))).toBe(true);
    expect(exits.some((d) => d.reason.startsWith('signal exit'))).toBe(true);
    // Every entry and exit is an experience with its snapshot; outcomes feed conviction per setup.
    expect(experiences.filter((x) => x.kind === 'entry')).toHaveLength(
      decisions.filter((d) => d.action === 'entry_filled').length,
    );
    expect(experiences.filter((x) => x.kind === 'exit')).toHaveLength(exits.length);
    const wins = experiences.filter((x) => x.outcome === 'win' && x.setup === 'rsi_oversold_exit').length;
    expect(brain.state().conviction.rsi_oversold_exit).toBe(
      wins - 2 * experiences.filter((x) => x.outcome === 'stop' && x.setup === 'rsi_oversold_exit').length,
    );
  });

  it('refuses an entry without consensus, and says which rule refused', async () => {
    const { decisions } = await run([pool(['AAA']), ...bars('AAA')]);
    const skips = decisions.filter((d) => d.action === 'skip');
    expect(skips.length).toBeGreaterThan(0);
    for (const s of skips) {
      expect(s.clientOrderId).toBeNull();
      const refused = s.rules.find((r) => !r.allow)!;
      expect(s.reason).toBe(`${s.setup}: ${refused.reason}`);
    }
    expect(
      skips.some((s) => s.reason.includes('voting sources positive') && s.reason.includes('fewer than 2')),
    ).toBe(true);
  });

  it('decides only for the pool and open positions, and prunes the rest when the pool changes', async () => {
    const b = new LiveBrain();
    await run([pool(['AAA', 'BBB']), ...bars('CCC').slice(0, 5)], DEFAULT_LIVE, b);
    expect(b.tracked()).toEqual(['AAA', 'BBB']);
    expect(b.state().counts.ignored).toBe(5);
    expect(b.state().symbols.CCC).toBeUndefined();
    await run([pool(['CCC'], T0 + MIN)], DEFAULT_LIVE, b);
    expect(b.tracked()).toEqual(['CCC']);
    expect(b.state().counts.pruned).toBe(2);
    // A held symbol stays tracked (its exits still need decisions) after it leaves the pool.
    const news: LiveEvent = {
      id: 'n',
      kind: 'news',
      ts: T0,
      symbol: 'AAA',
      headline: 'AAA raises full-year guidance',
      sentiment: 0.9,
    };
    const held = new LiveBrain();
    const all = bars('AAA');
    const { decisions } = await run([pool(['AAA']), news, ...all.slice(0, 37)], DEFAULT_LIVE, held);
    expect(decisions.some((d) => d.action === 'entry_filled')).toBe(true);
    expect(Object.keys(held.state().positions)).toEqual(['AAA']);
    await held.handle(pool(['ZZZ'], T0 + 40 * MIN));
    expect(held.tracked()).toEqual(['AAA', 'ZZZ']);
  });

  it('applies the microstructure gates only when they are on', async () => {
    const news: LiveEvent = { id: 'n', kind: 'news', ts: T0, symbol: 'AAA', headline: 'x', sentiment: 0.9 };
    const burst: LiveEvent = { id: 'v', kind: 'volatility', ts: T0, symbol: 'AAA', state: 'burst', ratio: 4 };
    const base = [pool(['AAA']), news, ...bars('AAA').slice(0, 36)];
    const calm = await run(base);
    expect(calm.decisions[0]?.action).toBe('buy');
    const bursty = await run([base[0]!, burst, ...base.slice(1)]);
    expect(bursty.decisions[0]).toMatchObject({
      action: 'skip',
      reason: 'macd_cross_up: volatility burst alert: no new entries until calm',
    });
    // VWAP from trades far below the bars: stretched, so the entry waits.
    const trades: LiveEvent[] = [
      { id: 't', kind: 'trade', ts: T0 + 1, symbol: 'AAA', price: 90, size: 1_000_000 },
    ];
    const stretched = { ...DEFAULT_LIVE, micro: { ...DEFAULT_LIVE.micro, vwap: { maxStretch: 0.01 } } };
    expect((await run([...base.slice(0, 2), ...trades, ...base.slice(2)])).decisions[0]?.action).toBe('buy');
    const vw = await run([...base.slice(0, 2), ...trades, ...base.slice(2)], stretched);
    expect(vw.decisions[0]?.reason).toMatch(
      /from VWAP, stretched beyond 1\.000%: waiting for mean reversion$/,
    );
    const atr = await run(base, {
      ...DEFAULT_LIVE,
      micro: { ...DEFAULT_LIVE.micro, atrStop: { multiple: 2 } },
    });
    expect(atr.decisions[0]?.reason).toMatch(/stop [\d.]+ \(2 x ATR [\d.]+\)/);
    const flow = await run(base, {
      ...DEFAULT_LIVE,
      micro: { ...DEFAULT_LIVE.micro, orderFlow: { min: 0.1 } },
    });
    expect(flow.decisions[0]?.reason).toBe('macd_cross_up: no classified trades yet');
    const z = await run(base, { ...DEFAULT_LIVE, micro: { ...DEFAULT_LIVE.micro, zscore: { maxZ: 0.5 } } });
    expect(z.decisions[0]?.reason).toMatch(/^macd_cross_up: z-score [\d.]+ above 0.5$/);
  });

  it('continues from a JSON snapshot exactly as without it, and keeps its state bounded over a rotating pool', async () => {
    const events = [
      ...replayEvents({
        ...DEFAULT_REPLAY,
        symbols: DEFAULT_REPLAY.symbols.slice(0, 12),
        poolSize: 6,
        poolRotateMinutes: 30,
        minutes: 150,
      }),
    ];
    const whole = await run(events);
    expect(whole.decisions.filter((d) => d.action === 'buy').length).toBeGreaterThan(3);
    const half = Math.floor(events.length / 2);
    const first = await run(events.slice(0, half));
    const restored = new LiveBrain(
      DEFAULT_LIVE,
      JSON.parse(JSON.stringify(first.brain.state())) as LiveState,
    );
    const second = await run(events.slice(half), DEFAULT_LIVE, restored);
    expect(JSON.stringify([...first.decisions, ...second.decisions])).toBe(JSON.stringify(whole.decisions));
    expect(whole.brain.state().counts.pruned).toBeGreaterThan(0);
    expect(whole.brain.tracked().length).toBeLessThanOrEqual(
      6 + Object.keys(whole.brain.state().positions).length,
    );
  });
});
