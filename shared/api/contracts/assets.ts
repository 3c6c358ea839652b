// /assets: the screener's asset list and one asset's detail.
import { z } from 'zod';
import { AssetType, IsoDate } from '../../domain/market.ts';
import { UniverseId } from '../../domain/universes.ts';
import { FEATURE_NAMES } from '../../features/catalogue.ts';
import { SENTIMENT_INPUTS } from '../../news/sentiment/inputs.ts';
import { SignalTemplate } from '../../signals/schema.ts';
import { FeatureName } from './features.ts';
import { ReviewView } from './reviews.ts';
import { SignalView } from './signals.ts';

/** One row of the asset table: latest bar, headline features, signals and review. */
export const AssetRow = z.object({
  id: z.number(),
  symbol: z.string(),
  name: z.string().nullable(),
  asset_type: AssetType,
  sector: z.string().nullable(),
  date: z.string().nullable(),
  close: z.number().nullable(),
  /** The feature columns the request asked for (`columns`), on the latest date. */
  features: z.record(z.string(), z.number().nullable()),
  signals: z.array(SignalView.pick({ template: true, direction: true, strength: true })),
  review: ReviewView.pick({ direction: true, attention_score: true, model: true }).nullable(),
  /** Data-quality ledger entries on the asset's latest bar (a flagged jump, a provider disagreement). */
  quality_flags: z.array(z.object({ kind: z.string(), reason: z.string() })),
});
export type AssetRow = z.infer<typeof AssetRow>;

/** What GET /assets sorts by besides any catalogue feature; `signals` and `attention` are older aliases. */
export const ASSET_SORTS = [
  'symbol',
  'close',
  'change_1d',
  'strength',
  'attention_score',
  'signals',
  'attention',
] as const;
export const AssetSort = z.enum([...ASSET_SORTS, ...FEATURE_NAMES, ...SENTIMENT_INPUTS], {
  error: (issue) => `cannot sort by "${String(issue.input).slice(0, 40)}"`,
});

/**
 * A column of the asset table besides its identity: a catalogue feature of the latest bar, or a
 * sentiment input (shared/news/sentiment/inputs.ts) of the configured scorer on that same day.
 */
const ScreenerColumn = z.enum([...FeatureName.options, ...SENTIMENT_INPUTS], {
  error: (issue) => `unknown feature "${String(issue.input).slice(0, 40)}"`,
});

/** The feature columns GET /assets returns in `features` unless `columns` names others. */
export const DEFAULT_ASSET_COLUMNS = [
  'ret_1',
  'ret_20',
  'rsi_14',
  'adx_14',
  'natr_14',
  'rvol_20',
  'dollar_vol_20',
  'dist_sma_200',
] as const;

const BOUND = '-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?';
/** `feature:min:max`, either bound may be empty: `rsi_14::30` is rsi_14 <= 30. */
const RangeText = z
  .string()
  .max(100)
  .regex(new RegExp(`^[a-z0-9_]+:(${BOUND})?:(${BOUND})?$`), 'expected feature:min:max, e.g. rsi_14::30');

/** One feature range filter of GET /assets, parsed. */
export interface FeatureRange {
  feature: string;
  min: number | null;
  max: number | null;
}

function parseRange(text: string, ctx: z.RefinementCtx): FeatureRange {
  const [feature, lo, hi] = text.split(':') as [string, string, string];
  const bound = (s: string) => (s === '' ? null : Number(s));
  const range = { feature, min: bound(lo), max: bound(hi) };
  if (!ScreenerColumn.safeParse(feature).success) {
    ctx.addIssue({ code: 'custom', message: `unknown feature "${feature}" in range` });
  } else if ([range.min, range.max].some((b) => b !== null && !Number.isFinite(b))) {
    ctx.addIssue({ code: 'custom', message: `range bounds of ${feature} must be finite numbers` });
  } else if (range.min !== null && range.max !== null && range.min > range.max) {
    ctx.addIssue({ code: 'custom', message: `range of ${feature}: min is above max` });
  }
  return range;
}

