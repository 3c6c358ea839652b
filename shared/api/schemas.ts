import { z } from 'zod';
import { AssetType, Direction, IsoDate } from '../domain/market.ts';
import { ERROR_CODES } from '../errors/index.ts';
import { FEATURE_NAMES } from '../features/catalogue.ts';
import { parseCron } from '../pipeline/cron.ts';
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
  /** The feature columns the request asked for (`columns`), on the latest date. */
  features: z.record(z.string(), z.number().nullable()),
  signals: z.array(SignalView.pick({ template: true, direction: true, strength: true })),
  review: ReviewView.pick({ direction: true, attention_score: true, model: true }).nullable(),
  /** Data-quality ledger entries on the asset's latest bar (a flagged jump, a provider disagreement). */
  quality_flags: z.array(z.object({ kind: z.string(), reason: z.string() })),
});
export type AssetRow = z.infer<typeof AssetRow>;

/** A catalogue feature column name. */
export const FeatureName = z.enum(FEATURE_NAMES as [string, ...string[]], {
  error: (issue) => `unknown feature "${String(issue.input).slice(0, 40)}"`,
});

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
export const AssetSort = z.enum([...ASSET_SORTS, ...FEATURE_NAMES], {
  error: (issue) => `cannot sort by "${String(issue.input).slice(0, 40)}"`,
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
  if (!FeatureName.safeParse(feature).success) {
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
    const unknown = names.filter((n) => !FeatureName.safeParse(n).success);
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
  /** Assets matching the filters, over all pages. */
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
  /** `universe`: computed across the universe after every asset's features (percentile ranks). */
  scope: z.enum(['asset', 'universe']).optional(),
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
export const ApiError = z.object({
  error: z.string(),
  /** Stable: clients branch on it, not on the message. */
  code: z.enum(ERROR_CODES),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiError>;

// Runs, schedules, reviews and the quality ledger (the dashboard's Today, Pipeline and Reviews pages).

/** Query of GET /signals. */
export const DateQuery = z.object({ date: IsoDate.optional() }).strict();

/** Query of GET /runs. */
export const RunsQuery = z
  .object({
    date: IsoDate.optional(),
    /** `true`: only each universe's latest date (what the dashboard shows). */
    latest: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

/** GET /runs. */
export const RunList = z.object({ items: z.array(RunView) });

/** POST /runs: the runs started (or already running) for the trigger. */
export const TriggerResult = z.object({ runs: z.array(RunView) });

/** Path of /runs/:id. */
export const RunPath = z
  .object({
    id: z
      .string()
      .regex(/^[1-9]\d{0,14}$/, 'not a run id')
      .transform(Number),
  })
  .strict();

/** One job of a run: a chunk of its assets, claimed and processed by a worker. */
export const RunJob = z.object({
  id: z.number(),
  chunk: z.number(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  attempts: z.number(),
  max_attempts: z.number(),
  /** The last attempt's error (a failed job keeps it; a later success clears it). */
  error: z.string().nullable(),
  /** When a worker last claimed it. */
  started_at: z.string().nullable(),
  /** When it ended as done or failed. */
  finished_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  /** Assets in the chunk (null for payloads that are not asset chunks). */
  size: z.number().nullable(),
});
export type RunJob = z.infer<typeof RunJob>;

/** GET /runs/:id (and POST /runs/:id/retry): the run, its jobs and the per-asset errors of its done jobs. */
export const RunDetail = RunView.extend({
  job_list: z.array(RunJob),
  asset_errors: z.array(z.object({ symbol: z.string(), asset_type: AssetType, error: z.string() })),
});
export type RunDetail = z.infer<typeof RunDetail>;

/** Path of /schedules/:id. */
export const SchedulePath = z
  .object({ id: z.string().regex(/^[a-z0-9_]{1,64}$/, 'not a schedule id') })
  .strict();

/** A `pipeline_schedules` row: what pg_cron (or the local scheduler) starts, and when. */
export const ScheduleView = z.object({
  id: z.string(),
  description: z.string(),
  cron: z.string(),
  action: z.enum(['pipeline', 'drain', 'watchdog', 'cleanup']),
  universes: z.array(z.string()),
  enabled: z.boolean(),
  last_run_at: z.string().nullable(),
  updated_at: z.string(),
});
export type ScheduleView = z.infer<typeof ScheduleView>;

/** GET /schedules. */
export const ScheduleList = z.object({ items: z.array(ScheduleView) });
export type ScheduleList = z.infer<typeof ScheduleList>;

/** A 5-field cron expression as pg_cron reads it (minute hour day month weekday, UTC). */
export const CronExpression = z
  .string()
  .max(100)
  .superRefine((expr, ctx) => {
    try {
      parseCron(expr);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message.slice(0, 200) });
    }
  });

/** Body of PATCH /schedules/:id: at least one of the two. */
export const SchedulePatch = z
  .object({ enabled: z.boolean().optional(), cron: CronExpression.optional() })
  .strict()
  .refine((b) => b.enabled !== undefined || b.cron !== undefined, { message: 'give enabled and/or cron' });
export type SchedulePatch = z.infer<typeof SchedulePatch>;

/** Query of GET /reviews: one date (default: each market's latest reviewed date), sorted and filtered. */
export const ReviewsQuery = z
  .object({
    date: IsoDate.optional(),
    sort: z.enum(['attention_score', 'confidence', 'symbol']).default('attention_score'),
    /** Default: descending for scores, ascending for symbols. */
    order: z.enum(['asc', 'desc']).optional(),
    direction: Direction.optional(),
    status: z.enum(['valid', 'invalid']).optional(),
    model: z.string().min(1).max(100).optional(),
    asset_type: AssetType.optional(),
    limit: z.coerce.number().int().min(1).max(2000).default(500),
  })
  .strict();
export type ReviewsQuery = z.infer<typeof ReviewsQuery>;

/** A review with its asset, as GET /reviews lists it. */
export const AssetReview = ReviewView.extend({ symbol: z.string(), asset_type: AssetType });
export type AssetReview = z.infer<typeof AssetReview>;

/** GET /reviews; `date` is null when nothing has been reviewed yet. */
export const ReviewList = z.object({ date: z.string().nullable(), items: z.array(AssetReview) });
export type ReviewList = z.infer<typeof ReviewList>;

/** GET /signals; `date` is null when no facts exist yet. */
export const SignalList = z.object({
  date: z.string().nullable(),
  items: z.array(SignalView.extend({ symbol: z.string(), asset_type: AssetType, date: z.string() })),
});

/** GET /templates. */
export const TemplateList = z.object({ items: z.array(TemplateView) });

/** GET /features. */
export const FeatureList = z.object({ items: z.array(FeatureDictionaryEntry) });

/** The kinds of data-quality ledger entries. */
export const QualityKind = z.enum(['rejected', 'flagged', 'reconciliation', 'gap']);

/** Query of GET /quality: one date's entries (default: the newest entries), optionally of one kind. */
export const QualityQuery = z
  .object({
    date: IsoDate.optional(),
    kind: QualityKind.optional(),
    asset_type: AssetType.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();
export type QualityQuery = z.infer<typeof QualityQuery>;

/** One data-quality ledger entry: a rejected or flagged input row, a provider disagreement or a gap. */
export const QualityEntry = z.object({
  id: z.number(),
  /** The bar's date as the input gave it (rejected rows may carry an unparseable one). */
  date: z.string().nullable(),
  kind: QualityKind,
  source: z.string(),
  symbol: z.string().nullable(),
  asset_type: z.string().nullable(),
  reason: z.string(),
  raw: z.unknown(),
  recorded_at: z.string(),
});
export type QualityEntry = z.infer<typeof QualityEntry>;

/** GET /openapi.json: an OpenAPI 3.1 document. */
export const OpenApiDocument = z
  .object({
    openapi: z.string(),
    info: z.record(z.string(), z.unknown()),
    paths: z.record(z.string(), z.unknown()),
  })
  .loose();

/** GET /quality. */
export const QualityList = z.object({ date: z.string().nullable(), items: z.array(QualityEntry) });
export type QualityList = z.infer<typeof QualityList>;

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

/** Query of GET /reviews/costs: review runs dated in [from, to]. */
export const ReviewCostsQuery = z
  .object({ from: IsoDate.optional(), to: IsoDate.optional() })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });
export type ReviewCostsQuery = z.infer<typeof ReviewCostsQuery>;

/** One review run's accounting, from its summary. */
export const ReviewCostRun = z.object({
  run_id: z.number(),
  run_date: z.string(),
  universe: z.string(),
  asset_type: AssetType,
  status: z.string(),
  /** Candidates with a review after the run: `reviewed` (written by this run) plus `cached` (unchanged input, not paid again). */
  count: z.number(),
  reviewed: z.number(),
  cached: z.number(),
  /** Reviews written as invalid (schema or grounding failed after the corrective retry). */
  invalid: z.number(),
  /** Candidates left unreviewed when the run's budget ran out. */
  pending: z.number(),
  /** Candidates whose review failed with an error (no row written). */
  errors: z.number(),
  tokens_in: z.number(),
  tokens_out: z.number(),
  /** USD of every call the run made, failed first answers included; null when a model had no known price. */
  cost_usd: z.number().nullable(),
  /** Reviews by a model without a price (their cost is unknown). */
  unpriced: z.number(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  /** finished_at - started_at; null while the run is in progress. */
  wall_ms: z.number().nullable(),
});
export type ReviewCostRun = z.infer<typeof ReviewCostRun>;

/** GET /reviews/costs: review runs, newest first. */
export const ReviewCosts = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  items: z.array(ReviewCostRun),
});
export type ReviewCosts = z.infer<typeof ReviewCosts>;
