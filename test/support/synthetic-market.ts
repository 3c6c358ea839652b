import { tradingDays } from '../../shared/calendar/index.ts';
import type { Sql } from '../../shared/db/client.ts';
import type { RawBar } from '../../shared/domain/market.ts';
import type { MarketDataProvider } from '../../shared/providers/types.ts';
import { fnv1a, mulberry32 } from './random.ts';

// A wide, shallow equity market for fan-out tests: thousands of symbols over a few weeks, generated
// deterministically from the symbol alone, so the seeded history and what the provider later serves
// agree bar for bar in every process. (The demo market generates from 2023 on, far too deep for 5,000
// assets.)

/** `count` equity symbols: SPY (the equity benchmark) and S0001, S0002, ... */
export function syntheticSymbols(count: number): string[] {
  return ['SPY', ...Array.from({ length: count - 1 }, (_, i) => `S${String(i + 1).padStart(4, '0')}`)];
}

/** A market of equity bars on the trading days of [from, to]; each symbol's series is fixed by its name. */
export function createSyntheticMarket(from: string, to: string) {
  const days = tradingDays('equity', from, to);
  const cache = new Map<string, RawBar[]>();
  const series = (symbol: string): RawBar[] => {
    let bars = cache.get(symbol);
    if (bars) return bars;
    const next = mulberry32(fnv1a(symbol));
    let close = 20 + next() * 180;
    bars = days.map((date) => {
      const open = close * (1 + (next() - 0.5) * 0.01);
      close = open * (1 + (next() - 0.5) * 0.04);
      const high = Math.max(open, close) * (1 + next() * 0.01);
      const low = Math.min(open, close) * (1 - next() * 0.01);
      return { symbol, date, open, high, low, close, volume: Math.round(1e5 + next() * 5e6) };
    });
    cache.set(symbol, bars);
    return bars;
  };
  const bars = (symbol: string, lo: string, hi: string) =>
    series(symbol).filter((b) => b.date >= lo && b.date <= hi);
  return {
    days,
    /** Bars of `symbol` dated within [lo, hi]. */
    bars,
    /** The market as a provider; `onFetch` runs before each request is answered (a test's hook to die mid-job). */
    provider(onFetch: () => void = () => {}): MarketDataProvider {
      return {
        id: 'synthetic',
        description: `Synthetic equity market ${from}..${to}`,
        assetTypes: ['equity'],
        async fetchDailyBars(req) {
          onFetch();
          return { bars: req.symbols.flatMap((s) => bars(s, req.from, req.to)), errors: [] };
        },
      };
    },
  };
}

/**
 * Stores the symbols as active equities and their bars dated within [from, to] from `market`, in
 * batches of one `unnest` insert each. Returns the number of bars written.
 */
export async function seedSyntheticMarket(
  sql: Sql,
  market: ReturnType<typeof createSyntheticMarket>,
  symbols: readonly string[],
  from: string,
  to: string,
): Promise<number> {
  await sql`
    insert into assets (asset_type, symbol, name)
    select 'equity', s, s from unnest(${symbols as string[]}::text[]) as s
    on conflict (asset_type, symbol) do nothing`;
  const ids = new Map(
    (
      await sql<{ id: number; symbol: string }[]>`
      select id, symbol from assets where asset_type = 'equity' and symbol = any(${symbols as string[]}::text[])`
    ).map((r) => [r.symbol, Number(r.id)]),
  );
  let written = 0;
  const batch = 500;
  for (let i = 0; i < symbols.length; i += batch) {
    const bars = symbols.slice(i, i + batch).flatMap((s) => market.bars(s, from, to));
    await sql`
      insert into daily_bars (asset_id, date, open, high, low, close, volume, source)
      select * from unnest(
        ${bars.map((b) => ids.get(b.symbol)!)}::bigint[], ${bars.map((b) => b.date)}::date[],
        ${bars.map((b) => b.open)}::float8[], ${bars.map((b) => b.high)}::float8[],
        ${bars.map((b) => b.low)}::float8[], ${bars.map((b) => b.close)}::float8[],
        ${bars.map((b) => b.volume)}::float8[], ${bars.map(() => 'synthetic')}::text[])`;
    written += bars.length;
  }
  return written;
}
