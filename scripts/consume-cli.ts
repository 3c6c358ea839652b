// `stratos consume`: the live brain over a market event stream, from stdin (NDJSON) or a Redis stream with
// a consumer group. Decisions go to stdout as NDJSON (one object per decision, with its reason and rules);
// the summary and the malformed lines (with their line numbers) go to stderr.
import { createWriteStream, type WriteStream } from 'node:fs';
import { hostname } from 'node:os';
import { AssetType } from '../shared/domain/market.ts';
import { AppError, errorMessage } from '../shared/errors/index.ts';
import { loadRules, recordExperience } from '../shared/learning/store.ts';
import {
  DEFAULT_LIVE,
  LiveBrain,
  type LiveConfig,
  type LiveDecision,
  type LiveExperience,
  toExperience,
} from '../shared/live/brain.ts';
import { type LiveEvent, NdjsonEvents } from '../shared/live/events.ts';
import { resolveUniverse } from '../shared/universes/index.ts';
import { consumeRedis } from './consume-redis.ts';
import type { Session } from './local/session.ts';

type Values = Record<string, string | boolean | undefined>;
type WithSession = <T>(fn: (s: Session) => Promise<T>) => Promise<T>;

const usage = (message: string) => new AppError('invalid_input', message, { retryable: false });

