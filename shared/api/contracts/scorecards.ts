// /scorecards/templates and /scorecards/reviews: how signals and reviews played out afterwards.
import { z } from 'zod';
import { AssetType, Direction, IsoDate } from '../../domain/market.ts';

/** Query of GET /scorecards/templates: signal dates in [from, to], one asset type or both. */
export const ScorecardQuery = z
  .object({ asset_type: AssetType.optional(), from: IsoDate.optional(), to: IsoDate.optional() })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });
export type ScorecardQuery = z.infer<typeof ScorecardQuery>;

/**
 * One horizon of a scorecard. Returns are direction-adjusted (negated for bearish facts) unless the
 * template is neutral; `baseline` is the same-day equal-weighted mean over all assets of the type,
 * adjusted the same way, so `edge` = mean − baseline.
 */
export const HorizonStats = z.object({
  horizon: z.number(),
  /** Facts with a close `horizon` stored bars after the signal date. */
  n: z.number(),
  hit_rate: z.number().nullable(),
  mean: z.number().nullable(),
  median: z.number().nullable(),
  baseline: z.number().nullable(),
  edge: z.number().nullable(),
});
export type HorizonStats = z.infer<typeof HorizonStats>;

export const TemplateScorecard = z.object({
  template: z.string(),
  name: z.string(),
  direction: Direction,
  /** False for neutral templates: their statistics are of raw returns. */
  direction_adjusted: z.boolean(),
  enabled: z.boolean(),
  asset_type: AssetType,
  firings: z.number(),
  horizons: z.array(HorizonStats),
});
export type TemplateScorecard = z.infer<typeof TemplateScorecard>;

/** GET /scorecards/templates: one scorecard per template and asset type. */
export const TemplateScorecards = z.object({
  asset_type: AssetType.nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  items: z.array(TemplateScorecard),
});
export type TemplateScorecards = z.infer<typeof TemplateScorecards>;

// Review scorecard: how past AI reviews played out, against the same asset-days' signals alone.

/** Query of GET /scorecards/reviews: valid reviews dated in [from, to], of one asset type and model or all. */
export const ReviewScorecardQuery = z
  .object({
    asset_type: AssetType.optional(),
    model: z.string().min(1).max(100).optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });
export type ReviewScorecardQuery = z.infer<typeof ReviewScorecardQuery>;

/**
 * Outcomes at one horizon (stored bars after the review date): `mean` is the raw forward return,
 * `adjusted_mean` the return signed by the call's direction (negated for bearish), and a hit is an
 * adjusted return above zero.
 */
export const ReviewHorizonStats = z.object({
  horizon: z.number(),
  /** Calls with a close `horizon` stored bars after their date. */
  n: z.number(),
  hit_rate: z.number().nullable(),
  mean: z.number().nullable(),
  adjusted_mean: z.number().nullable(),
});
export type ReviewHorizonStats = z.infer<typeof ReviewHorizonStats>;

/** GET /scorecards/reviews. */
export const ReviewScorecard = z.object({
  asset_type: AssetType.nullable(),
  model: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** Valid reviews in scope, and how many of them were neutral (no direction to score). */
  reviews: z.number(),
  neutral: z.number(),
  verdicts: z.array(
    z.object({
      direction: z.enum(['bullish', 'bearish']),
      n: z.number(),
      horizons: z.array(ReviewHorizonStats),
    }),
  ),
  /** Directional reviews by confidence bucket [low, high); the last bucket includes 1. */
  calibration: z.array(
    z.object({ low: z.number(), high: z.number(), n: z.number(), horizons: z.array(ReviewHorizonStats) }),
  ),
  /** All directional reviews together. */
  directional: z.object({ n: z.number(), horizons: z.array(ReviewHorizonStats) }),
  /** The signal-only baseline: the directional signal facts of the reviewed asset-days, without the review. */
  baseline: z.object({ facts: z.number(), horizons: z.array(ReviewHorizonStats) }),
  /** Directional reviews minus the baseline, per horizon. */
  edge: z.array(
    z.object({ horizon: z.number(), hit_rate: z.number().nullable(), adjusted_mean: z.number().nullable() }),
  ),
  /**
   * Trade plans (long or short, with a stop and a target) walked forward over the bars after the review:
   * a plan whose entry zone no bar reaches within horizon_days (20 when unset) is `not_triggered`; a
   * plan without a zone enters on the first bar. From the bar that reaches the zone, for horizon_days
   * bars: which of the stop and the first target was touched first. A bar touching both counts as the
   * stop (the order inside a day is unknown) and is also counted in `same_bar`; `open` plans have
   * neither touched and not yet enough bars to enter or to run their horizon.
   */
  plans: z.object({
    n: z.number(),
    not_triggered: z.number(),
    stop_first: z.number(),
    target_first: z.number(),
    neither: z.number(),
    open: z.number(),
    same_bar: z.number(),
  }),
});
export type ReviewScorecard = z.infer<typeof ReviewScorecard>;
