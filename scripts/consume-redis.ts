// The Redis side of `stratos consume`: a consumer group on a stream (XREADGROUP), the brain's state
// snapshotted together with the batch's decisions and its XACK in one MULTI/EXEC, so a consumer killed at
// any point restarts from the last snapshot with exactly the entries it had not acknowledged: nothing is
// lost and nothing is decided twice. Pending entries of a dead consumer of the group are taken over with
// XAUTOCLAIM. One consumer at a time per group drives the brain (the state is the group's); a second one
// only takes over.
import { Redis } from 'ioredis';
import {
  LiveBrain,
  type LiveConfig,
  type LiveDecision,
  type LiveExperience,
  type LiveState,
} from '../shared/live/brain.ts';
import { type LiveEvent, parseEvent } from '../shared/live/events.ts';

/** Where a consumer reads and what it writes. */
export interface RedisConsumeOptions {
  url: string;
  stream: string;
  group: string;
  consumer: string;
  /** Entries per XREADGROUP. */
  batch: number;
  /** XREADGROUP BLOCK in ms. */
  blockMs: number;
  /** Pending entries idle this long belong to a dead consumer and are claimed. */
  claimIdleMs: number;
  /** Stop after this long without a new entry (null: run until stopped). */
  idleExitMs: number | null;
  /** Stop after this many entries (tests and benches). */
  maxEntries: number | null;
  /** The opportunity pool from outside the stream (a universe in the database): a pool event when it changed. */
  pool?: (now: number) => Promise<LiveEvent | null>;
  /** Called with each committed batch's entries and exits (after its transaction). */
  onExperiences?: (experiences: LiveExperience[]) => Promise<void>;
  /** Called once an entry's event was decided (the bench's latency probe). */
  onEvent?: (entryId: string) => void;
  /** Called with each event's decisions as they are made (before the batch is committed). */
  onDecisions?: (decisions: LiveDecision[], event: LiveEvent, entryId: string) => void;
}

/** The keys the group's results live under. */
export function redisKeys(stream: string, group: string) {
  return {
    state: `${stream}:live:${group}:state`,
    decisions: `${stream}:live:${group}:decisions`,
    experiences: `${stream}:live:${group}:experiences`,
  };
}

/** The latest experiences kept in Redis (the buffer size). */
const KEPT_EXPERIENCES = 20_000;

interface Snapshot {
  lastId: string;
  brain: LiveState;
  malformed: number;
}

/** What a consumer run did. */
export interface RedisConsumeResult {
  entries: number;
  decisions: number;
  malformed: { entry: string; error: string }[];
  malformedCount: number;
  reclaimed: number;
  skippedDone: number;
}

type Entry = [id: string, fields: string[]];

/** Stream ids compare as (milliseconds, sequence). */
function idAfter(a: string, b: string): boolean {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am > bm || (am === bm && as > bs);
}

/** Opens a client that fails fast (one readable error) rather than retrying forever. */
export async function openRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // ioredis emits the cause (ECONNREFUSED, ...) as an event and rejects connect() with "Connection is closed".
  let cause: Error | null = null;
  redis.on('error', (err: Error) => {
    cause = err;
  });
  try {
    await redis.connect();
  } catch (err) {
    throw cause ?? err;
  }
  return redis;
}

