import { z } from 'zod';
import { AssetType, Direction, IsoDate } from '../domain/market.ts';
import { SignalTemplate } from '../signals/schema.ts';

/** The pipeline stages, in execution order. */
export const Stage = z.enum(['ingest', 'features', 'signals', 'review']);
export type Stage = z.infer<typeof Stage>;
export const STAGES: readonly Stage[] = Stage.options;

/** Universe id: lower snake case, e.g. crypto_all. */
export const UniverseId = z
  .string()
  .regex(/^[a-z0-9_]+$/, 'universe ids are lower snake case, e.g. crypto_all');

/**
 * Body of every stage function: an optional date and either an asset type (meaning its
 * `<type>_all` universe) or a universe id.
 */
export const StageRequest = z
  .object({
    /** Default: the universe's latest complete day. */
    date: IsoDate.optional(),
    asset_type: AssetType.optional(),
    universe: UniverseId.optional(),
    /** Whether finishing the stage starts the next one (default true). */
    chain: z.boolean().optional(),
    /** review only: maximum number of assets to review. */
    limit: z.number().int().positive().max(5000).optional(),
    /** ingest/features: also (re)build history from this date. */
    from: IsoDate.optional(),
  })
  .strict()
  .refine((b) => (b.asset_type === undefined) !== (b.universe === undefined), {
    message: 'give exactly one of asset_type or universe',
  });
export type StageRequest = z.infer<typeof StageRequest>;

/** control-api POST /runs: a stage or the whole pipeline. */
export const RunTrigger = z
  .object({
    stage: z.enum(['pipeline', ...Stage.options]),
    /** Default: each universe's latest complete day (crypto: yesterday UTC; equities: the last closed session). */
    date: IsoDate.optional(),
    asset_type: AssetType.optional(),
    universe: UniverseId.optional(),
    limit: z.number().int().positive().max(5000).optional(),
    /** Also (re)build history from this date: ingest fetches and features computes [from, date]. */
    from: IsoDate.optional(),
    /** ingest: only these symbols of the universe (a targeted backfill). */
    symbols: z
      .array(z.string().regex(/^[A-Za-z0-9.\-_]{1,20}$/, 'not a symbol'))
      .min(1)
      .max(5000)
      .optional(),
  })
  .strict()
  .refine((b) => b.from === undefined || b.date === undefined || b.from <= b.date, {
    message: 'from must not be after date',
    path: ['from'],
  });
export type RunTrigger = z.infer<typeof RunTrigger>;

export const JobCounts = z.object({
  queued: z.number(),
  running: z.number(),
  done: z.number(),
  failed: z.number(),
});

/** A stage run with its queue state. */
export const RunView = z.object({
  id: z.number(),
  stage: Stage,
  run_date: z.string(),
  universe: z.string(),
  status: z.enum(['running', 'succeeded', 'partial', 'failed']),
  jobs: JobCounts,
  summary: z.record(z.string(), z.unknown()),
  errors: z.array(z.object({ scope: z.string(), error: z.string() })),
  created_at: z.string(),
  finished_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
});
export type RunView = z.infer<typeof RunView>;

export const SignalView = z.object({
  template: z.string(),
  template_version: z.number(),
  name: z.string(),
  direction: Direction,
  strength: z.number(),
  evidence: z.record(z.string(), z.unknown()),
});
export type SignalView = z.infer<typeof SignalView>;

export const ReviewView = z.object({
  as_of_date: z.string(),
  model: z.string(),
  prompt_version: z.string(),
  status: z.enum(['valid', 'invalid']),
  direction: Direction.nullable(),
  attention_score: z.number().nullable(),
  confidence: z.number().nullable(),
  setup_type: z.string().nullable(),
  summary: z.string().nullable(),
  review: z.record(z.string(), z.unknown()),
  tokens_in: z.number(),
  tokens_out: z.number(),
  /** USD from the model's price table; null when the model has no known price. */
  cost_usd: z.number().nullable(),
  latency_ms: z.number(),
  attempts: z.number(),
});
export type ReviewView = z.infer<typeof ReviewView>;

/** One row of the asset table: latest bar, headline features, signals and review. */
export const AssetRow = z.object({
  id: z.number(),
  symbol: z.string(),
  name: z.string().nullable(),
  asset_type: AssetType,
  sector: z.string().nullable(),
  date: z.string().nullable(),
  close: z.number().nullable(),
  features: z.record(z.string(), z.number().nullable()),
  signals: z.array(SignalView.pick({ template: true, direction: true, strength: true })),
  review: ReviewView.pick({ direction: true, attention_score: true, model: true }).nullable(),
  /** Data-quality ledger entries on the asset's latest bar (a flagged jump, a provider disagreement). */
  quality_flags: z.array(z.object({ kind: z.string(), reason: z.string() })),
});
export type AssetRow = z.infer<typeof AssetRow>;

/** Query of GET /assets. `sort` is `symbol`, `close`, `signals`, `attention` or any catalogue feature. */
export const AssetListQuery = z
  .object({
    asset_type: AssetType.optional(),
    q: z.string().max(50).optional(),
    sort: z.string().max(40).default('symbol'),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type AssetListQuery = z.infer<typeof AssetListQuery>;

export const AssetList = z.object({
  items: z.array(AssetRow),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});
export type AssetList = z.infer<typeof AssetList>;

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

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ ok: z.boolean(), latency_ms: z.number() }),
  latest_date: z.string().nullable(),
  runs: z.array(RunView),
});
export type Health = z.infer<typeof Health>;

