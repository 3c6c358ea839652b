import type { Sql } from '../db/client.ts';
import type { Asset, AssetInfo, AssetType } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';

/** A `universes` row. */
export interface Universe {
  id: string;
  name: string;
  asset_type: AssetType;
  /** null: every active asset of the type. */
  symbols: string[] | null;
}

/** The universe id an asset type stands for when a command is given `--asset-type`. */
export function universeForAssetType(assetType: AssetType): string {
  return `${assetType}_all`;
}

/** Loads a universe and its active member assets, ordered by symbol. */
export async function resolveUniverse(
  sql: Sql,
  id: string,
): Promise<{ universe: Universe; assets: Asset[] }> {
  const [universe] = await sql<
    Universe[]
  >`select id, name, asset_type, symbols from universes where id = ${id}`;
  if (!universe) throw new AppError('not_found', `unknown universe "${id}"`);
  const assets = await sql<Asset[]>`
    select id, symbol, asset_type, name from assets
    where asset_type = ${universe.asset_type} and active
      and (${universe.symbols}::text[] is null or symbol = any(${universe.symbols}::text[]))
    order by symbol`;
  return { universe, assets };
}

/** Inserts or refreshes asset metadata; returns how many rows were written. */
export async function upsertAssets(sql: Sql, infos: AssetInfo[]): Promise<number> {
  if (infos.length === 0) return 0;
  const rows = infos.map((a) => ({
    symbol: a.symbol.toUpperCase(),
    asset_type: a.assetType,
    name: a.name,
    exchange: a.exchange ?? null,
    sector: a.sector ?? null,
  }));
  const written = await sql`
    insert into assets ${sql(rows, 'symbol', 'asset_type', 'name', 'exchange', 'sector')}
    on conflict (asset_type, symbol) do update
    set name = coalesce(excluded.name, assets.name),
        exchange = coalesce(excluded.exchange, assets.exchange),
        sector = coalesce(excluded.sector, assets.sector),
        updated_at = now()
    where (assets.name, assets.exchange, assets.sector)
      is distinct from (coalesce(excluded.name, assets.name), coalesce(excluded.exchange, assets.exchange),
                        coalesce(excluded.sector, assets.sector))`;
  return written.count;
}
