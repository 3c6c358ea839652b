// The live event stream: `npm run bench -- --only live`. (1) Events per second from NDJSON text through the
// whole decision path (line splitting, schema checks, indicators, risk, paper orders) for 50 active symbols,
// against plain JSON.parse of the same lines in the same run. (2) Through a real redis-server: a producer
// process XADDs at 5,000 events/s, the consumer group's brain decides; latency from XADD (the entry id's
// server time) to the event's decision, p50/p99. (3) Heap over a 1,000,000-event replay of 500 symbols
// whose 50-symbol pool rotates: the slope in MB per 100k events (flat: the pruning works).
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_LIVE, LiveBrain } from '../../shared/live/brain.ts';
import { NdjsonEvents } from '../../shared/live/events.ts';
import { DEFAULT_REPLAY, replayEvents } from '../../shared/live/replay.ts';
import { consumeRedis } from '../consume-redis.ts';
import { redisServerMissing, startRedisServer } from '../consume-redis-server.ts';
import { ROOT } from '../local/database.ts';
import { num, ratio, table } from './report.ts';

/** One line of the closing summary. */
export interface LiveVerdict {
  target: string;
  result: string;
  pass: boolean;
}

const TARGET_EVENTS_S = 50_000;
const TARGET_P99_MS = 10;
const REDIS_RATE = 5_000;

const load = () => loadavg()[0]!.toFixed(1);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

async function throughput(events: number): Promise<{ ours: number; anchor: number; decisions: number }> {
  const opts = { ...DEFAULT_REPLAY, seed: 'bench', minutes: 100_000, maxEvents: events };
  const lines = [...replayEvents(opts)].map((e) => JSON.stringify(e));
  const text = `${lines.join('\n')}\n`;
  // 64 KiB chunks, as a pipe delivers them.
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 65_536) chunks.push(text.slice(i, i + 65_536));
  let best = { ours: 0, anchor: 0, decisions: 0 };
  for (let round = 0; round < 3; round++) {
    let t = performance.now();
    let sink = 0;
    for (const l of lines) sink += (JSON.parse(l) as { ts: number }).ts & 1;
    const anchor = lines.length / ((performance.now() - t) / 1000);
    t = performance.now();
    const brain = new LiveBrain(DEFAULT_LIVE);
    const reader = new NdjsonEvents();
    let decisions = 0;
    for (const c of chunks)
      for (const e of reader.push(c)) decisions += (await brain.handle(e)).decisions.length;
    const ours = lines.length / ((performance.now() - t) / 1000);
    if (reader.malformedCount > 0 || sink < 0) throw new Error('the bench session has malformed lines');
    if (ours > best.ours) best = { ours, anchor: Math.max(anchor, best.anchor), decisions };
  }
  return best;
}

async function redisLatency(
  events: number,
): Promise<{ p50: number; p99: number; max: number; n: number; rate: number }> {
  const server = await startRedisServer();
  try {
    const producer = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/cli.ts',
        'replay',
        '--redis',
        server.url,
        '--seed',
        'bench-redis',
        '--minutes',
        '100000',
        '--events',
        String(events),
        '--rate',
        String(REDIS_RATE),
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const latencies: number[] = [];
    let first = 0;
    let last = 0;
    await consumeRedis(DEFAULT_LIVE, {
      url: server.url,
      stream: 'market:updates',
      group: 'bench',
      consumer: 'bench',
      batch: 500,
      blockMs: 1000,
      claimIdleMs: 30_000,
      idleExitMs: 60_000,
      maxEntries: events,
      onEvent: (entryId) => {
        // The entry id's milliseconds are the server's clock at XADD (the same machine's clock).
        const now = Date.now();
        latencies.push(now - Number(entryId.slice(0, entryId.indexOf('-'))));
        if (first === 0) first = now;
        last = now;
      },
    });
    await new Promise((r) => (producer.exitCode !== null ? r(null) : producer.once('exit', r)));
    latencies.sort((a, b) => a - b);
    return {
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1) ?? Number.NaN,
      n: latencies.length,
      rate: latencies.length / Math.max(1e-9, (last - first) / 1000),
    };
  } finally {
    await server.stop();
  }
}

