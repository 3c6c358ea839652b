import { loadBarSeries } from '../../bars/store.ts';
import { addDays } from '../../calendar/index.ts';
import type { Sql } from '../../db/client.ts';
import type { BarSeries } from '../../domain/market.ts';
import { computeFeatures } from '../../features/compute.ts';
import type { FeatureOptions } from '../../features/types.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, StageHandler } from '../../pipeline/types.ts';
import { resolveUniverse } from '../../universes/index.ts';
import { assetsById } from '../load.ts';
import { FeaturesJob, FeaturesParams } from './input.ts';
import { type FeatureBlock, upsertFeatureBlocks } from './write.ts';

/** Assets per features job. */
const CHUNK = 25;

/**
 * Calendar days of rows one job writes when a run covers a range (a backfill or a repair). Writing
 * rows costs most of a history job's CPU (25 assets x a year of rows measured 0.75-1 s per job; in
 * 40-day windows, 70 ms median and 255 ms at most). Each window still computes from the first stored
 * bar, so windows change nothing in the values.
 */
const WINDOW_DAYS = 40;

/**
 * Computes the asset-scoped catalogue for one asset over its full history up to `to` and picks the rows
 * dated within [from, to]. Recursive indicators (EMA 200, Wilder averages) depend on where the series
 * starts, so they are always computed from the first stored bar: a daily run equals a backfill.
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
  return { assetId, dates, values: computeFeatures(series, opts), start, end };
}

/**
 * Ranks the universe-scoped features across the universe's assets for each date in [from, to]
 * (percentile 0-1; null where the input is null). Runs once all of a run's feature jobs are done.
 */
export async function rankUniverseFeatures(sql: Sql, assetIds: readonly number[], from: string, to: string) {
  const res = await sql`
    update daily_features f
    set rank_ret_20 = r.rank_ret_20, rank_ret_60 = r.rank_ret_60
    from (
      select asset_id, date,
        case when ret_20 is null then null
          else percent_rank() over (partition by date, ret_20 is null order by ret_20) end as rank_ret_20,
        case when ret_60 is null then null
          else percent_rank() over (partition by date, ret_60 is null order by ret_60) end as rank_ret_60
      from daily_features
      where asset_id = any(${assetIds as number[]}::bigint[]) and date between ${from}::date and ${to}::date
    ) r
    where f.asset_id = r.asset_id and f.date = r.date
      and (f.rank_ret_20, f.rank_ret_60) is distinct from (r.rank_ret_20, r.rank_ret_60)`;
  return res.count;
}

/** Features: compute the technical catalogue into `daily_features` for the run date (or a range). */
export const featuresStage: StageHandler<FeaturesParams, FeaturesJob> = {
  stage: 'features',
  description: 'Computes the technical feature catalogue into daily_features',
  params: FeaturesParams,
  payload: FeaturesJob,

  async plan(ctx, run) {
    const { assets } = await resolveUniverse(ctx.sql, run.universe);
    const chunks = chunk(
      assets.map((a) => a.id),
      CHUNK,
    );
    if (run.params.from === undefined) return chunks.map((ids) => ({ asset_ids: ids }));
    const windows: { from: string; to: string }[] = [];
    for (let start = run.params.from; start <= run.run_date; start = addDays(start, WINDOW_DAYS)) {
      let end = addDays(start, WINDOW_DAYS - 1);
      if (end > run.run_date) end = run.run_date;
      windows.push({ from: start, to: end });
    }
    return chunks.flatMap((ids) => windows.map((w) => ({ asset_ids: ids, ...w })));
  },

  async process(ctx, run, payload): Promise<JobOutcome> {
    const assets = await assetsById(ctx.sql, payload.asset_ids);
    // A history job writes its window; a job planned without one (a one-day run) the run's range.
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
    const written = await upsertFeatureBlocks(ctx.sql, blocks);
    return { counts: { feature_rows: written }, assetErrors: [] };
  },

  async afterRun(ctx, run) {
    const { assets } = await resolveUniverse(ctx.sql, run.universe);
    const from = run.params.from ?? run.run_date;
    const ranked = await rankUniverseFeatures(
      ctx.sql,
      assets.map((a) => a.id),
      from,
      run.run_date,
    );
    return { ranked_rows: ranked };
  },
};
