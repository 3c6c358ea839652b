import { loadBarSeries } from '../../bars/store.ts';
import { addDays } from '../../calendar/index.ts';
import type { Sql } from '../../db/client.ts';
import { finiteOrNull } from '../../db/client.ts';
import type { BarSeries } from '../../domain/market.ts';
import { ASSET_FEATURE_NAMES } from '../../features/catalogue.ts';
import { computeFeatures } from '../../features/compute.ts';
import type { FeatureOptions } from '../../features/types.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, StageHandler } from '../../pipeline/types.ts';
import { resolveUniverse } from '../../universes/index.ts';
import { assetsById } from '../load.ts';
import { FeaturesJob, FeaturesParams } from './input.ts';

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
 * Computes the asset-scoped catalogue for one asset over its full history up to `to` and returns the
 * rows dated within [from, to]. Recursive indicators (EMA 200, Wilder averages) depend on where the
 * series starts, so they are always computed from the first stored bar: a daily run equals a backfill.
 */
export function featureRows(
  assetId: number,
  series: BarSeries,
  opts: FeatureOptions,
  from: string,
  to: string,
): Record<string, number | string | null>[] {
  const values = computeFeatures(series, opts);
  const rows: Record<string, number | string | null>[] = [];
  for (let i = 0; i < series.dates.length; i++) {
    const date = series.dates[i]!;
    if (date < from || date > to) continue;
    const row: Record<string, number | string | null> = { asset_id: assetId, date };
    for (const name of ASSET_FEATURE_NAMES) row[name] = finiteOrNull(values[name][i]);
    rows.push(row);
  }
  return rows;
}

/**
 * Upserts feature rows in one statement: one array parameter per column (unnest), so the row count
 * is not limited by Postgres' 65,535 parameters and the round trip stays single. Universe-ranked
 * columns are left alone. Returns the number written.
 */
export async function upsertFeatureRows(
  sql: Sql,
  rows: Record<string, number | string | null>[],
): Promise<number> {
  if (rows.length === 0) return 0;
  // Column names come from the catalogue constant, never from input.
  const columns = ['asset_id', 'date', ...ASSET_FEATURE_NAMES];
  const types = ['bigint', 'date', ...ASSET_FEATURE_NAMES.map(() => 'float8')];
  const params = columns.map((c) => rows.map((r) => r[c] ?? null));
  const res = await sql.unsafe(
    `insert into daily_features (${columns.join(', ')})
     select * from unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
     on conflict (asset_id, date) do update
     set ${ASSET_FEATURE_NAMES.map((n) => `${n} = excluded.${n}`).join(', ')}, computed_at = now()`,
    params as never[],
  );
  return res.count;
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
    const rows = assets.flatMap((a) => {
      const series = seriesById.get(a.id);
      return series ? featureRows(a.id, series, opts, from, to) : [];
    });
    const written = await upsertFeatureRows(ctx.sql, rows);
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
