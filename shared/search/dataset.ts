// The weekly search's dataset snapshot: from stored bars, the tradable universe of the week (common-
// stock-like equity symbols with complete OHLCV on the week's 5 sessions and the history the algorithms
// read, price and liquidity screens on the week's first session), a seeded random sample of it, stored
// as one row of packed float8 columns so a search loads it in one read. Past weeks stay; the latest
// week stored is marked current.

import { addDays } from '../calendar/index.ts';
import type { Sql } from '../db/client.ts';
import { copyOutRows } from '../db/copy-out.ts';
import { float8s, packRows, unpackRows } from '../db/packed.ts';
import { AppError } from '../errors/index.ts';
import { createRng } from '../providers/demo/generate.ts';
import { HISTORY_BARS, SIGNAL_DAYS } from './algorithms/index.ts';
import type { SearchDataset } from './evaluate.ts';

/** How a week's snapshot is drawn. */
export interface DatasetOptions {
  /** Tickers to sample (default 1,000; all eligible ones when fewer). */
  size?: number;
  seed?: number;
  /** Minimum close on the week's first session (default 5). */
  minPrice?: number;
  /** Minimum close × volume on the week's first session (default 1,000,000). */
  minDollarVolume?: number;
}

/** What building a snapshot stored. */
export interface DatasetSummary {
  week: string;
  sessions: string[];
  eligible: number;
  sampled: number;
}

// Common-stock-like: 1–5 capital letters with at most a class suffix (BRK.B, BF-B); names of funds,
// warrants, units, preferreds and notes are not common stock.
const SYMBOL_PATTERN = '^[A-Z]{1,5}([.-][A-Z])?$';
const NOT_COMMON = '\\m(etf|etn|fund|warrants?|units?|preferred|notes?|rights?)\\M';

/** Monday of the ISO week containing `date`. */
export function weekStart(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, dow === 0 ? -6 : 1 - dow);
}

/** Encodes values as big-endian float8, as float8send writes them. */
function float8Bytes(values: Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i]!);
  return bytes;
}