async function memorySlope(
  events: number,
): Promise<{ slope: number; samples: [number, number][]; tracked: number }> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const symbols = Array.from({ length: 500 }, (_, i) => `S${String(i + 1).padStart(3, '0')}`);
  const opts = {
    ...DEFAULT_REPLAY,
    seed: 'bench-memory',
    symbols,
    poolSize: 50,
    poolRotateMinutes: 10,
    minutes: 1_000_000,
    maxEvents: events,
  };
  const brain = new LiveBrain(DEFAULT_LIVE);
  const samples: [number, number][] = [];
  const step = events / 10;
  let n = 0;
  for (const e of replayEvents(opts)) {
    await brain.handle(e);
    if (++n % step === 0) {
      gc();
      samples.push([n, process.memoryUsage().heapUsed / 1_048_576]);
    }
  }
  // Least squares over the samples after the first (the warm-up fills the pool's state).
  const pts = samples.slice(1);
  const mx = pts.reduce((a, [x]) => a + x, 0) / pts.length;
  const my = pts.reduce((a, [, y]) => a + y, 0) / pts.length;
  const sxy = pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return { slope: (sxy / sxx) * 100_000, samples, tracked: brain.tracked().length };
}

/** The live section: prints its tables and returns its verdicts. */
export async function benchLive(opts: { quick?: boolean }): Promise<LiveVerdict[]> {
  const verdicts: LiveVerdict[] = [];
  const n = opts.quick ? 50_000 : 200_000;
  const tp = await throughput(n);
  console.log(
    table(
      ['path', 'events/s', 'time vs JSON.parse', 'load avg'],
      [
        ['JSON.parse of the lines (anchor)', num(tp.anchor), ratio(1), load()],
        [
          `NDJSON → decision path, 50 symbols (${tp.decisions} decisions)`,
          num(tp.ours),
          ratio(tp.anchor / tp.ours),
          load(),
        ],
      ],
      ['left', 'right', 'right', 'right'],
    ),
  );
  verdicts.push({
    target: `≥ ${num(TARGET_EVENTS_S)} events/s from stdin through the decision path, 50 symbols`,
    result: `${num(tp.ours)} events/s over ${num(n)} events (load ${load()})`,
    pass: tp.ours >= TARGET_EVENTS_S,
  });

  const missing = redisServerMissing();
  if (missing) {
    console.log(`\nRedis latency: n/a (${missing}; run scripts/ci/install-system-deps.sh)`);
    verdicts.push({
      target: `p99 XADD → decision < ${TARGET_P99_MS} ms at ${num(REDIS_RATE)} events/s`,
      result: 'n/a',
      pass: false,
    });
  } else {
    const lat = await redisLatency(opts.quick ? 15_000 : 50_000);
    console.log(
      `\n${table(
        [
          'Redis stream, producer at 5,000 events/s',
          'events',
          'rate/s',
          'p50 ms',
          'p99 ms',
          'max ms',
          'load avg',
        ],
        [['XADD → decision', num(lat.n), num(lat.rate), num(lat.p50), num(lat.p99), num(lat.max), load()]],
        ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
      )}`,
    );
    verdicts.push({
      target: `p99 XADD → decision < ${TARGET_P99_MS} ms at ${num(REDIS_RATE)} events/s`,
      result: `p99 ${lat.p99} ms, p50 ${lat.p50} ms at ${num(lat.rate)} events/s (load ${load()})`,
      pass: lat.p99 < TARGET_P99_MS,
    });
  }

  const mem = await memorySlope(opts.quick ? 200_000 : 1_000_000);
  console.log(
    `\n${table(
      ['events', 'heap MB'],
      mem.samples.map(([x, y]) => [num(x), y.toFixed(1)]),
      ['right', 'right'],
    )}`,
  );
  verdicts.push({
    target: 'memory flat over a 1,000,000-event replay (500 symbols, a rotating 50-symbol pool)',
    result: `${mem.slope.toFixed(3)} MB per 100k events over ${num(mem.samples.at(-1)?.[0] ?? 0)} events, ${mem.tracked} symbols tracked at the end (load ${load()})`,
    pass: Math.abs(mem.slope) < 0.5,
  });
  return verdicts;
}