export const FeatureDictionaryEntry = z.object({
  name: z.string(),
  description: z.string(),
  category: z.string(),
  unit: z.string(),
  lookback: z.number(),
});

export const TemplateView = z.object({
  id: z.string(),
  version: z.number(),
  name: z.string(),
  description: z.string(),
  direction: Direction,
  enabled: z.boolean(),
  definition: z.record(z.string(), z.unknown()),
});
export type TemplateView = z.infer<typeof TemplateView>;

/** The one JSON error shape of every HTTP endpoint. */
export const ApiError = z.object({ error: z.string(), details: z.unknown().optional() });
export type ApiError = z.infer<typeof ApiError>;

// Templates, the signal change feed and template scorecards (the dashboard's signals page).

/** Path of /templates/:id: a template id as the template schema spells it. */
export const TemplatePath = z.object({ id: SignalTemplate.shape.id }).strict();

/** Body of PATCH /templates/:id. */
export const TemplateEnabledBody = z.object({ enabled: z.boolean() }).strict();

/** One stored version of a template; versions are immutable once written. */
export const TemplateVersionView = z.object({
  version: z.number(),
  name: z.string(),
  description: z.string(),
  direction: Direction,
  definition: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

/** GET /templates/:id: the template's state and every version, newest first. */
export const TemplateDetail = z.object({
  id: z.string(),
  /** The latest version: the one the signals stage evaluates while the template is enabled. */
  version: z.number(),
  enabled: z.boolean(),
  builtin: z.boolean(),
  versions: z.array(TemplateVersionView),
});
export type TemplateDetail = z.infer<typeof TemplateDetail>;

/** PUT /templates/:id: the latest version; `changed` is false when the definition was identical. */
export const TemplateUpdate = TemplateView.extend({ changed: z.boolean() });
export type TemplateUpdate = z.infer<typeof TemplateUpdate>;

/** POST /templates/validate: every problem, each naming the offending field by its dot path. */
export const TemplateValidation = z.object({
  valid: z.boolean(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type TemplateValidation = z.infer<typeof TemplateValidation>;

/** Body of POST /templates/preview: a definition (validated like POST /templates) and where to try it. */
export const TemplatePreviewRequest = z
  .object({
    template: z.unknown(),
    /** Default: each universe's latest date with features. */
    date: IsoDate.optional(),
    /** Default: the `<type>_all` universe of each asset type the template applies to. */
    universe: UniverseId.optional(),
  })
  .strict();

/** An asset the previewed template would fire on. */
export const TemplatePreviewItem = z.object({
  universe: z.string(),
  date: z.string(),
  asset_id: z.number(),
  symbol: z.string(),
  asset_type: AssetType,
  direction: Direction,
  strength: z.number(),
  evidence: z.record(z.string(), z.number().nullable()),
});

/** POST /templates/preview; `date`/`universe` are null when each universe used its own default. */
export const TemplatePreview = z.object({
  template: z.string(),
  date: z.string().nullable(),
  universe: z.string().nullable(),
  items: z.array(TemplatePreviewItem),
});
export type TemplatePreview = z.infer<typeof TemplatePreview>;

/** Query of GET /signals/feed. */
export const SignalFeedQuery = z.object({ date: IsoDate, universe: UniverseId.optional() }).strict();

/** `new`: fired today, not on the asset's previous stored day; `active`: both; `ended`: only then. */
export const SignalChange = z.enum(['new', 'active', 'ended']);
export type SignalChange = z.infer<typeof SignalChange>;

export const SignalFeedItem = z.object({
  change: SignalChange,
  template: z.string(),
  template_version: z.number(),
  name: z.string(),
  symbol: z.string(),
  asset_type: AssetType,
  direction: Direction,
  /** Today's strength; for `ended`, the strength on the previous day. */
  strength: z.number(),
  /** The asset's previous stored trading day, null for its first. */
  previous_date: z.string().nullable(),
  previous_strength: z.number().nullable(),
});
export type SignalFeedItem = z.infer<typeof SignalFeedItem>;

/** GET /signals/feed: what changed on a date, new first, then active, then ended. */
export const SignalFeed = z.object({
  date: z.string(),
  universe: z.string().nullable(),
  counts: z.object({ new: z.number(), active: z.number(), ended: z.number() }),
  items: z.array(SignalFeedItem),
});
export type SignalFeed = z.infer<typeof SignalFeed>;

/** Query of GET /scorecards/templates: signal dates in [from, to], one asset type or both. */
export const ScorecardQuery = z
  .object({ asset_type: AssetType.optional(), from: IsoDate.optional(), to: IsoDate.optional() })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });
export type ScorecardQuery = z.infer<typeof ScorecardQuery>;

/** Forward horizons of the scorecards, in stored trading days after the signal date. */
export const SCORECARD_HORIZONS = [1, 5, 20] as const;

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
   * Trade plans (long or short, with a stop and a target) walked forward over the bars after the review,
   * up to horizon_days (20 when unset): which of the stop and the first target was touched first. A bar
   * touching both counts as the stop (the order inside a day is unknown) and is also counted in
   * `same_bar`; `open` plans have neither touched and not yet `horizon_days` bars.
   */
  plans: z.object({
    n: z.number(),
    stop_first: z.number(),
    target_first: z.number(),
    neither: z.number(),
    open: z.number(),
    same_bar: z.number(),
  }),
});
export type ReviewScorecard = z.infer<typeof ReviewScorecard>;