/** Uniform sample without replacement of `size` of `items` (partial Fisher–Yates), in the items' order. */
function sample<T>(items: readonly T[], size: number, label: string): T[] {
  const rng = createRng(label);
  const order = items.map((_, i) => i);
  const n = Math.min(size, items.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng.uniform() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}

/** The last `count` bar dates of the equity market up to `upTo`, oldest first. */
export async function equityBarDates(sql: Sql, upTo: string, count: number): Promise<string[]> {
  // Two calendar days per bar date (and a margin) cover weekends and holidays.
  const rows = await sql<{ date: string }[]>`
    select distinct b.date::text as date
    from daily_bars b join assets a on a.id = b.asset_id
    where a.asset_type = 'equity' and b.date <= ${upTo}::date and b.date > ${addDays(upTo, -Math.max(550, 2 * count + 30))}::date
    order by 1 desc limit ${count}`;
  return rows.map((r) => r.date).reverse();
}

/** An equity of the tradable universe with its bars packed (open, high, low, close, volume per date). */
export interface ScreenedTicker {
  id: string;
  symbol: string;
  packed: Uint8Array;
}

/**
 * The tradable universe on `dates` (oldest first): active common-stock-like equities with a bar on every
 * date whose close on `dates[screenAt]` is at least `minPrice` and close × volume at least `minDollarVolume`.
 */
export async function screenedTickers(
  sql: Sql,
  dates: readonly string[],
  screenAt: number,
  screens: { minPrice: number; minDollarVolume: number },
): Promise<ScreenedTicker[]> {
  const columns = ['b.open', 'b.high', 'b.low', 'b.close', 'b.volume'];
  const rows = await sql<ScreenedTicker[]>`
    select a.id, a.symbol, ${sql.unsafe(packRows(columns, 'b.date'))} as packed
    from assets a join daily_bars b on b.asset_id = a.id
    where a.asset_type = 'equity' and a.active
      and a.symbol ~ ${SYMBOL_PATTERN} and coalesce(a.name, '') !~* ${NOT_COMMON}
      and b.date = any(${dates as string[]}::date[])
    group by a.id, a.symbol
    having count(*) = ${dates.length}
    order by a.symbol`;
  return rows.filter((r) => {
    const view = new DataView(r.packed.buffer, r.packed.byteOffset, r.packed.byteLength);
    const close = view.getFloat64((screenAt * 5 + 3) * 8);
    const volume = view.getFloat64((screenAt * 5 + 4) * 8);
    return close >= screens.minPrice && close * volume >= screens.minDollarVolume;
  });
}

/**
 * Builds and stores the snapshot of the week containing `date`: its sessions are the last 5 equity bar
 * dates up to that week's Friday (the last one inside the week), with HISTORY_BARS dates before them.
 * Rebuilding a week with the same options stores the same snapshot.
 */
export async function buildDataset(
  sql: Sql,
  date: string,
  options: DatasetOptions = {},
): Promise<DatasetSummary> {
  const { size = 1000, seed = 1, minPrice = 5, minDollarVolume = 1_000_000 } = options;
  const week = weekStart(date);
  const friday = addDays(week, 4);
  const bars = HISTORY_BARS + SIGNAL_DAYS;
  const dates = await equityBarDates(sql, friday, bars);
  const sessions = dates.slice(-SIGNAL_DAYS);
  if (dates.length < bars || sessions.at(-1)! < week)
    throw new AppError(
      'invalid_input',
      `week of ${week}: stored equity bars have ${dates.length < bars ? `${dates.length} of the ${bars} dates needed up to ${friday}` : `no session between ${week} and ${friday}`}`,
    );
  const eligible = await screenedTickers(sql, dates, bars - SIGNAL_DAYS, { minPrice, minDollarVolume });
  if (eligible.length === 0)
    throw new AppError(
      'invalid_input',
      `week of ${week}: no equity passes the screens (complete bars, price, liquidity)`,
    );
  const chosen = sample(eligible, size, `search-sample:${week}:${seed}`);
  const count = chosen.length;
  const open = new Float64Array(count * bars);
  const high = new Float64Array(count * bars);
  const low = new Float64Array(count * bars);
  const close = new Float64Array(count * bars);
  const volume = new Float64Array(count * bars);
  const ticker = [0, 1, 2, 3, 4].map(() => new Float64Array(bars));
  chosen.forEach((r, k) => {
    unpackRows(r.packed, ticker, 0);
    [open, high, low, close, volume].forEach((column, c) => {
      column.set(ticker[c]!, k * bars);
    });
  });
  await sql.begin(async (tx) => {
    await tx`
      insert into search_datasets (week, dates, asset_ids, symbols, sample_seed, eligible, screens, open, high, low, close, volume)
      values (${week}, ${dates}::date[], ${chosen.map((r) => r.id)}::bigint[], ${chosen.map((r) => r.symbol)}::text[],
        ${seed}, ${eligible.length}, ${tx.json({ size, minPrice, minDollarVolume, symbolPattern: SYMBOL_PATTERN })},
        ${float8Bytes(open)}, ${float8Bytes(high)}, ${float8Bytes(low)}, ${float8Bytes(close)}, ${float8Bytes(volume)})
      on conflict (week) do update set dates = excluded.dates, asset_ids = excluded.asset_ids,
        symbols = excluded.symbols, sample_seed = excluded.sample_seed, eligible = excluded.eligible,
        screens = excluded.screens, open = excluded.open, high = excluded.high, low = excluded.low,
        close = excluded.close, volume = excluded.volume, created_at = now()`;
    await tx`update search_datasets set is_current = false where is_current and week <> (select max(week) from search_datasets)`;
    await tx`update search_datasets set is_current = true where week = (select max(week) from search_datasets) and not is_current`;
  });
  return { week, sessions, eligible: eligible.length, sampled: count };
}

/** Loads the snapshot of the week containing `date`, or the current week's without one. */
export async function loadDataset(sql: Sql, date?: string): Promise<SearchDataset> {
  const [meta] = date
    ? await sql<{ week: string; dates: string[]; symbols: string[]; asset_ids: string[] }[]>`
        select week::text, dates::text[], symbols, asset_ids::text[] from search_datasets where week = ${weekStart(date)}`
    : await sql<{ week: string; dates: string[]; symbols: string[]; asset_ids: string[] }[]>`
        select week::text, dates::text[], symbols, asset_ids::text[] from search_datasets where is_current`;
  if (!meta)
    throw new AppError(
      'not_found',
      date
        ? `no search dataset for the week of ${weekStart(date)}: build it first`
        : 'no current search dataset: build one first',
    );
  // Binary COPY: bytea columns arrive as raw bytes rather than hex text.
  const [row] = await copyOutRows(
    sql,
    `select open, high, low, close, volume from search_datasets where week = date '${meta.week}'`,
  );
  const [open, high, low, close, volume] = (row ?? []).map((b) => float8s(b ?? null));
  return {
    week: meta.week,
    dates: meta.dates,
    symbols: meta.symbols,
    assetIds: meta.asset_ids.map(Number),
    open: open!,
    high: high!,
    low: low!,
    close: close!,
    volume: volume!,
  };
}
