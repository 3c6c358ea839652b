import { z } from 'zod';

/** The two markets Stratos covers. */
export const AssetType = z.enum(['crypto', 'equity']);
export type AssetType = z.infer<typeof AssetType>;

/** Calendar date as YYYY-MM-DD (UTC trading day). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'not a real calendar date',
    },
  );
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