function num(values: Values, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(v) || v < min || v > max)
    throw usage(`--${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return v;
}

/** The brain's configuration from the command line: the defaults, each microstructure input off unless given. */
export function liveConfigFrom(values: Values): LiveConfig {
  const assetType = values['asset-type'] === undefined ? 'equity' : AssetType.safeParse(values['asset-type']);
  if (typeof assetType !== 'string' && !assetType.success)
    throw usage('--asset-type must be equity or crypto');
  const vwap = num(values, 'vwap-stretch', 0, 1);
  const atr = num(values, 'atr-stop', 0.1, 20);
  const z = num(values, 'zscore-max', -10, 10);
  const flow = num(values, 'flow-min', -1, 1);
  return {
    ...DEFAULT_LIVE,
    assetType: typeof assetType === 'string' ? assetType : assetType.data,
    cash: num(values, 'cash', 1, 1e12) ?? DEFAULT_LIVE.cash,
    micro: {
      vwap: vwap === undefined ? null : { maxStretch: vwap },
      atrStop: atr === undefined ? null : { multiple: atr },
      zscore: z === undefined ? null : { maxZ: z },
      orderFlow: flow === undefined ? null : { min: flow },
    },
  };
}

function poolList(raw: string | boolean | undefined): string[] | null {
  if (typeof raw !== 'string') return null;
  const symbols = raw
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '');
  if (symbols.length === 0 || !symbols.every((s) => /^[A-Z0-9][A-Z0-9.\-/]{0,19}$/.test(s)))
    throw usage('--pool takes comma-separated symbols');
  return symbols;
}

/** The opportunity pool as pool events: a fixed --pool, or an opportunity universe re-read every --pool-refresh s. */
function poolSource(values: Values, withSession: WithSession) {
  const fixed = poolList(values.pool);
  const universe = typeof values.universe === 'string' ? values.universe : null;
  if (fixed && universe) throw usage('give --pool or --universe, not both');
  const refreshMs = (num(values, 'pool-refresh', 1, 86_400) ?? 300) * 1000;
  let last: string | null = null;
  let readAt = 0;
  let seq = 0;
  return async (now: number): Promise<LiveEvent | null> => {
    let symbols: string[];
    if (fixed) {
      if (last !== null) return null;
      symbols = fixed;
    } else if (universe) {
      if (last !== null && now - readAt < refreshMs) return null;
      readAt = now;
      symbols = await withSession(async (s) =>
        (await resolveUniverse(s.ctx.sql, universe)).assets.map((a) => a.symbol),
      );
    } else return null;
    const key = symbols.join(',');
    if (key === last) return null;
    last = key;
    return { id: `pool-${universe ?? 'fixed'}-${now}-${++seq}`, kind: 'pool', ts: now, symbols };
  };
}

/** Decision lines to stdout (unless --quiet) and experiences to --experiences FILE. */
function sinks(values: Values) {
  const quiet = values.quiet === true;
  let file: WriteStream | null = null;
  if (typeof values.experiences === 'string') file = createWriteStream(values.experiences, { flags: 'a' });
  const counts = { buy: 0, skip: 0, sell: 0, entry_filled: 0, exit_filled: 0 };
  let buffer = '';
  return {
    counts,
    decisions(ds: LiveDecision[]) {
      for (const d of ds) {
        counts[d.action]++;
        if (!quiet) buffer += `${JSON.stringify(d)}\n`;
      }
      if (buffer.length > 65_536) this.flush();
    },
    experiences(xs: LiveExperience[]) {
      for (const x of xs) file?.write(`${JSON.stringify(x)}\n`);
    },
    flush() {
      if (buffer !== '') process.stdout.write(buffer);
      buffer = '';
    },
    async close() {
      this.flush();
      if (file) await new Promise((r) => file!.end(r));
    },
  };
}

function summary(counts: Record<string, number>, extra: string): string {
  return `consume: ${extra}; decisions: ${counts.buy} buys, ${counts.skip} refused entries, ${counts.sell} signal exits, ${counts.entry_filled} entries filled, ${counts.exit_filled} exits filled`;
}

type Recorder = ((xs: LiveExperience[]) => Promise<void>) | null;

/**
 * With --learn: the active learned rules of the database join the configuration, and every entry and exit
 * is recorded into the experience buffer (source `live`, idempotent by trade and kind).
 */
function withLearning(
  values: Values,
  withSession: WithSession,
  run: (config: LiveConfig, record: Recorder) => Promise<number>,
) {
  const config = liveConfigFrom(values);
  if (values.learn !== true) return run(config, null);
  return withSession(async (s) => {
    const rules = await loadRules(s.ctx.sql, 'active');
    return run({ ...config, rules }, async (xs) => {
      await recordExperience(
        s.ctx.sql,
        xs.map((x) => toExperience(x, config.assetType)),
      );
    });
  });
}

async function consumeStdin(
  config: LiveConfig,
  record: Recorder,
  values: Values,
  withSession: WithSession,
): Promise<number> {
  const brain = new LiveBrain(config);
  const learned: LiveExperience[] = [];
  const pool = poolSource(values, withSession);
  const out = sinks(values);
  const reader = new NdjsonEvents();
  let events = 0;
  const handle = async (e: LiveEvent) => {
    events++;
    const o = await brain.handle(e);
    out.decisions(o.decisions);
    out.experiences(o.experiences);
    if (record) {
      learned.push(...o.experiences);
      if (learned.length >= 200) await record(learned.splice(0));
    }
  };
  process.stdin.setEncoding('utf8');
  const batch: LiveEvent[] = [];
  for await (const chunk of process.stdin as AsyncIterable<string>) {
    const p = await pool(Date.now());
    if (p) await handle(p);
    batch.length = 0;
    for (const e of reader.push(chunk, batch)) await handle(e);
  }
  batch.length = 0;
  for (const e of reader.end(batch)) await handle(e);
  if (record && learned.length > 0) await record(learned.splice(0));
  await out.close();
  const malformed = reader.malformed
    .slice(0, 20)
    .map((m) => `line ${m.line}: ${m.error}`)
    .join('; ');
  const equity = brain.state().broker;
  console.error(
    summary(
      out.counts,
      `${reader.lines} lines, ${events} events, ${reader.malformedCount} malformed${malformed ? ` (${malformed}${reader.malformedCount > 20 ? '; ...' : ''})` : ''}; ${brain.tracked().length} symbols tracked; paper cash ${equity.cash.toFixed(2)}, ${Object.keys(equity.positions).length} positions`,
    ),
  );
  return 0;
}

async function consumeFromRedis(
  config: LiveConfig,
  record: Recorder,
  values: Values,
  withSession: WithSession,
): Promise<number> {
  const url = values.redis as string;
  if (!/^rediss?:\/\//.test(url)) throw usage('--redis must be a redis:// URL');
  const name = (v: string | boolean | undefined, fallback: string, what: string) => {
    const s = typeof v === 'string' ? v : fallback;
    if (!/^[\w:.-]{1,200}$/.test(s)) throw usage(`${what} must be 1-200 letters, digits, _ : . -`);
    return s;
  };
  const out = sinks(values);
  const idle = num(values, 'idle-exit', 0, 1e6);
  const res = await consumeRedis(config, {
    url,
    stream: name(values.stream, 'market:updates', '--stream'),
    group: name(values.group, 'stratos', '--group'),
    consumer: name(values.consumer, hostname(), '--consumer'),
    batch: num(values, 'batch', 1, 10_000) ?? 500,
    blockMs: 1000,
    claimIdleMs: (num(values, 'claim-idle', 0, 86_400) ?? 30) * 1000,
    idleExitMs: idle === undefined ? null : idle * 1000,
    maxEntries: null,
    pool: poolSource(values, withSession),
    onDecisions: (ds) => out.decisions(ds),
    ...(record ? { onExperiences: record } : {}),
  }).catch((err) => {
    throw new Error(`redis ${url}: ${errorMessage(err)}`);
  });
  await out.close();
  const malformed = res.malformed
    .slice(0, 20)
    .map((m) => `entry ${m.entry}: ${m.error}`)
    .join('; ');
  console.error(
    summary(
      out.counts,
      `${res.entries} entries (${res.reclaimed} reclaimed, ${res.skippedDone} already done), ${res.malformedCount} malformed${malformed ? ` (${malformed})` : ''}`,
    ),
  );
  return 0;
}

/** `stratos consume [--redis URL ...]`. */
export function consumeCommand(withSession: WithSession) {
  const opt = (help: string) => ({ type: 'string' as const, help });
  return {
    summary:
      'run the live brain over market events from stdin (NDJSON) or a Redis stream; decisions as NDJSON',
    usage:
      "stratos consume [--pool A,B | --universe ID] [--redis URL --stream S --group G --consumer C] [--vwap-stretch F] [--atr-stop K] [--zscore-max Z] [--flow-min F] [--quiet]\n\nstratos replay | stratos consume: a synthetic session through the decision path. Without --pool or --universe the pool comes from the stream's pool events.",
    options: {
      pool: opt('the opportunity pool: comma-separated symbols'),
      universe: opt('read the pool from this universe (e.g. equity_opportunities) in the database'),
      'pool-refresh': opt('seconds between re-reads of --universe (default 300)'),
      'asset-type': opt('equity (whole units, default) | crypto (fractional)'),
      cash: opt('paper cash (default 100000)'),
      'vwap-stretch': opt(
        'microstructure: no entry more than this fraction above the session VWAP (off by default)',
      ),
      'atr-stop': opt('microstructure: stop-loss this many ATR(14) below the entry (off: a fixed 1% stop)'),
      'zscore-max': opt('microstructure: no entry while the 20-bar z-score is above this (off by default)'),
      'flow-min': opt(
        'microstructure: no entry while the order-flow imbalance is below this, -1..1 (off by default)',
      ),
      redis: opt('read a Redis stream (redis://host:port) instead of stdin'),
      stream: opt('the stream (default market:updates)'),
      group: opt('the consumer group (default stratos)'),
      consumer: opt('this consumer (default the host name; keep it across restarts)'),
      batch: opt('entries per read and per committed snapshot (default 500)'),
      'claim-idle': opt("seconds after which another consumer's pending entries are claimed (default 30)"),
      'idle-exit': opt('stop after this many seconds without a new entry (default: run until stopped)'),
      experiences: opt('append every entry and exit with its market snapshot to this NDJSON file'),
      learn: {
        type: 'boolean' as const,
        help: "record entries and exits into the database's experience buffer and apply its active learned rules",
      },
      quiet: { type: 'boolean' as const, help: 'print only the summary' },
    },
    run: ({ values }: { values: Values }): Promise<number> =>
      withLearning(values, withSession, (config, record) =>
        typeof values.redis === 'string'
          ? consumeFromRedis(config, record, values, withSession)
          : consumeStdin(config, record, values, withSession),
      ),
  };
}
