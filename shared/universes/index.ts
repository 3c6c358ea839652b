import type { Sql } from '../db/client.ts';
import type { Asset, AssetInfo, AssetType } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';
import { opportunityPoolAssets } from './opportunity-pool.ts';

/** A `universes` row. */
export interface Universe {
  id: string;
  name: string;
  asset_type: AssetType;
  /** null: every active asset of the type (or the top N by `rank_by`). */
  symbols: string[] | null;
  /**
   * Rule-based universes: the catalogue feature that ranks assets on their latest date, or
   * `opportunity_pool` (the screener's rule on the latest date, ranked by |z-score|)...
   */
  rank_by: 'dollar_vol_20' | 'opportunity_pool' | null;
  /** ...and how many of the highest-ranked assets belong to the universe. */
  top_n: number | null;
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
  const [universe] = await sql<Universe[]>`
    select id, name, asset_type, symbols, rank_by, top_n from universes where id = ${id}`;
  if (!universe) throw new AppError('not_found', `unknown universe "${id}"`);
  if (universe.rank_by === 'opportunity_pool' && universe.top_n)
    return { universe, assets: await opportunityPoolAssets(sql, universe.asset_type, universe.top_n) };
  if (universe.rank_by && universe.top_n) {
    // The other rank_by values are catalogue columns (a schema check); each asset's latest row decides.
    const ranked = await sql<Asset[]>`
      select * from (
        select a.id, a.symbol, a.asset_type, a.name from assets a
        cross join lateral (
          select ${sql(universe.rank_by)} as rank_value from daily_features f
          where f.asset_id = a.id order by f.date desc limit 1
        ) latest
        where a.asset_type = ${universe.asset_type} and a.active and latest.rank_value is not null
        order by latest.rank_value desc, a.symbol
        limit ${universe.top_n}
      ) top order by symbol`;
    return { universe, assets: ranked };
  }
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

/** Parses a universe file: one symbol per line, `#` starts a comment, blank lines ignored. */
export function parseUniverseFile(text: string): string[] {
  const symbols = text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim().toUpperCase())
    .filter(Boolean);
  const invalid = symbols.filter((s) => !/^[A-Z0-9.\-_]{1,20}$/.test(s));
  if (invalid.length > 0)
    throw new AppError('invalid_input', `not symbols: ${invalid.slice(0, 5).join(', ')}`);
  return [...new Set(symbols)];
}

/** Creates or replaces a list universe (e.g. from a file); its assets must exist or be created by ingest. */
export async function saveListUniverse(
  sql: Sql,
  u: { id: string; name: string; assetType: AssetType; symbols: string[]; description?: string },
): Promise<void> {
  await sql`
    insert into universes (id, name, description, asset_type, symbols)
    values (${u.id}, ${u.name}, ${u.description ?? `${u.symbols.length} symbols from a list`}, ${u.assetType}, ${u.symbols})
    on conflict (id) do update
    set name = excluded.name, description = excluded.description, asset_type = excluded.asset_type,
        symbols = excluded.symbols, rank_by = null, top_n = null`;
}
