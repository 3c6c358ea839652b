import type { Sql } from '../db/client.ts';
import { copyOutRows } from '../db/copy-out.ts';
import { float8s, int4s, packColumns } from '../db/packed.ts';
import type { AssetType } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';
import { FEATURE_NAMES } from '../features/catalogue.ts';
import { isSentimentInput, sentimentRelation, sentimentSeries } from '../news/sentiment/inputs.ts';
import { conditionInputs, conditionLookback } from '../signals/inputs.ts';
import type { Condition } from '../signals/schema.ts';
import { type StrategySpec, strategyTemplates } from '../strategy/spec.ts';
import { emptyPanel, type Panel, withRanks } from './panel.ts';

const FEATURES = new Set<string>(FEATURE_NAMES);

/** What a spec reads besides OHLCV, and how many bars before the first simulated day warm it up. */
export interface StrategyReads {
  /** Catalogue features and daily sentiment inputs, each a panel feature column. */
  features: string[];
  ranks: string[];
  signals: string[];
  reviews: boolean;
  /** Bars before `from` the rules read (crosses, changes, held conditions, moving averages). */
  lookback: number;
}

/** The catalogue features, ranks, templates and reviews a spec's rules read, and their lookback. */
export function strategyReads(spec: StrategySpec): StrategyReads {
  const features = new Set<string>();
  const ranks = new Set<string>();
  let lookback = 0;
  const conditions: Condition[] = [];
  for (const side of [spec.entry.long, spec.entry.short]) {
    if (side?.when) conditions.push(side.when);
    if (side?.ma_cross)
      lookback = Math.max(lookback, side.ma_cross.fast.period, side.ma_cross.slow.period + 1);
  }
  if (spec.exit.signal?.long) conditions.push(spec.exit.signal.long);
  if (spec.exit.signal?.short) conditions.push(spec.exit.signal.short);
  for (const c of conditions) {
    const reads = conditionInputs(c);
    for (const input of reads.inputs) if (FEATURES.has(input) || isSentimentInput(input)) features.add(input);
    for (const f of reads.ranks) {
      features.add(f);
      ranks.add(f);
    }
    lookback = Math.max(lookback, conditionLookback(c));
  }
  if (spec.entry.rank && (FEATURES.has(spec.entry.rank.by) || isSentimentInput(spec.entry.rank.by)))
    features.add(spec.entry.rank.by);
  if (spec.exit.stop?.atr !== undefined || spec.exit.trailing?.atr !== undefined) features.add('atr_14');
  return {
    features: [...features].sort(),
    ranks: [...ranks].sort(),
    signals: strategyTemplates(spec),
    reviews: spec.entry.long?.review !== undefined || spec.entry.short?.review !== undefined,
    lookback,
  };
}

/** What a backtest runs over: a universe's active assets (or some of them) and a date range. */
export interface LoadRequest {
  spec: StrategySpec;
  universe: string;
  from: string;
  to: string;
}

/** A panel loaded for a backtest, the panel days to simulate, and the universe's benchmark asset. */
export interface LoadedPanel {
  panel: Panel;
  /** First and last panel index inside [from, to]; earlier days are the warm-up lookback. */
  from: number;
  to: number;
  /** Panel index of the market benchmark (SPY, BTC), when the universe holds it. */
  benchmark: number | null;
  assetType: AssetType;
}

/** The benchmark asset's panel index, if the panel has it. */
export function benchmarkIndex(panel: Panel, symbol: string): number | null {
  const i = panel.assets.findIndex((a) => a.symbol === symbol);
  return i < 0 ? null : i;
}

/** The panel days inside [from, to], or an invalid_input error naming the range when there are none. */
export function simulatedDays(panel: Panel, from: string, to: string): { from: number; to: number } {
  const first = panel.dates.findIndex((d) => d >= from);
  let last = -1;
  for (let i = panel.dates.length - 1; i >= 0; i--)
    if (panel.dates[i]! <= to) {
      last = i;
      break;
    }
  if (first < 0 || last < first)
    throw new AppError('invalid_input', `no bars between ${from} and ${to}`, { retryable: false });
  return { from: first, to: last };
}

/** The union of several specs' reads: one panel that every one of them can run over. */
export function unionReads(list: readonly StrategyReads[]): StrategyReads {
  const merge = (pick: (r: StrategyReads) => readonly string[]) => [...new Set(list.flatMap(pick))].sort();
  return {
    features: merge((r) => r.features),
    ranks: merge((r) => r.ranks),
    signals: merge((r) => r.signals),
    reviews: list.some((r) => r.reviews),
    lookback: Math.max(0, ...list.map((r) => r.lookback)),
  };
}

