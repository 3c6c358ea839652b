import { loadBarSeries } from '../../bars/store.ts';
import type { Sql } from '../../db/client.ts';
import { finiteOrNull } from '../../db/client.ts';
import { FEATURE_NAMES } from '../../features/catalogue.ts';
import { computeFeatures } from '../../features/compute.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, PipelineContext, RunRow, StageHandler } from '../../pipeline/types.ts';
import { resolveUniverse } from '../../universes/index.ts';
import { assetsById } from '../load.ts';

/** Assets per features job. */
const CHUNK = 25;
/** Rows per insert statement: 45 columns x 1000 rows stays under Postgres' 65,535 parameters. */
const INSERT_ROWS = 1000;

/**
 * Computes the catalogue for one asset over its full history up to `to` and returns the rows dated
 * within [from, to]. Recursive indicators (EMA 200, Wilder averages) depend on where the series
 * starts, so they are always computed from the first stored bar: a daily run equals a backfill.
 */
export function featureRows(
  assetId: number,
  series: Parameters<typeof computeFeatures>[0],
  periodsPerYear: number,
  from: string,
  to: string,
): Record<string, number | string | null>[] {
  const values = computeFeatures(series, { periodsPerYear });
  const rows: Record<string, number | string | null>[] = [];
  for (let i = 0; i < series.dates.length; i++) {
    const date = series.dates[i]!;
    if (date < from || date > to) continue;
    const row: Record<string, number | string | null> = { asset_id: assetId, date };
    for (const name of FEATURE_NAMES) row[name] = finiteOrNull(values[name][i]);
    rows.push(row);
  }
  return rows;
}

/** Upserts feature rows; returns the number written. */
export async function upsertFeatureRows(
  sql: Sql,
  rows: Record<string, number | string | null>[],
): Promise<number> {
  const columns = ['asset_id', 'date', ...FEATURE_NAMES];
  // Column names come from the catalogue constant, never from input.
  const updates = sql.unsafe(FEATURE_NAMES.map((n) => `${n} = excluded.${n}`).join(', '));
  let written = 0;
  for (const part of chunk(rows, INSERT_ROWS)) {
    const res = await sql`
      insert into daily_features ${sql(part, columns)}
      on conflict (asset_id, date) do update set ${updates}, computed_at = now()`;
    written += res.count;
  }
  return written;
}

/** Features: compute the technical catalogue into `daily_features` for the run date (or a range). */
export const featuresStage: StageHandler = {
  stage: 'features',
  description: 'Computes the technical feature catalogue into daily_features',

  async plan(ctx: PipelineContext, run: RunRow) {
    const { assets } = await resolveUniverse(ctx.sql, run.universe);
    return chunk(
      assets.map((a) => a.id),
      CHUNK,
    ).map((ids) => ({ asset_ids: ids }));
  },

  async process(ctx: PipelineContext, run: RunRow, payload): Promise<JobOutcome> {
    const assets = await assetsById(ctx.sql, payload.asset_ids as number[]);
    const from = typeof run.params.from === 'string' ? run.params.from : run.run_date;
    const seriesById = await loadBarSeries(
      ctx.sql,
      assets.map((a) => a.id),
      run.run_date,
    );
    const rows = assets.flatMap((a) => {
      const series = seriesById.get(a.id);
      return series
        ? featureRows(a.id, series, a.asset_type === 'crypto' ? 365 : 252, from, run.run_date)
        : [];
    });
    const written = await upsertFeatureRows(ctx.sql, rows);
    return { counts: { feature_rows: written }, assetErrors: [] };
  },
};
