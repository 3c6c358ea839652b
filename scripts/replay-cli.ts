// `stratos replay`: a seeded synthetic market session (shared/live/replay.ts) as NDJSON on stdout, or XADDed
// to a Redis stream (one field `e` holding the event's JSON) for `stratos consume --redis`.
import { AppError } from '../shared/errors/index.ts';
import { DEFAULT_REPLAY, type ReplayOptions, replayEvents } from '../shared/live/replay.ts';
import { openRedis } from './consume-redis.ts';

type Values = Record<string, string | boolean | undefined>;

const usage = (message: string) => new AppError('invalid_input', message, { retryable: false });

function int(values: Values, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim()) || v < min || v > max)
    throw usage(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return v;
}

/** The session to generate from the command line. */
export function replayOptionsFrom(values: Values): ReplayOptions {
  const count = int(values, 'symbols', 1, 10_000) ?? DEFAULT_REPLAY.symbols.length;
  const start = values.start === undefined ? DEFAULT_REPLAY.start : Date.parse(String(values.start));
  if (!Number.isFinite(start)) throw usage('--start must be an ISO date-time (e.g. 2026-12-01T14:30:00Z)');
  const seed = typeof values.seed === 'string' ? values.seed : DEFAULT_REPLAY.seed;
  if (seed === '' || seed.length > 100 || !/^[\w.-]+$/.test(seed))
    throw usage('--seed must be 1-100 letters, digits, _ . -');
  return {
    seed,
    symbols: Array.from({ length: count }, (_, i) => `S${String(i + 1).padStart(3, '0')}`),
    poolSize: int(values, 'pool-size', 1, 10_000) ?? count,
    poolRotateMinutes: int(values, 'pool-rotate', 0, 100_000) ?? 0,
    start,
    minutes: int(values, 'minutes', 1, 1_000_000) ?? DEFAULT_REPLAY.minutes,
    maxEvents: int(values, 'events', 1, 1_000_000_000) ?? Number.POSITIVE_INFINITY,
  };
}

/** Writes the session to stdout in large chunks; stops quietly when the reader goes away (EPIPE). */
async function toStdout(opts: ReplayOptions): Promise<number> {
  let closed = false;
  process.stdout.on('error', () => {
    closed = true;
  });
  let buffer = '';
  for (const e of replayEvents(opts)) {
    buffer += `${JSON.stringify(e)}\n`;
    if (buffer.length > 262_144) {
      if (closed) return 0;
      if (!process.stdout.write(buffer)) await new Promise((r) => process.stdout.once('drain', r));
      buffer = '';
    }
  }
  if (!closed && buffer !== '') process.stdout.write(buffer);
  return 0;
}

async function toRedis(
  opts: ReplayOptions,
  url: string,
  stream: string,
  rate: number | undefined,
): Promise<number> {
  const redis = await openRedis(url);
  try {
    let pipe = redis.pipeline();
    let n = 0;
    let total = 0;
    const started = Date.now();
    for (const e of replayEvents(opts)) {
      pipe.xadd(stream, '*', 'e', JSON.stringify(e));
      n++;
      total++;
      if (n >= 1000 || rate !== undefined) {
        await pipe.exec();
        pipe = redis.pipeline();
        n = 0;
        // Paced: the next event waits until its slot at `rate` events per second.
        if (rate !== undefined) {
          const due = started + (total / rate) * 1000 - Date.now();
          if (due > 0) await new Promise((r) => setTimeout(r, due));
        }
      }
    }
    if (n > 0) await pipe.exec();
    console.error(`replay: ${total} events added to ${stream}`);
    return 0;
  } finally {
    redis.disconnect();
  }
}

/** `stratos replay [--redis URL --stream S]`. */
export function replayCommand() {
  const opt = (help: string) => ({ type: 'string' as const, help });
  return {
    summary:
      'emit a seeded synthetic market session (trades, quotes, minute bars, news, volatility bursts) as NDJSON',
    usage:
      'stratos replay [--seed S] [--symbols N] [--minutes M] [--events N] [--pool-size K] [--pool-rotate MIN] [--redis URL [--stream S] [--rate R]]',
    options: {
      seed: opt('the session seed (default stratos): the same seed gives the same events'),
      symbols: opt('symbols S001... (default 50)'),
      minutes: opt('minutes of session (default 390; sessions continue on the next weekday)'),
      events: opt('stop after this many events'),
      start: opt('session start, ISO date-time (default 2026-12-01T14:30:00Z)'),
      'pool-size': opt('the opportunity pool announced at the start: the first K symbols (default all)'),
      'pool-rotate': opt('move the pool on by a third every this many minutes (default 0: never)'),
      redis: opt('XADD to a Redis stream (redis://host:port) instead of stdout'),
      stream: opt('the stream (default market:updates)'),
      rate: opt('with --redis: events per second (default: as fast as possible)'),
    },
    run: ({ values }: { values: Values }): Promise<number> => {
      const opts = replayOptionsFrom(values);
      if (typeof values.redis !== 'string') return toStdout(opts);
      if (!/^rediss?:\/\//.test(values.redis)) throw usage('--redis must be a redis:// URL');
      const stream = typeof values.stream === 'string' ? values.stream : 'market:updates';
      return toRedis(opts, values.redis, stream, int(values, 'rate', 1, 1_000_000));
    },
  };
}