/** Dates per load query: a year of a large universe stays a few MB per packed column. */
const WINDOW_DAYS = 366;
const EPOCH = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/** Days since 2000-01-01 (PostgreSQL's date epoch) of an ISO date. */
const dayNumber = (date: string): number => Math.round((Date.parse(date) - EPOCH) / DAY_MS);
const isoDate = (day: number): string => new Date(EPOCH + day * DAY_MS).toISOString().slice(0, 10);

/** Infinity is missing, as NaN is (what buildPanel makes of it). */
const finite = (x: number): number => (Number.isFinite(x) ? x : NaN);

/** `[first, to]` cut into windows of WINDOW_DAYS calendar days, as day numbers `[lo, hi]`. */
function windows(first: string, to: string): [number, number][] {
  const out: [number, number][] = [];
  const last = dayNumber(to);
  for (let lo = dayNumber(first); lo <= last; lo += WINDOW_DAYS)
    out.push([lo, Math.min(last, lo + WINDOW_DAYS - 1)]);
  return out;
}

/** One window's rows: asset ids, day numbers and one array per column, in the table's order. */
interface Packed {
  ids: Int32Array;
  days: Int32Array;
  columns: Float64Array[];
}

/** The aggregates of a packed read: the asset id, the day number, then `columns`. */
const packedRow = (columns: readonly string[]) =>
  packColumns([
    { sql: 'asset_id::int4', int4: true },
    { sql: "date - date '2000-01-01'", int4: true },
    ...columns.map((c) => ({ sql: c })),
  ]);

/** The trusted SQL array literal of asset ids. */
const idList = (ids: readonly number[]) => `'{${ids.map((id) => Math.trunc(id)).join(',')}}'::bigint[]`;

/**
 * Reads `columns` of `table` (both trusted: fixed names or catalogue features) for the assets `ids` over
 * `[first, to]`, one statement per date window, run side by side on the pool's connections. Each window
 * is one row of packed columns (packColumns) sent as binary COPY data, so the bytes arrive as they are
 * (a bytea result would travel hex-encoded) and no row object is built. No sort: the rows are packed
 * in the order the table stores them, so the wide features table is read in the date-major order
 * daily runs write it.
 */
async function readColumns(
  sql: Sql,
  table: string,
  columns: readonly string[],
  ids: readonly number[],
  first: string,
  to: string,
): Promise<Packed[]> {
  return Promise.all(
    windows(first, to).map(async ([lo, hi]) => {
      const [row] = await copyOutRows(
        sql,
        `select ${packedRow(columns)} from ${table}
         where asset_id = any(${idList(ids)})
           and date between date '2000-01-01' + ${lo} and date '2000-01-01' + ${hi}`,
      );
      return {
        ids: int4s(row?.[0] ?? null),
        days: int4s(row?.[1] ?? null),
        columns: columns.map((_, k) => float8s(row?.[2 + k] ?? null)),
      };
    }),
  );
}

/** Columns read together from one table: their names and the windows holding them. */
interface ColumnGroup {
  names: readonly string[];
  windows: Packed[];
}

/**
 * Columns already read, kept by the caller across several loads over the same universe (a batch of
 * strategies run apart, a bench): a later load reads only the columns no earlier one read over at least
 * its dates. The caller owns its lifetime and must drop it when the data may have changed.
 */
export class ColumnCache {
  readonly #entries = new Map<string, { lo: number; hi: number; group: ColumnGroup }[]>();

  /** The group holding `column` of `table` for these assets over at least [lo, hi], if read before. */
  find(table: string, column: string, ids: string, lo: number, hi: number): ColumnGroup | undefined {
    return this.#entries.get(`${table}|${column}|${ids}`)?.find((e) => e.lo <= lo && e.hi >= hi)?.group;
  }

  /** Keeps a group read over [lo, hi]. */
  add(table: string, ids: string, lo: number, hi: number, group: ColumnGroup): void {
    for (const column of group.names) {
      const key = `${table}|${column}|${ids}`;
      this.#entries.set(key, [...(this.#entries.get(key) ?? []), { lo, hi, group }]);
    }
  }
}

/** readColumns through `cache` when given: the columns it lacks are read in one pass and kept. */
async function readCached(
  sql: Sql,
  table: string,
  columns: readonly string[],
  ids: readonly number[],
  first: string,
  to: string,
  cache: ColumnCache | undefined,
): Promise<ColumnGroup[]> {
  if (!cache) return [{ names: columns, windows: await readColumns(sql, table, columns, ids, first, to) }];
  const key = ids.join(',');
  const [lo, hi] = [dayNumber(first), dayNumber(to)];
  const groups = new Set<ColumnGroup>();
  const missing: string[] = [];
  for (const c of columns) {
    const g = cache.find(table, c, key, lo, hi);
    if (g) groups.add(g);
    else missing.push(c);
  }
  if (missing.length) {
    const g = { names: missing, windows: await readColumns(sql, table, missing, ids, first, to) };
    cache.add(table, key, lo, hi, g);
    groups.add(g);
  }
  return [...groups];
}

