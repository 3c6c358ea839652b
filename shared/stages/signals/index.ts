import { addDays, tradingDays } from '../../calendar/index.ts';
import type { Sql } from '../../db/client.ts';
import { packRows, unpackRows } from '../../db/packed.ts';
import type { AssetType } from '../../domain/market.ts';
import { FEATURE_NAMES } from '../../features/catalogue.ts';
import { isSentimentInput, sentimentRelation, sentimentSeries } from '../../news/sentiment/inputs.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, PipelineContext, StageHandler } from '../../pipeline/types.ts';
import { evaluateAll, type SeriesBatch, type SignalFact } from '../../signals/evaluate.ts';
import { inputDepths, templateLookback, templateRanks } from '../../signals/inputs.ts';
import type { SignalTemplate } from '../../signals/schema.ts';
import { loadActiveTemplates } from '../../signals/store.ts';
import { resolveUniverse } from '../../universes/index.ts';
import { SignalsJob, SignalsParams } from './input.ts';

const FEATURE_SET = new Set<string>(FEATURE_NAMES);
const BAR_FIELDS = new Set(['open', 'high', 'low', 'close', 'volume']);

/**
 * Most assets per signals job. Measured CPU per job (test/pipeline/fanout.test.ts): about 200 ms for
 * a 5,000-asset day, so 2,500 keeps a job near 100 ms, inside JOB_SHARE of a drain's CPU budget.
 */
const JOB_ASSETS = 2500;

/**
 * Asset-days a history job evaluates. 50,000 measured 0.5-0.8 s of CPU per job (500 assets x 100
 * days); 12,500 measured 0.13-0.27 s, near the one-day job's cost.
 */
const JOB_ROWS = 12_500;

/** Facts per insert statement. */
const INSERT_BATCH = 10_000;

/** What to evaluate: templates over some of a universe's assets, on their stored dates in [from, to]. */
export interface SignalsRequest {
  templates: readonly SignalTemplate[];
  /** Universe id: `rank` conditions rank across all of its assets, whichever of them are evaluated. */
  universe: string;
  /** The assets to evaluate; those outside the universe are skipped. */
  assetIds: readonly number[];
  from: string;
  to: string;
}

/** `n` missing values. */
const missing = (n: number) => new Float64Array(n).fill(Number.NaN);

/**
 * A stored row: catalogue features and the bar of the same asset and date, and with a sentiment
 * series, that day's sentiment (left joined: a day without it reads missing).
 */
function stored(series: string | null): string {
  const rows = 'daily_features f join daily_bars b on b.asset_id = f.asset_id and b.date = f.date';
  return series === null
    ? rows
    : `${rows} left join ${sentimentRelation(series)} s on s.asset_id = f.asset_id and s.date = f.date`;
}

/** The SQL column of a whitelisted input; anything else is refused before it can reach SQL text. */
function sqlColumn(name: string): string {
  if (BAR_FIELDS.has(name)) return `b.${name}`;
  if (FEATURE_SET.has(name)) return `f.${name}`;
  if (isSentimentInput(name)) return `s.${name}`;
  throw new RangeError(`"${name}" is not a catalogue feature or bar field`);
}

/** One asset's loaded rows, dates ascending: the first `lookback` lie before the evaluated range. */
interface LoadedAsset {
  assetId: number;
  dates: string[];
  lookback: number;
  /** Where its rows start in the job's columns. */
  offset: number;
}

/**
 * A job's rows, asset after asset, as one column per input: a few large arrays, where one per input
 * and asset would cost more to allocate and collect than the evaluation costs.
 */
interface Loaded {
  assets: LoadedAsset[];
  rows: number;
  columns: Record<string, Float64Array>;
}

/**
 * Loads each asset's stored rows in [from, to] and the `lookback` stored rows before `from`, however
 * far back they lie, one lateral join per asset (no sort of the wide rows). The older rows carry
 * only the inputs read on them (depth > 0). Assets with no row in [from, to] are left out.
 */
