// Universe ranks of a features run, computed once when the run is planned and written by each job with
// the rest of its rows. Ranking after the jobs had written rewrote every wide row a second time (12-16 s
// of a 38 s S&P backfill, 620,276 rows); the ranks of a run are a narrow table that each job reads for
// its own assets.
import type { Sql } from '../../db/client.ts';
import { pgDays } from '../../db/copy.ts';
import { float8s, int4s } from '../../db/packed.ts';
import type { AssetFeatureName, FeatureName } from '../../features/catalogue.ts';
import type { FeatureBlock } from './write.ts';

type UniverseFeatureName = Exclude<FeatureName, AssetFeatureName>;

/** One asset's planned ranks as a job reads them: dates and ranks packed in the same order. */
interface RankRow {
  asset_id: number;
  days: Uint8Array;
  rank_ret_20: Uint8Array;
  rank_ret_60: Uint8Array;
}

/** Each universe-ranked feature and the n of the n-bar return (ret_n) it ranks. */
const RANKED = { rank_ret_20: 20, rank_ret_60: 60 } as const satisfies Record<UniverseFeatureName, number>;

/**
 * Ranks the universe features of every asset in `assetIds` and date in [from, to] into
 * `feature_run_ranks` under the run `runId` (one row per asset, packed): the percentile (percent_rank, 0-1, null without a return)
 * of the asset's ret_20 and ret_60 among the assets with one that day. The returns are the catalogue's
 * (close / close n bars earlier - 1: the same two float8 operations, so the same values), taken from
 * the bars since the run's jobs have not computed them yet; the earliest bar read is the 60th before
 * `from`. Planning a run twice writes the same rows once. Returns the rows ranked.
 */
export async function planUniverseRanks(
  sql: Sql,
  runId: number,
  assetIds: readonly number[],
  from: string,
  to: string,
): Promise<number> {
  const longest = Math.max(...Object.values(RANKED));
  // In the transaction that starts the run, the window sorts of a backfill (hundreds of thousands of
  // bars) stay in memory; a job planning again, outside one, only sorts on disk.
  await sql`set local work_mem = '64MB'`;
  const res = await sql`
      insert into feature_run_ranks (run_id, asset_id, days, rank_ret_20, rank_ret_60)
      select ${runId}, asset_id,
        string_agg(int4send(date - date '2000-01-01'), ''::bytea order by date),
        string_agg(float8send(coalesce(rank_ret_20, 'NaN')), ''::bytea order by date),
        string_agg(float8send(coalesce(rank_ret_60, 'NaN')), ''::bytea order by date)
      from (
        select asset_id, date,
          case when ret_20 is null then null
            else percent_rank() over (partition by date, ret_20 is null order by ret_20) end as rank_ret_20,
          case when ret_60 is null then null
            else percent_rank() over (partition by date, ret_60 is null order by ret_60) end as rank_ret_60
        from (
          select b.asset_id, b.date,
            b.close / lag(b.close, ${RANKED.rank_ret_20}) over w - 1 as ret_20,
            b.close / lag(b.close, ${RANKED.rank_ret_60}) over w - 1 as ret_60
          from unnest(${assetIds as number[]}::bigint[]) as a(id)
          cross join lateral (
            select coalesce((
              select date from daily_bars p where p.asset_id = a.id and p.date < ${from}::date
              order by date desc offset ${longest - 1} limit 1), '-infinity') as first
          ) s
          join daily_bars b on b.asset_id = a.id and b.date between s.first and ${to}::date
          window w as (partition by b.asset_id order by b.date)
        ) r
        where date >= ${from}::date
      ) k
      group by asset_id
      on conflict do nothing`;
  return res.count;
}

/**
 * Adds the run's planned ranks to each block, aligned with its dates (NaN where none). Returns false,
 * adding nothing, when a block with rows to write has no planned ranks (they were dropped).
 */
export async function attachUniverseRanks(
  sql: Sql,
  runId: number,
  blocks: readonly FeatureBlock[],
): Promise<boolean> {
  if (blocks.length === 0) return true;
  const rows = await sql<RankRow[]>`
    select asset_id, days, rank_ret_20, rank_ret_60 from feature_run_ranks
    where run_id = ${runId} and asset_id = any(${blocks.map((b) => b.assetId)}::bigint[])`;
  const byAsset = new Map(rows.map((r) => [Number(r.asset_id), r]));
  if (blocks.some((b) => b.end > b.start && !byAsset.has(b.assetId))) return false;
  for (const b of blocks) {
    const row = byAsset.get(b.assetId);
    if (!row) continue;
    const at = new Map<number, number>();
    for (let i = b.start; i < b.end; i++) at.set(pgDays(b.dates[i]!), i);
    const days = int4s(row.days);
    const ranks: Record<UniverseFeatureName, Float64Array> = {
      rank_ret_20: new Float64Array(b.dates.length).fill(Number.NaN),
      rank_ret_60: new Float64Array(b.dates.length).fill(Number.NaN),
    };
    for (const name of Object.keys(RANKED) as UniverseFeatureName[]) {
      const planned = float8s(row[name]);
      days.forEach((day, k) => {
        const i = at.get(day);
        if (i !== undefined) ranks[name][i] = planned[k]!;
      });
    }
    b.ranks = ranks;
  }
  return true;
}

/** Drops the planned ranks of a finished run, and those of runs that are gone or older than a day. */
export async function dropUniverseRanks(sql: Sql, runId: number): Promise<void> {
  await sql`
    delete from feature_run_ranks k
    where k.run_id = ${runId}
       or not exists (
         select 1 from pipeline_runs r where r.id = k.run_id and r.created_at > now() - interval '1 day')`;
}