/** A comma-separated list of feature columns (may be empty: no features). */
const ColumnList = z
  .string()
  .max(4000)
  .transform((text, ctx) => {
    const names = text.split(',').filter(Boolean);
    const unknown = names.filter((n) => !ScreenerColumn.safeParse(n).success);
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown feature(s) in columns: ${unknown.join(', ').slice(0, 200)}`,
      });
    }
    return [...new Set(names)];
  });

/** Query of GET /assets: filters, sort, and a page (a `cursor` from `next_cursor`, or the older `offset`). */
export const AssetListQuery = z
  .object({
    asset_type: AssetType.optional(),
    universe: UniverseId.max(64).optional(),
    /** Matches symbol or name, case-insensitively. */
    q: z.string().max(50).optional(),
    /** A template id that fired on the asset's latest date. */
    signal: SignalTemplate.shape.id.max(64).optional(),
    /** Whether the asset has data-quality ledger entries on its latest date. */
    flagged: z.enum(['true', 'false']).optional(),
    /** Repeatable: `range=rsi_14::30&range=adx_14:25:`. */
    range: z
      .union([RangeText, z.array(RangeText).max(20)])
      .transform((v, ctx) => (Array.isArray(v) ? v : [v]).map((t) => parseRange(t, ctx)))
      .optional(),
    /** Feature columns to return in `features` (default DEFAULT_ASSET_COLUMNS). */
    columns: ColumnList.optional(),
    sort: AssetSort.default('symbol'),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    /** Opaque: the `next_cursor` of the previous page with the same filters and sort. */
    cursor: z
      .string()
      .max(600)
      .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor')
      .optional(),
  })
  .strict()
  .refine((q) => q.cursor === undefined || q.offset === 0, {
    message: 'give a cursor or an offset, not both',
    path: ['cursor'],
  });
export type AssetListQuery = z.infer<typeof AssetListQuery>;

export const AssetList = z.object({
  items: z.array(AssetRow),
  /**
   * Assets matching the filters, over all pages: counted for a first (or offset) page; pages taken
   * through `next_cursor` repeat the first page's count.
   */
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: z.string().nullable(),
});
export type AssetList = z.infer<typeof AssetList>;

/** Path of GET /assets/:asset_type/:symbol. */
export const AssetPath = z
  .object({
    asset_type: AssetType,
    symbol: z.string().regex(/^[A-Za-z0-9.\-_]{1,20}$/, 'not a symbol'),
  })
  .strict();

export const BarView = z.object({
  date: z.string(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
});
export type BarView = z.infer<typeof BarView>;

/** GET /assets/:type/:symbol: everything behind one asset. */
export const AssetDetail = z.object({
  asset: AssetRow.pick({ id: true, symbol: true, name: true, asset_type: true, sector: true }).extend({
    exchange: z.string().nullable(),
  }),
  bars: z.array(BarView),
  /** Feature series aligned with `bars` (same dates), by column name: the chart overlays. */
  series: z.record(z.string(), z.array(z.number().nullable())),
  /** Latest feature row. */
  features: z.record(z.string(), z.number().nullable()),
  signals: z.array(SignalView.extend({ date: z.string() })),
  reviews: z.array(ReviewView),
  /** The asset's data-quality ledger, newest first. */
  quality: z.array(
    z.object({
      date: z.string().nullable(),
      kind: z.string(),
      source: z.string(),
      reason: z.string(),
      recorded_at: z.string(),
    }),
  ),
});
export type AssetDetail = z.infer<typeof AssetDetail>;

/** The feature series GET /assets/:type/:symbol returns unless `series` names others: the chart's overlays and panes. */
export const CHART_SERIES = [
  'sma_20',
  'sma_50',
  'sma_200',
  'ema_20',
  'ema_50',
  'bb_upper_20',
  'bb_middle_20',
  'bb_lower_20',
  'kc_upper_20',
  'kc_middle_20',
  'kc_lower_20',
  'dc_upper_20',
  'dc_lower_20',
  'supertrend_10',
  'supertrend_dir_10',
  'psar',
  'rsi_14',
  'macd',
  'macd_signal',
  'macd_hist',
  'adx_14',
  'plus_di_14',
  'minus_di_14',
  'volume_sma_20',
] as const;

export const AssetDetailQuery = z
  .object({
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    /** Comma-separated feature names to return as series (default: CHART_SERIES). */
    series: z
      .string()
      .max(2000)
      .transform((s) => s.split(',').filter(Boolean))
      .optional(),
  })
  .strict();
