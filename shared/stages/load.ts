import type { Sql } from '../db/client.ts';
import type { Asset } from '../domain/market.ts';

/** Loads assets by id, ordered by symbol (job payloads carry ids). */
export function assetsById(sql: Sql, ids: readonly number[]): Promise<Asset[]> {
  return sql<Asset[]>`
    select id, symbol, asset_type, name from assets where id = any(${ids as number[]}::bigint[]) order by symbol`;
}
