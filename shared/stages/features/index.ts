import { loadBarSeries } from '../../bars/store.ts';
import type { Sql } from '../../db/client.ts';
import type { BarSeries } from '../../domain/market.ts';
import { computeFeatures } from '../../features/compute.ts';
import type { FeatureOptions } from '../../features/types.ts';
import type { JobOutcome, StageHandler, StageRun } from '../../pipeline/types.ts';
import { resolveUniverse } from '../../universes/index.ts';
import { assetsById } from '../load.ts';
import { FeaturesJob, FeaturesParams } from './input.ts';
import { attachUniverseRanks, dropUniverseRanks, planUniverseRanks } from './ranks.ts';
import { type FeatureBlock, upsertFeatureBlocks } from './write.ts';

/**
 * Bars of history one features job computes over. A job's CPU is in computing the catalogue over each
 * asset's full history (about 1.6 us a bar) and, for a range, encoding its rows (less than that a row),
 * so jobs are cut by history rather than by asset count: 16 assets of 5 years, or 40 of 2 years, or 2
 * with 20 years of crypto. Measured on the 5,000 x 2-year bench: 30,000 bars took 150 ms of CPU at the
 * median and 260 ms at most, over the 250 ms job share of the default budget; 20,000 keep inside it.
 */
const BARS_PER_JOB = 20_000;
/** Assets per job at most, however short their histories (each asset has a fixed cost too). */
const MAX_ASSETS_PER_JOB = 200;

/**
 * Cuts `assets` (in order) into jobs of at most BARS_PER_JOB estimated bars up to `to`. A bar count per
 * asset would read every index entry; the first bar's date is one probe, and the calendar days since
 * then (times the share of days that trade) bound the bars from above.
 */
async function chunkByHistory(
  sql: Sql,
  assets: readonly { id: number; asset_type: string }[],
  to: string,
): Promise<number[][]> {
  const days = await sql<{ days: number | null }[]>`
    select ${to}::date - (select min(b.date) from daily_bars b where b.asset_id = a.id) + 1 as days
    from unnest(${assets.map((a) => a.id)}::bigint[]) with ordinality as a(id, k)
    order by a.k`;
  const jobs: number[][] = [];
  let current: number[] = [];
  let bars = 0;
  assets.forEach((asset, i) => {
    const tradingShare = asset.asset_type === 'crypto' ? 1 : 252 / 365;
    const cost = Math.ceil(Math.max(0, days[i]?.days ?? 0) * tradingShare);
    if (current.length > 0 && (bars + cost > BARS_PER_JOB || current.length >= MAX_ASSETS_PER_JOB)) {
      jobs.push(current);
      current = [];
      bars = 0;
    }
    current.push(asset.id);
    bars += cost;
  });
  if (current.length > 0) jobs.push(current);
  return jobs;
}

/**
 * Computes the asset-scoped catalogue for one asset over its full history up to `to` and picks the rows
 * dated within [from, to]. Recursive indicators (EMA 200, Wilder averages) and TA-Lib's running sums
 * depend on where the series starts, so they are always computed from the first stored bar: a daily run
 * equals a backfill. Window-local kernels compute only the windows of [from, to] (computeFeatures' `from`).
 */
export function featureBlock(
  assetId: number,
  series: BarSeries,
  opts: FeatureOptions,
  from: string,
  to: string,
): FeatureBlock {
  const { dates } = series;
  let start = 0;
  while (start < dates.length && dates[start]! < from) start++;
  let end = start;
  while (end < dates.length && dates[end]! <= to) end++;
  return { assetId, dates, values: computeFeatures(series, opts, start), start, end };
}

/** Plans the run's universe ranks over its range (shared/stages/features/ranks.ts). */
function planRanks(sql: Sql, run: StageRun<FeaturesParams>, assets: readonly { id: number }[]) {
  return planUniverseRanks(
    sql,
    run.id,
    assets.map((a) => a.id),
    run.params.from ?? run.run_date,
    run.run_date,
  );
}

/** Features: compute the technical catalogue into `daily_features` for the run date (or a range). */
export const featuresStage: StageHandler<FeaturesParams, FeaturesJob> = {
  stage: 'features',
  description: 'Computes the technical feature catalogue into daily_features',
  params: FeaturesParams,
  payload: FeaturesJob,

  async plan(ctx, run) {
    const { assets } = await resolveUniverse(ctx.sql, run.universe);
    // Universe ranks need every asset's returns: ranked here, once, and written by each job with its rows.
    await planRanks(ctx.sql, run, assets);
    return (await chunkByHistory(ctx.sql, assets, run.run_date)).map((ids) => ({ asset_ids: ids }));
  },

  async process(ctx, run, payload): Promise<JobOutcome> {
    const assets = await assetsById(ctx.sql, payload.asset_ids);
    // A job writes the run's range; jobs queued by older versions carry a window of it.
    const from = payload.from ?? run.params.from ?? run.run_date;
    const to = payload.to ?? run.run_date;
    const assetType = assets[0]?.asset_type;
    if (!assetType) return { counts: { feature_rows: 0 }, assetErrors: [] };
    const [benchmark] = await ctx.sql<{ id: number }[]>`
      select id from assets where asset_type = ${assetType} and symbol = ${ctx.benchmarks[assetType]}`;
    const ids = assets.map((a) => a.id);
    const seriesById = await loadBarSeries(ctx.sql, benchmark ? [...ids, benchmark.id] : ids, to);
    const opts: FeatureOptions = {
      periodsPerYear: assetType === 'crypto' ? 365 : 252,
      benchmark: benchmark ? seriesById.get(benchmark.id) : undefined,
    };
    const blocks = assets.flatMap((a) => {
      const series = seriesById.get(a.id);
      return series ? [featureBlock(a.id, series, opts, from, to)] : [];
    });
    if (!(await attachUniverseRanks(ctx.sql, run.id, blocks))) {
      // A retried run whose follow-up already dropped its ranks: ranked again, never written as null.
      await planRanks(ctx.sql, run, (await resolveUniverse(ctx.sql, run.universe)).assets);
      if (!(await attachUniverseRanks(ctx.sql, run.id, blocks)))
        throw new Error(`features run ${run.id}: no universe ranks planned for some of its assets`);
    }
    const written = await upsertFeatureBlocks(ctx.sql, blocks);
    return { counts: { feature_rows: written }, assetErrors: [] };
  },

  async afterRun(ctx, run) {
    await dropUniverseRanks(ctx.sql, run.id);
    return {};
  },
};