/**
 * Builds the panel of a backtest from the database: the bars of the universe's active assets from
 * `lookback` trading days before `from` to `to`, the features the spec reads, the signal facts of its
 * templates and its review filter's reviews. Bars and features are read columnar (readColumns) and laid
 * straight into the panel's typed arrays; features and facts count only on days the asset has a bar.
 * `reads` widens what is loaded (unionReads), so several strategies can run over one panel. An empty
 * universe or a range without bars is an invalid_input AppError; nothing is written.
 */
export async function loadPanel(
  sql: Sql,
  req: LoadRequest & { reads?: StrategyReads },
  opts: { benchmarks: Record<AssetType, string>; sentiment?: string; cache?: ColumnCache },
): Promise<LoadedPanel> {
  const reads = req.reads ?? strategyReads(req.spec);
  // Names and dates below reach SQL text: only catalogue features, sentiment inputs, snake_case ids and
  // ISO dates pass.
  for (const f of reads.features)
    if (!FEATURES.has(f) && !isSentimentInput(f)) throw new RangeError(`"${f}" is not a catalogue feature`);
  const catalogue = reads.features.filter((f) => FEATURES.has(f));
  const sentiment = reads.features.filter(isSentimentInput);
  for (const id of reads.signals)
    if (!/^[a-z0-9_]+$/.test(id)) throw new RangeError(`bad template id "${id}"`);
  for (const d of [req.from, req.to])
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new RangeError(`bad date "${d}"`);
  const [universe] = await sql<{ asset_type: AssetType; symbols: string[] | null }[]>`
    select asset_type, symbols from universes where id = ${req.universe}`;
  if (!universe) throw new AppError('not_found', `unknown universe "${req.universe}"`);
  const assets = await sql<{ id: number; symbol: string; asset_type: AssetType }[]>`
    select id, symbol, asset_type from assets
    where asset_type = ${universe.asset_type} and active
      and (${universe.symbols}::text[] is null or symbol = any(${universe.symbols}::text[]))`;
  if (assets.length === 0)
    throw new AppError('invalid_input', `universe "${req.universe}" has no active assets`, {
      retryable: false,
    });
  const ids = assets.map((a) => a.id);
  // The warm-up starts `lookback` trading days (dates with any bar) before `from`, plus one so a
  // cross on the first simulated day sees the day before it. The latest n distinct dates overall are
  // among each asset's latest n, so a short backward index scan per asset finds them.
  const warm = reads.lookback + 1;
  const [start] = await sql<{ date: string | null }[]>`
    select min(date)::text as date from (
      select distinct d.date from unnest(${ids}::bigint[]) as w(asset_id)
      cross join lateral (
        select date from daily_bars
        where asset_id = w.asset_id and date < ${req.from}::date
        order by date desc limit ${warm}
      ) d
      order by d.date desc limit ${warm}
    ) warm`;
  const first = start?.date ?? req.from;
  // Feature names come from the catalogue (strategyReads keeps only those), so they are safe SQL.
  const { cache } = opts;
  const [barGroups, features, moods] = await Promise.all([
    readCached(sql, 'daily_bars', ['open', 'high', 'low', 'close', 'volume'], ids, first, req.to, cache),
    catalogue.length
      ? readCached(sql, 'daily_features', catalogue, ids, first, req.to, cache)
      : Promise.resolve([]),
    sentiment.length
      ? readCached(
          sql,
          `${sentimentRelation(opts.sentiment ?? sentimentSeries({}))} s`,
          sentiment,
          ids,
          first,
          req.to,
          cache,
        )
      : Promise.resolve([]),
  ]);
  // The five bar columns are always read together, so they are one group.
  const bars = barGroups[0]!;
  // The panel's dates are every day with a bar, its assets those with a bar, ordered as buildPanel does.
  // A cached read may cover more days than [first, to]: those rows are skipped.
  const firstDay = dayNumber(first);
  const span = dayNumber(req.to) - firstDay + 1;
  const hasDay = new Uint8Array(span);
  const hasAsset = new Set<number>();
  for (const w of bars.windows)
    for (let k = 0; k < w.ids.length; k++) {
      const d = w.days[k]! - firstDay;
      if (d < 0 || d >= span) continue;
      hasDay[d] = 1;
      hasAsset.add(w.ids[k]!);
    }
  const dayIndex = new Int32Array(span).fill(-1);
  const dates: string[] = [];
  for (let d = 0; d < span; d++)
    if (hasDay[d]) {
      dayIndex[d] = dates.length;
      dates.push(isoDate(firstDay + d));
    }
  if (dates.length === 0 || dates[dates.length - 1]! < req.from)
    throw new AppError(
      'invalid_input',
      `universe "${req.universe}" has no bars between ${req.from} and ${req.to}`,
      {
        retryable: false,
      },
    );
  const present = assets
    .filter((a) => hasAsset.has(a.id))
    .sort((x, y) =>
      x.asset_type !== y.asset_type ? (x.asset_type < y.asset_type ? -1 : 1) : x.symbol < y.symbol ? -1 : 1,
    );
  const panel = emptyPanel(
    dates,
    present.map((a) => ({ symbol: a.symbol, assetType: a.asset_type })),
    reads,
  );
  const { nDays } = panel;
  const assetIndex = new Map(present.map((a, i) => [a.id, i]));
  const benchmarkSymbol = opts.benchmarks[universe.asset_type];
  // The panel cell of an asset on a day, or -1 when the asset has no bar that day.
  const cellOf = (assetId: number, day: number): number => {
    const d = day - firstDay;
    const a = assetIndex.get(assetId);
    if (a === undefined || d < 0 || d >= span || dayIndex[d]! < 0) return -1;
    const i = a * nDays + dayIndex[d]!;
    return Number.isNaN(panel.close[i]!) ? -1 : i;
  };
  const ohlcv = [panel.open, panel.high, panel.low, panel.close, panel.volume];
  for (const w of bars.windows)
    for (let k = 0; k < w.ids.length; k++) {
      const d = w.days[k]! - firstDay;
      if (d < 0 || d >= span) continue;
      const i = assetIndex.get(w.ids[k]!)! * nDays + dayIndex[d]!;
      for (let c = 0; c < 5; c++) ohlcv[c]![i] = finite(w.columns[c]![k]!);
    }
  for (const group of [...features, ...moods]) {
    // A cached group may hold columns this panel does not read: those are skipped.
    const columns = group.names.map((f) => panel.features.get(f));
    for (const w of group.windows)
      for (let k = 0; k < w.ids.length; k++) {
        const i = cellOf(w.ids[k]!, w.days[k]!);
        if (i < 0) continue;
        for (let c = 0; c < columns.length; c++) {
          const column = columns[c];
          if (column) column[i] = finite(w.columns[c]![k]!);
        }
      }
  }
  if (reads.signals.length) {
    // Template ids are checked names (^[a-z0-9_]+$); each fact names its template by position.
    const templates = `'{${reads.signals.join(',')}}'::text[]`;
    const [row] = await copyOutRows(
      sql,
      `select ${packedRow([`array_position(${templates}, template)::float8`])} from daily_signal_facts
       where asset_id = any(${idList(ids)}) and template = any(${templates})
         and date between '${first}'::date and '${req.to}'::date`,
    );
    const [factIds, factDays, factTemplates] = [
      int4s(row?.[0] ?? null),
      int4s(row?.[1] ?? null),
      float8s(row?.[2] ?? null),
    ];
    const columns = reads.signals.map((id) => panel.signals.get(id)!);
    for (let k = 0; k < factIds.length; k++) {
      const i = cellOf(factIds[k]!, factDays[k]!);
      if (i >= 0) columns[factTemplates[k]! - 1]![i] = 1;
    }
  }
  if (reads.reviews) {
    // One review per asset and day: the valid one written last, whatever the model.
    const rows = await sql<
      { asset_id: number; date: string; direction: 'bullish' | 'bearish' | 'neutral'; confidence: number }[]
    >`
      select distinct on (asset_id, as_of_date) asset_id, as_of_date::text as date, direction, confidence
      from asset_ai_reviews
      where asset_id = any(${ids}::bigint[]) and status = 'valid' and direction is not null
        and as_of_date between ${first}::date and ${req.to}::date
      order by asset_id, as_of_date, created_at desc`;
    for (const r of rows) {
      const i = cellOf(r.asset_id, dayNumber(r.date));
      if (i < 0) continue;
      panel.reviewDirection[i] = r.direction === 'bullish' ? 1 : r.direction === 'bearish' ? -1 : 0;
      panel.reviewConfidence[i] = Number.isFinite(r.confidence) ? r.confidence : NaN;
    }
  }
  const ranked = withRanks(panel, reads);
  return {
    panel: ranked,
    ...simulatedDays(ranked, req.from, req.to),
    benchmark: benchmarkIndex(ranked, benchmarkSymbol),
    assetType: universe.asset_type,
  };
}
