// Universe ranks of a features run, computed once when the run is planned and written by each job with
// the rest of its rows. Ranking after the jobs had written rewrote every wide row a second time (12-16 s
// of a 38 s S&P backfill, 620,276 rows); the ranks of a run are a narrow table that each job reads for
// its own assets.
import type { Sql } from '../../db/client.ts';
import type { AssetFeatureName, FeatureName } from '../../features/catalogue.ts';
import type { FeatureBlock } from './write.ts';

type UniverseFeatureName = Exclude<FeatureName, AssetFeatureName>;

/** One planned row as a job reads it. */
interface RankRow {
  asset_id: number;
  date: string;
  rank_ret_20: number | null;
  rank_ret_60: number | null;
}

/** Each universe-ranked feature and the n of the n-bar return (ret_n) it ranks. */
const RANKED = { rank_ret_20: 20, rank_ret_60: 60 } as const satisfies Record<UniverseFeatureName, number>;

/**
 * Ranks the universe features of every asset in `assetIds` and date in [from, to] into
 * `feature_run_ranks` under the run `runId`: the percentile (percent_rank, 0-1, null without a return)
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
  const res = await sql`
    insert into feature_run_ranks (run_id, asset_id, date, rank_ret_20, rank_ret_60)
    select ${runId}, asset_id, date,
      case when ret_20 is null then null
        else percent_rank() over (partition by date, ret_20 is null order by ret_20) end,
      case when ret_60 is null then null
        else percent_rank() over (partition by date, ret_60 is null order by ret_60) end
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
    on conflict do nothing`;
  return res.count;
}

/** Adds the run's planned ranks to each block's values, aligned with its dates (NaN where none). */
export async function attachUniverseRanks(
  sql: Sql,
  runId: number,
  blocks: readonly FeatureBlock[],
): Promise<void> {
  const written = blocks.filter((b) => b.end > b.start);
  if (written.length === 0) return;
  const rows = await sql<RankRow[]>`
    select r.asset_id, r.date::text as date, r.rank_ret_20, r.rank_ret_60
    from unnest(
      ${written.map((b) => b.assetId)}::bigint[],
      ${written.map((b) => b.dates[b.start]!)}::date[],
      ${written.map((b) => b.dates[b.end - 1]!)}::date[]
    ) as x(id, first, last)
    join feature_run_ranks r on r.run_id = ${runId} and r.asset_id = x.id and r.date between x.first and x.last`;
  const byAsset = new Map<number, RankRow[]>();
  for (const r of rows) {
    const id = Number(r.asset_id);
    const list = byAsset.get(id);
    if (list) list.push(r);
    else byAsset.set(id, [r]);
  }
  for (const b of written) {
    const at = new Map(b.dates.map((d, i) => [d, i]));
    const ranks = Object.fromEntries(
      Object.keys(RANKED).map((n) => [n, new Float64Array(b.dates.length).fill(Number.NaN)]),
    ) as Record<UniverseFeatureName, Float64Array>;
    for (const r of byAsset.get(b.assetId) ?? []) {
      const i = at.get(r.date);
      if (i === undefined) continue;
      ranks.rank_ret_20[i] = r.rank_ret_20 ?? Number.NaN;
      ranks.rank_ret_60[i] = r.rank_ret_60 ?? Number.NaN;
    }
    b.ranks = ranks;
  }
}

/** Drops the planned ranks of a finished run (and of runs older than a day that never finished). */
export async function dropUniverseRanks(sql: Sql, runId: number): Promise<void> {
  await sql`
    delete from feature_run_ranks
    where run_id = ${runId}
       or run_id in (select id from pipeline_runs where stage = 'features' and created_at < now() - interval '1 day')`;
}
