import type { Sql } from '../../shared/db/client.ts';
import { createRng } from '../../shared/providers/demo/generate.ts';

/**
 * Stores random-walk equity bars on `days` for `symbols`. Special symbols exercise the dataset's
 * screens: PENNY trades near 2, THIN trades 1,000 shares a day, GAPPY misses 2026-11-25, SPYX is named
 * an ETF.
 */
export async function seedBars(sql: Sql, symbols: readonly string[], days: readonly string[]): Promise<void> {
  const rng = createRng('search-dataset');
  for (const symbol of symbols) {
    const [asset] = await sql<{ id: string }[]>`
      insert into assets (symbol, asset_type, name)
      values (${symbol}, 'equity', ${symbol === 'SPYX' ? 'Some Index ETF' : `${symbol} Inc`}) returning id`;
    let price = symbol === 'PENNY' ? 2 : 30 + 50 * rng.uniform();
    const rows = [];
    for (const date of days) {
      if (symbol === 'GAPPY' && date === '2026-11-25') continue;
      const open = price * (1 + 0.005 * rng.normal());
      const close = open * (1 + 0.02 * rng.normal());
      rows.push({
        asset_id: asset!.id,
        date,
        open,
        high: Math.max(open, close) * 1.01,
        low: Math.min(open, close) * 0.99,
        close,
        volume: symbol === 'THIN' ? 1000 : 1e6 * (1 + rng.uniform()),
        source: 'test',
      });
      price = close;
    }
    await sql`insert into daily_bars ${sql(rows)}`;
  }
}
