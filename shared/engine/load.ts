import type { Sql } from '../db/client.ts';
import type { AssetType, RawBar } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';
import { FEATURE_NAMES } from '../features/catalogue.ts';
import { conditionInputs, conditionLookback } from '../signals/inputs.ts';
import type { Condition } from '../signals/schema.ts';
import { type StrategySpec, strategyTemplates } from '../strategy/spec.ts';
import { buildPanel, type Panel, type PanelRow } from './panel.ts';

const FEATURES = new Set<string>(FEATURE_NAMES);

/** What a spec reads besides OHLCV, and how many bars before the first simulated day warm it up. */
export interface StrategyReads {
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
    for (const input of reads.inputs) if (FEATURES.has(input)) features.add(input);
    for (const f of reads.ranks) {
      features.add(f);
      ranks.add(f);
    }
    lookback = Math.max(lookback, conditionLookback(c));
  }
  if (spec.entry.rank && FEATURES.has(spec.entry.rank.by)) features.add(spec.entry.rank.by);
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

interface BarRow extends Omit<RawBar, 'symbol'> {
  asset_id: number;
  [feature: string]: number | string | null;
}

/**
 * Builds the panel of a backtest from the database in at most four queries: the bars of the
 * universe's active assets from `lookback` trading days before `from` to `to` with the features the
 * spec reads (one join), the signal facts of its templates, and its review filter's reviews. An empty
 * universe or a range without bars is an invalid_input AppError; nothing is written.
 */
export async function loadPanel(
  sql: Sql,
  req: LoadRequest,
  opts: { benchmarks: Record<AssetType, string> },
): Promise<LoadedPanel> {
  const reads = strategyReads(req.spec);
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
  // cross on the first simulated day sees the day before it.
  const [start] = await sql<{ date: string | null }[]>`
    select min(date)::text as date from (
      select distinct date from daily_bars
      where asset_id = any(${ids}::bigint[]) and date < ${req.from}::date
      order by date desc limit ${reads.lookback + 1}
    ) warm`;
  const first = start?.date ?? req.from;
  const bars = await sql<BarRow[]>`
    select b.asset_id, b.date::text as date, b.open, b.high, b.low, b.close, b.volume
      ${reads.features.length ? sql`, ${sql(reads.features)}` : sql``}
    from daily_bars b
    ${reads.features.length ? sql`left join daily_features f on f.asset_id = b.asset_id and f.date = b.date` : sql``}
    where b.asset_id = any(${ids}::bigint[]) and b.date between ${first}::date and ${req.to}::date`;
  if (!bars.some((b) => b.date >= req.from))
    throw new AppError(
      'invalid_input',
      `universe "${req.universe}" has no bars between ${req.from} and ${req.to}`,
      {
        retryable: false,
      },
    );
  const fired = new Map<string, string[]>();
  if (reads.signals.length) {
    const facts = await sql<{ asset_id: number; date: string; template: string }[]>`
      select asset_id, date::text as date, template from daily_signal_facts
      where asset_id = any(${ids}::bigint[]) and template = any(${reads.signals}::text[])
        and date between ${first}::date and ${req.to}::date`;
    for (const f of facts) {
      const key = `${f.asset_id}|${f.date}`;
      const list = fired.get(key);
      if (list) list.push(f.template);
      else fired.set(key, [f.template]);
    }
  }
  const reviews = new Map<string, PanelRow['review']>();
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
    for (const r of rows)
      reviews.set(`${r.asset_id}|${r.date}`, { direction: r.direction, confidence: r.confidence });
  }
  const byId = new Map(assets.map((a) => [a.id, a]));
  const rows: PanelRow[] = bars.map((b) => {
    const asset = byId.get(b.asset_id)!;
    const key = `${b.asset_id}|${b.date}`;
    const row: PanelRow = {
      symbol: asset.symbol,
      assetType: asset.asset_type,
      date: b.date,
      open: b.open,
      high: b.high,
      low: b.low,
      close: b.close,
      volume: b.volume,
    };
    if (reads.features.length)
      row.features = Object.fromEntries(reads.features.map((f) => [f, b[f] as number | null]));
    const signals = fired.get(key);
    if (signals) row.signals = signals;
    const review = reviews.get(key);
    if (review) row.review = review;
    return row;
  });
  const panel = buildPanel(rows, { features: reads.features, ranks: reads.ranks, signals: reads.signals });
  const days = simulatedDays(panel, req.from, req.to);
  return {
    panel,
    ...days,
    benchmark: benchmarkIndex(panel, opts.benchmarks[universe.asset_type]),
    assetType: universe.asset_type,
  };
}
