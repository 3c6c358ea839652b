// Stored incremental indicator state (feature_state, migration 20261209000100): a daily features job
// resumes each asset's recursive kernels from the state the previous run stored, on the asset's last
// STATE_TAIL_BARS bars, instead of reading and recomputing its whole history; the values are the full
// pass's bit for bit (shared/indicators/state.ts). A missing, cleared, foreign or unusable state means a
// full recompute, never an approximation.
import type { Sql } from '../../db/client.ts';
import { float8s } from '../../db/packed.ts';
import type { BarSeries } from '../../domain/market.ts';
import { ASSET_FEATURE_NAMES, FEATURES } from '../../features/catalogue.ts';
import { KernelState } from '../../indicators/state.ts';

/** The most bars any feature reads back from its day (ret_252, the 252-bar high and low, ...). */
const MAX_LOOKBACK = Math.max(...FEATURES.map((f) => f.lookback));
/**
 * The tail index a state's bar must reach: every bar a resumed kernel or a window reads lies inside the
 * tail (the lookback, CCI's 20-bar alignment, the values a state keeps of a series).
 */
const MIN_STATE_INDEX = MAX_LOOKBACK + 40;
/** Trading days a state may lag the run's first day and still resume (days without a run in between). */
const MAX_STATE_LAG = 20;
/** Bars a resumed asset reads: the tail up to the run date. */
export const STATE_TAIL_BARS = MIN_STATE_INDEX + MAX_STATE_LAG + 1;

/**
 * Bump when a kernel's recorded state changes shape or meaning; the catalogue's names are part of the
 * version too, so a state recorded by another catalogue is never read back.
 */
const KERNEL_STATE_VERSION = 1;
/** The version a state row must carry to be resumed: kernels and catalogue. */
export const FEATURE_STATE_VERSION = `${KERNEL_STATE_VERSION}:${ASSET_FEATURE_NAMES.length}:${fnv1a(ASSET_FEATURE_NAMES.join(','))}`;

/** 32-bit FNV-1a of a string's UTF-16 code units, in hex: a short, stable fingerprint. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** An asset's stored state row: the revision of its bars when read, and the state if one is usable. */
export interface StoredState {
  revision: number;
  state?: { date: string; barIndex: number; values: Float64Array };
}

/**
 * Each asset's revision (0 without a row) and stored state of this version; read before the bars, so a
 * bar written after this read is caught when the new state is stored.
 */
export async function loadFeatureStates(
  sql: Sql,
  assetIds: readonly number[],
): Promise<Map<number, StoredState>> {
  const rows = await sql<
    {
      asset_id: number;
      revision: string;
      date: string | null;
      bar_index: number | null;
      state: Uint8Array | null;
    }[]
  >`
    select asset_id, revision, date::text as date, bar_index,
           case when version = ${FEATURE_STATE_VERSION} then state end as state
    from feature_state where asset_id = any(${assetIds as number[]}::bigint[])`;
  const out = new Map<number, StoredState>(assetIds.map((id) => [id, { revision: 0 }]));
  for (const r of rows) {
    const stored: StoredState = { revision: Number(r.revision) };
    if (r.state && r.date !== null && r.bar_index !== null) {
      stored.state = { date: r.date, barIndex: r.bar_index, values: float8s(r.state) };
    }
    out.set(Number(r.asset_id), stored);
  }
  return out;
}

/** Where a resumed asset's tail starts and the state it resumes. */
export interface ResumePlan {
  /** The kernels' state, resuming after the stored bar. */
  state: KernelState;
  /** Bars of the asset's history before the tail's first bar. */
  offset: number;
}

/**
 * How to resume an asset from `stored` on `tail` (its last STATE_TAIL_BARS bars up to the run date) for
 * values from bar `from` of the tail, or undefined when it cannot: no state, a state whose bar is not in
 * the tail far enough from its start, or not before `from`.
 */
export function resumePlan(
  stored: StoredState | undefined,
  tail: BarSeries,
  from: number,
): ResumePlan | undefined {
  const s = stored?.state;
  if (!s) return undefined;
  const at = tail.dates.lastIndexOf(s.date);
  if (at < MIN_STATE_INDEX || at >= from) return undefined;
  return { state: new KernelState(s.values, at), offset: s.barIndex - at };
}

/** A state to store: recorded after the last bar of `dates`, which `offset` bars of history precede. */
export interface StateToStore {
  assetId: number;
  revision: number;
  dates: readonly string[];
  offset: number;
  values: readonly number[];
}

/**
 * Stores each asset's new state, unless its bars changed since `revision` was read (the row's revision
 * moved on: the state may come from stale bars) or a state of a later bar is stored. A state whose bar
 * could never be resumed (too short a history) is not stored. Returns the states stored.
 */
export async function storeFeatureStates(sql: Sql, states: readonly StateToStore[]): Promise<number> {
  const kept = states.filter((s) => s.offset + s.dates.length - 1 >= MIN_STATE_INDEX && s.values.length > 0);
  if (kept.length === 0) return 0;
  // One bytea of every state, cut per asset in SQL: float8 big-endian, as packed.ts reads it back.
  const total = kept.reduce((n, s) => n + s.values.length, 0);
  const bytes = new Uint8Array(total * 8);
  const view = new DataView(bytes.buffer);
  const starts: number[] = [];
  let at = 0;
  for (const s of kept) {
    starts.push(at * 8 + 1);
    for (const v of s.values) view.setFloat64(8 * at++, v);
  }
  const result = await sql`
    insert into feature_state as f (asset_id, revision, date, bar_index, version, state, computed_at)
    select x.asset_id, x.revision, x.date, x.bar_index, ${FEATURE_STATE_VERSION},
           substring(${bytes}::bytea from x.start for x.length), now()
    from unnest(
      ${kept.map((s) => s.assetId)}::bigint[], ${kept.map((s) => s.revision)}::bigint[],
      ${kept.map((s) => s.dates[s.dates.length - 1]!)}::date[],
      ${kept.map((s) => s.offset + s.dates.length - 1)}::int[],
      ${starts}::int[], ${kept.map((s) => s.values.length * 8)}::int[]
    ) as x(asset_id, revision, date, bar_index, start, length)
    on conflict (asset_id) do update set
      date = excluded.date, bar_index = excluded.bar_index, version = excluded.version,
      state = excluded.state, computed_at = excluded.computed_at
    where f.revision = excluded.revision and (f.date is null or f.date <= excluded.date)`;
  return result.count;
}
