import { z } from 'zod';

/** The two markets Stratos covers. */
export const AssetType = z.enum(['crypto', 'equity']);
export type AssetType = z.infer<typeof AssetType>;

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** Earliest date any input may name: older than any market data, and a year Postgres accepts. */
export const MIN_DATE = '1900-01-01';

/** Latest date any input may name: tomorrow UTC, which is today somewhere (run dates are bounded further). */
export function maxInputDate(now: Date = new Date()): string {
  return new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
}

/**
 * Calendar date as YYYY-MM-DD (UTC trading day) from MIN_DATE to tomorrow: a real date (month, day,
 * leap years) that Postgres stores as given. One readable message per bad input.
 */
export const IsoDate = z
  .string()
  .superRefine((s, ctx) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: `expected a date as YYYY-MM-DD, got "${s.slice(0, 40)}"` });
    } else if (!isRealDate(s)) {
      ctx.addIssue({ code: 'custom', message: `${s} is not a real calendar date` });
    } else if (s < MIN_DATE || s > maxInputDate()) {
      ctx.addIssue({
        code: 'custom',
        message: `${s} is out of range: dates from ${MIN_DATE} to ${maxInputDate()}`,
      });
    }
  })
  .meta({ format: 'date' });
export type IsoDate = z.infer<typeof IsoDate>;

/** Signal direction, shared by templates, facts and reviews. */
export const Direction = z.enum(['bullish', 'bearish', 'neutral']);
export type Direction = z.infer<typeof Direction>;

/** One daily OHLCV bar for one symbol, as a provider or a file delivers it. */
export interface RawBar {
  symbol: string;
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Descriptive data about a tradable asset. */
export interface AssetInfo {
  symbol: string;
  assetType: AssetType;
  name: string;
  exchange?: string;
  sector?: string;
}

/** An asset as stored. */
export interface Asset {
  id: number;
  symbol: string;
  asset_type: AssetType;
  name: string | null;
}

/** Column-oriented bar history of one asset, oldest first: the input of every feature kernel. */
export interface BarSeries {
  dates: string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}