/** Runs the consumer group's brain until idle or the entry limit; see the file comment for the guarantees. */
export async function consumeRedis(
  config: LiveConfig,
  opts: RedisConsumeOptions,
): Promise<RedisConsumeResult> {
  const redis = await openRedis(opts.url);
  const keys = redisKeys(opts.stream, opts.group);
  const result: RedisConsumeResult = {
    entries: 0,
    decisions: 0,
    malformed: [],
    malformedCount: 0,
    reclaimed: 0,
    skippedDone: 0,
  };
  try {
    try {
      await redis.xgroup('CREATE', opts.stream, opts.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!String(err).includes('BUSYGROUP')) throw err;
    }
    const saved = await redis.get(keys.state);
    const snap: Snapshot = saved
      ? (JSON.parse(saved) as Snapshot)
      : { lastId: '0-0', brain: undefined as never, malformed: 0 };
    const brain = saved ? new LiveBrain(config, snap.brain) : new LiveBrain(config);
    let lastId = snap.lastId;
    let malformedTotal = snap.malformed;

    const commit = async (entries: Entry[]) => {
      const decisions: LiveDecision[] = [];
      const experiences: LiveExperience[] = [];
      const pool = await opts.pool?.(Date.now());
      if (pool) await brain.handle(pool);
      for (const [id, fields] of entries) {
        result.entries++;
        // An entry the snapshot already reflects (acknowledged in the same transaction) is only acknowledged.
        if (!idAfter(id, lastId)) {
          result.skippedDone++;
          continue;
        }
        lastId = id;
        const text = fields[fields.indexOf('e') + 1];
        const event = text === undefined || fields.indexOf('e') < 0 ? 'no field "e"' : parseEvent(text);
        if (typeof event === 'string') {
          malformedTotal++;
          result.malformedCount++;
          if (result.malformed.length < 1000) result.malformed.push({ entry: id, error: event });
          continue;
        }
        const out = await brain.handle(event);
        if (out.decisions.length > 0) opts.onDecisions?.(out.decisions, event, id);
        opts.onEvent?.(id);
        decisions.push(...out.decisions);
        experiences.push(...out.experiences);
      }
      const tx = redis.multi();
      tx.set(
        keys.state,
        JSON.stringify({ lastId, brain: brain.state(), malformed: malformedTotal } satisfies Snapshot),
      );
      if (decisions.length > 0)
        tx.hset(keys.decisions, ...decisions.flatMap((d) => [d.id, JSON.stringify(d)]));
      if (experiences.length > 0) {
        tx.rpush(keys.experiences, ...experiences.map((x) => JSON.stringify(x)));
        tx.ltrim(keys.experiences, -KEPT_EXPERIENCES, -1);
      }
      tx.xack(opts.stream, opts.group, ...entries.map(([id]) => id));
      const res = await tx.exec();
      const failed = res?.find(([err]) => err);
      if (!res || failed) throw new Error(`redis transaction failed: ${failed?.[0]?.message ?? 'aborted'}`);
      result.decisions += decisions.length;
      if (experiences.length > 0) await opts.onExperiences?.(experiences);
    };

    // Recovery: this consumer's own unacknowledged entries, then the idle ones of other consumers, in id order.
    const pending: Entry[] = [];
    for (let from = '0'; ; ) {
      const own = (await redis.xreadgroup(
        'GROUP',
        opts.group,
        opts.consumer,
        'COUNT',
        opts.batch,
        'STREAMS',
        opts.stream,
        from,
      )) as [string, Entry[]][] | null;
      const got = own?.[0]?.[1] ?? [];
      if (got.length === 0) break;
      pending.push(...got);
      from = got.at(-1)![0];
    }
    for (let cursor = '0-0'; ; ) {
      const [next, claimed] = (await redis.xautoclaim(
        opts.stream,
        opts.group,
        opts.consumer,
        opts.claimIdleMs,
        cursor,
        'COUNT',
        opts.batch,
      )) as [string, Entry[], string[]?];
      pending.push(...claimed.filter((e): e is Entry => Array.isArray(e?.[1])));
      result.reclaimed += claimed.length;
      if (next === '0-0') break;
      cursor = next;
    }
    pending.sort((a, b) => (idAfter(a[0], b[0]) ? 1 : -1));
    for (let i = 0; i < pending.length; i += opts.batch) await commit(pending.slice(i, i + opts.batch));

    let idleSince = Date.now();
    while (opts.maxEntries === null || result.entries < opts.maxEntries) {
      const count =
        opts.maxEntries === null ? opts.batch : Math.min(opts.batch, opts.maxEntries - result.entries);
      const res = (await redis.xreadgroup(
        'GROUP',
        opts.group,
        opts.consumer,
        'COUNT',
        count,
        'BLOCK',
        opts.blockMs,
        'STREAMS',
        opts.stream,
        '>',
      )) as [string, Entry[]][] | null;
      const entries = res?.[0]?.[1] ?? [];
      if (entries.length === 0) {
        if (opts.idleExitMs !== null && Date.now() - idleSince >= opts.idleExitMs) break;
        continue;
      }
      idleSince = Date.now();
      await commit(entries);
    }
    return result;
  } finally {
    redis.disconnect();
  }
}