async function loadColumns(
  sql: Sql,
  ids: readonly number[],
  lookback: number,
  depths: ReadonlyMap<string, number>,
  from: string,
  to: string,
  series: string,
): Promise<Loaded> {
  const inputs = [...depths.keys()];
  const past = inputs.filter((n) => depths.get(n)! > 0);
  const rowsOf = stored(inputs.some(isSentimentInput) ? series : null);
  const rows = await sql<
    {
      asset_id: number;
      past_dates: string | null;
      past: Uint8Array | null;
      dates: string;
      today: Uint8Array;
    }[]
  >`
    select w.asset_id, p.dates as past_dates, p.packed as past, t.dates, t.packed as today
    from unnest(${ids as number[]}::bigint[]) as w(asset_id)
    cross join lateral (
      select string_agg(date::text, ',' order by date) as dates, ${sql.unsafe(packRows(past, 'date'))} as packed
      from (
        select f.date ${sql.unsafe(past.map((n) => `, ${sqlColumn(n)} as ${n}`).join(''))}
        from ${sql.unsafe(rowsOf)}
        where f.asset_id = w.asset_id and f.date < ${from}::date
        order by f.date desc limit ${lookback}
      ) x
    ) p
    cross join lateral (
      select string_agg(f.date::text, ',' order by f.date) as dates,
        ${sql.unsafe(packRows(inputs.map(sqlColumn), 'f.date'))} as packed
      from ${sql.unsafe(rowsOf)}
      where f.asset_id = w.asset_id and f.date between ${from}::date and ${to}::date
    ) t
    where t.dates is not null`;
  let total = 0;
  const assets = rows.map((r) => {
    const before = r.past_dates?.split(',') ?? [];
    const dates = [...before, ...r.dates.split(',')];
    const asset = { assetId: r.asset_id, dates, lookback: before.length, offset: total };
    total += dates.length;
    return asset;
  });
  const columns = Object.fromEntries(inputs.map((n) => [n, missing(total)]));
  const [pastColumns, allColumns] = [past.map((n) => columns[n]!), inputs.map((n) => columns[n]!)];
  rows.forEach((r, k) => {
    const { offset, lookback: n } = assets[k]!;
    unpackRows(r.past, pastColumns, offset);
    unpackRows(r.today, allColumns, offset + n);
  });
  return { assets, rows: total, columns };
}

/**
 * Universe percentile ranks of `feature` for the assets `ids`, as percent_rank() gives them (ties
 * share the lowest rank, a lone value ranks 0, a null is not ranked), each on its stored dates in
 * [from, to] and its `depth` stored dates before `from`. The dates are found in the query, from
 * index-only scans of the features (a features row always has its bar), so that it runs beside
 * loadColumns.
 */
async function loadRanks(
  sql: Sql,
  universeIds: readonly number[],
  ids: readonly number[],
  feature: string,
  depth: number,
  from: string,
  to: string,
): Promise<Map<number, { dates: string[]; ranks: Uint8Array }>> {
  const column = sql.unsafe(sqlColumn(feature));
  const rows = await sql<{ asset_id: number; dates: string; ranks: Uint8Array }[]>`
    select asset_id, string_agg(date::text, ',' order by date) as dates, ${sql.unsafe(packRows(['rank'], 'date'))} as ranks
    from (
      select f.asset_id, f.date, percent_rank() over (partition by f.date order by ${column}) as rank
      from daily_features f
      where f.asset_id = any(${universeIds as number[]}::bigint[]) and ${column} is not null
        and f.date = any(array(
          select distinct d.date from unnest(${ids as number[]}::bigint[]) as w(asset_id)
          cross join lateral (
            (select date from daily_features
             where asset_id = w.asset_id and date between ${from}::date and ${to}::date)
            union all
            (select date from daily_features
             where asset_id = w.asset_id and date < ${from}::date order by date desc limit ${depth})
          ) d))
    ) r
    where asset_id = any(${ids as number[]}::bigint[])
    group by asset_id`;
  return new Map(rows.map((r) => [r.asset_id, { dates: r.dates.split(','), ranks: r.ranks }]));
}

/** Lays ranks on their own dates (ascending) onto an asset's row dates (ascending) in `out` from `offset`. */
function align(
  ranked: { dates: readonly string[]; ranks: Uint8Array },
  asset: LoadedAsset,
  out: Float64Array,
): void {
  const view = new DataView(ranked.ranks.buffer, ranked.ranks.byteOffset, ranked.ranks.byteLength);
  const { dates, offset } = asset;
  for (let i = 0, j = 0; i < dates.length; i++) {
    while (j < ranked.dates.length && ranked.dates[j]! < dates[i]!) j++;
    if (ranked.dates[j] === dates[i]) out[offset + i] = view.getFloat64(j * 8);
  }
}

/**
 * Loads the batch `evaluateAll` reads: each asset's rows in [from, to] with the older rows its
 * templates reach, and the universe ranks of each ranked feature on the rows it is read on; the
 * queries run side by side.
 */
async function loadBatch(
  sql: Sql,
  req: SignalsRequest,
  types: ReadonlyMap<number, AssetType>,
  universeIds: readonly number[],
  series: string,
): Promise<SeriesBatch> {
  const ids = req.assetIds.filter((id) => types.has(id));
  if (ids.length === 0) return { assets: [], columns: {}, ranks: {} };
  const lookback = Math.max(0, ...req.templates.map(templateLookback));
  const [loaded, ranked] = await Promise.all([
    loadColumns(sql, ids, lookback, inputDepths(req.templates), req.from, req.to, series),
    Promise.all(
      [...templateRanks(req.templates)].map(async ([feature, depth]) => ({
        feature,
        byAsset: await loadRanks(sql, universeIds, ids, feature, depth, req.from, req.to),
      })),
    ),
  ]);
  const ranks: Record<string, Float64Array> = {};
  for (const { feature, byAsset } of ranked) {
    const out = missing(loaded.rows);
    for (const a of loaded.assets) {
      const values = byAsset.get(a.assetId);
      if (values) align(values, a, out);
    }
    ranks[feature] = out;
  }
  return {
    assets: loaded.assets.map((a) => ({
      assetId: a.assetId,
      assetType: types.get(a.assetId)!,
      start: a.offset,
      dates: a.dates,
    })),
    columns: loaded.columns,
    ranks,
  };
}

