import type { Sql } from '../../shared/db/client.ts';
import { createRng } from '../../shared/providers/demo/generate.ts';
import { HISTORY_BARS, SIGNAL_DAYS } from '../../shared/search/algorithms/index.ts';
import type { SearchDataset } from '../../shared/search/evaluate.ts';

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

/** Random-walk OHLCV for `count` tickers over HISTORY_BARS + SIGNAL_DAYS bars. */
export function syntheticDataset(count: number, seed: string): SearchDataset {
  const bars = HISTORY_BARS + SIGNAL_DAYS;
  const rng = createRng(seed);
  const col = () => new Float64Array(count * bars);
  const ds: SearchDataset = {
    week: '2026-11-30',
    dates: Array.from({ length: bars }, (_, i) => `d${i}`),
    symbols: Array.from({ length: count }, (_, k) => `T${k}`),
    assetIds: Array.from({ length: count }, (_, k) => k + 1),
    open: col(),
    high: col(),
    low: col(),
    close: col(),
    volume: col(),
  };
  for (let k = 0; k < count; k++) {
    let price = 20 + 80 * rng.uniform();
    const vol = 0.01 + 0.03 * rng.uniform();
    for (let i = 0; i < bars; i++) {
      const at = k * bars + i;
      const open = price * (1 + 0.3 * vol * rng.normal());
      const close = open * (1 + vol * rng.normal());
      ds.open[at] = open;
      ds.close[at] = close;
      ds.high[at] = Math.max(open, close) * (1 + 0.5 * vol * rng.uniform());
      ds.low[at] = Math.min(open, close) * (1 - 0.5 * vol * rng.uniform());
      ds.volume[at] = 1e6 * Math.exp(0.6 * rng.normal());
      price = close;
    }
  }
  return ds;
}
