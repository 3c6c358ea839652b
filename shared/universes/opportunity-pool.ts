import type { Sql } from '../db/client.ts';
import type { Asset, AssetType } from '../domain/market.ts';
import { DEFAULT_SCREENER, opportunityPool } from '../portfolio/screener.ts';

/**
 * The members of an opportunity-pool universe: active assets of the type with a bar on the type's latest
 * date, screened by the opportunity-pool rule over their last window + 1 bars, the top N by |z-score|,
 * ordered by symbol like every universe.
 */
export async function opportunityPoolAssets(sql: Sql, assetType: AssetType, topN: number): Promise<Asset[]> {
  const bars = DEFAULT_SCREENER.window + 1;
  // One index range per asset on the (asset_id, date) key: the last bars, oldest first.
  const rows = await sql<(Asset & { last: string | null; closes: number[]; volumes: number[] })[]>`
    select a.id, a.symbol, a.asset_type, a.name, h.last, h.closes, h.volumes
    from assets a
    cross join lateral (
      select max(x.date)::text as last, array_agg(x.close order by x.date) as closes,
             array_agg(x.volume order by x.date) as volumes
      from (select date, close, volume from daily_bars where asset_id = a.id order by date desc limit ${bars}) x
    ) h
    where a.asset_type = ${assetType} and a.active and h.last is not null`;
  // ISO dates compare as strings; the market's latest date is the latest any asset has.
  let latest = '';
  for (const r of rows) if (r.last! > latest) latest = r.last!;
  const current = rows.filter((r) => r.last === latest);
  const pool = opportunityPool(
    current.map((r) => ({ asset: r.symbol, close: r.closes, volume: r.volumes })),
    { ...DEFAULT_SCREENER, topN, rankBy: 'abs_zscore' },
  );
  const members = new Set(pool.map((p) => p.asset));
  return current
    .filter((r) => members.has(r.symbol))
    .map(({ id, symbol, asset_type, name }) => ({ id, symbol, asset_type, name }))
    .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}