// The signals stage writes what this returns; the preview API only shows it.
/** Evaluates templates over a universe's assets on their stored dates in [from, to], without writing. */
export async function evaluateSignals(
  ctx: Pick<PipelineContext, 'sql' | 'sentiment'>,
  req: SignalsRequest,
): Promise<SignalFact[]> {
  if (req.templates.length === 0 || req.assetIds.length === 0) return [];
  const { assets } = await resolveUniverse(ctx.sql, req.universe);
  const types = new Map(assets.map((a) => [a.id, a.asset_type]));
  const batch = await loadBatch(
    ctx.sql,
    req,
    types,
    assets.map((a) => a.id),
    sentimentSeries(ctx),
  );
  return evaluateAll(req.templates, batch, req.from);
}

/**
 * Replaces the facts of these assets in [from, to] with `facts`: a fact that no longer holds after a
 * correction disappears, and a rerun converges to the same rows.
 */
async function replaceFacts(
  sql: Sql,
  assetIds: readonly number[],
  from: string,
  to: string,
  facts: readonly SignalFact[],
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`
      delete from daily_signal_facts
      where asset_id = any(${assetIds as number[]}::bigint[]) and date between ${from}::date and ${to}::date`;
    for (const part of chunk(facts, INSERT_BATCH)) {
      await tx`
        insert into daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
        select asset_id, date, template, template_version, direction, strength, evidence::jsonb
        from unnest(
          ${part.map((f) => f.assetId)}::bigint[], ${part.map((f) => f.date)}::date[],
          ${part.map((f) => f.template)}::text[], ${part.map((f) => f.templateVersion)}::int[],
          ${part.map((f) => f.direction)}::text[], ${part.map((f) => f.strength)}::float8[],
          ${part.map((f) => JSON.stringify(f.evidence))}::text[]
        ) as r(asset_id, date, template, template_version, direction, strength, evidence)`;
    }
  });
}

// A one-day run splits by assets only; a history run also into windows of trading days, so that a job
// stays small and each window's universe ranks are computed once per asset chunk, not over the range.
/** Splits a run into jobs of at most JOB_ASSETS assets and about JOB_ROWS asset-days tiling [from, to]. */
export function planSignalJobs(
  assetIds: readonly number[],
  assetType: AssetType,
  from: string,
  to: string,
): { asset_ids: number[]; from: string; to: string }[] {
  const perJob = Math.min(JOB_ASSETS, Math.max(1, assetIds.length));
  const days = tradingDays(assetType, from, to);
  const starts = chunk(days, Math.max(1, Math.floor(JOB_ROWS / perJob))).map((w) => w[0]!);
  starts[0] = from;
  const windows = starts.map((start, k) => ({
    from: start,
    to: k + 1 < starts.length ? addDays(starts[k + 1]!, -1) : to,
  }));
  return chunk(assetIds, perJob).flatMap((ids) => windows.map((w) => ({ asset_ids: ids, ...w })));
}

/** `asset|date` keys of bars the data-quality ledger flagged (a jump, a provider disagreement). */
async function flaggedBars(
  sql: Sql,
  assetIds: readonly number[],
  from: string,
  to: string,
): Promise<Set<string>> {
  const rows = await sql<{ asset_id: number; date: string }[]>`
    select distinct asset_id, date from data_quality_ledger
    where kind in ('flagged', 'reconciliation') and asset_id = any(${assetIds as number[]}::bigint[])
      and date between ${from} and ${to}`;
  return new Set(rows.map((r) => `${r.asset_id}|${r.date}`));
}

/** Signals: evaluate the enabled templates into `daily_signal_facts` for the run date (or a range). */
export const signalsStage: StageHandler<SignalsParams, SignalsJob> = {
  stage: 'signals',
  description: 'Evaluates the enabled signal templates into daily_signal_facts',
  params: SignalsParams,
  payload: SignalsJob,

  async plan(ctx, run) {
    const { universe, assets } = await resolveUniverse(ctx.sql, run.universe);
    const from = run.params.from ?? run.run_date;
    return planSignalJobs(
      assets.map((a) => a.id),
      universe.asset_type,
      from,
      run.run_date,
    );
  },

  async process(ctx, run, payload): Promise<JobOutcome> {
    const { asset_ids: assetIds, from, to } = payload;
    const templates = await loadActiveTemplates(ctx.sql);
    const evaluated = await evaluateSignals(ctx, { templates, universe: run.universe, assetIds, from, to });
    const flagged = ctx.skipFlagged ? await flaggedBars(ctx.sql, assetIds, from, to) : new Set<string>();
    const facts = evaluated.filter((f) => !flagged.has(`${f.assetId}|${f.date}`));
    await replaceFacts(ctx.sql, assetIds, from, to, facts);
    return {
      counts: { facts: facts.length, skipped_flagged: evaluated.length - facts.length },
      assetErrors: [],
    };
  },
};
