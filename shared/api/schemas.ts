import { z } from 'zod';
import { AssetType, Direction, IsoDate } from '../domain/market.ts';

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
