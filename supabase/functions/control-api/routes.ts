import type { Context } from 'hono';
import type { z } from 'zod';
import { createAssetListCache } from '../../../shared/api/asset-cache.ts';
import {
  backtestDetail,
  compareBacktests,
  listBacktests,
  startBacktest,
} from '../../../shared/api/backtests.ts';
import {
  AssetDetail,
  AssetDetailQuery,
  AssetList,
  AssetListQuery,
  AssetPath,
} from '../../../shared/api/contracts/assets.ts';
import {
  BacktestCompareQuery,
  BacktestComparison,
  BacktestDetail,
  BacktestList,
  BacktestListQuery,
  BacktestPath,
  BacktestRequest,
  BacktestStarted,
} from '../../../shared/api/contracts/backtests.ts';
import { FeatureList } from '../../../shared/api/contracts/features.ts';
import { Health, OpenApiDocument } from '../../../shared/api/contracts/health.ts';
import { QualityList, QualityQuery } from '../../../shared/api/contracts/quality.ts';
import {
  ReviewCosts,
  ReviewCostsQuery,
  ReviewList,
  ReviewsQuery,
} from '../../../shared/api/contracts/reviews.ts';
import {
  RunDetail,
  RunList,
  RunPath,
  RunsQuery,
  RunTrigger,
  TriggerResult,
} from '../../../shared/api/contracts/runs.ts';
import {
  ScheduleList,
  SchedulePatch,
  SchedulePath,
  ScheduleView,
} from '../../../shared/api/contracts/schedules.ts';
import {
  ReviewScorecard,
  ReviewScorecardQuery,
  ScorecardQuery,
  TemplateScorecards,
} from '../../../shared/api/contracts/scorecards.ts';
import { DateQuery, SignalFeed, SignalFeedQuery, SignalList } from '../../../shared/api/contracts/signals.ts';
import {
  StrategyDetail,
  StrategyList,
  StrategyPath,
  StrategySaved,
  StrategyValidation,
} from '../../../shared/api/contracts/strategies.ts';
import {
  TemplateDetail,
  TemplateEnabledBody,
  TemplateList,
  TemplatePath,
  TemplatePreview,
  TemplatePreviewRequest,
  TemplateUpdate,
  TemplateValidation,
  TemplateView,
} from '../../../shared/api/contracts/templates.ts';
import type { Access, Method, RouteDoc } from '../../../shared/api/openapi.ts';
import { listQuality } from '../../../shared/api/quality.ts';
import { listReviews } from '../../../shared/api/reviews.ts';
import { retryRun, runDetail } from '../../../shared/api/runs.ts';
import { listSchedules, updateSchedule } from '../../../shared/api/schedules.ts';
import {
  assetDetail,
  featureDictionary,
  health,
  listRuns,
  listTemplates,
  previewTemplate,
  signalsByDate,
  triggerRun,
} from '../../../shared/api/service.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';
import { reviewRunCosts } from '../../../shared/review/costs.ts';
import { reviewScorecard } from '../../../shared/review/scorecard.ts';
import { changeFeed } from '../../../shared/signals/feed.ts';
import { SignalTemplate } from '../../../shared/signals/schema.ts';
import { templateScorecards } from '../../../shared/signals/scorecard.ts';
import {
  createTemplate,
  getTemplate,
  setTemplateEnabled,
  updateTemplate,
  validateTemplate,
} from '../../../shared/signals/store.ts';
import { StrategySpec } from '../../../shared/strategy/spec.ts';
import {
  getStrategy,
  listStrategies,
  saveStrategy,
  validateStrategy,
} from '../../../shared/strategy/store.ts';
import { learningRoutes } from './learning-routes.ts';
import { lifecycleRoutes } from './lifecycle-routes.ts';
import { newsRoutes } from './news-routes.ts';
import { portfolioRoutes } from './portfolio-routes.ts';
import { searchRoutes } from './search-routes.ts';
import { sentimentRoutes } from './sentiment-routes.ts';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives: the validated query, path and body, and the body's raw JSON. */
export interface RouteInput<Q, P, B> {
  query: Out<Q>;
  params: Out<P>;
  body: Out<B>;
  raw: unknown;
}

/** One control-api route: its document entry plus the handler behind it. */
export interface Route extends RouteDoc {
  /** false: the body schema only documents; the handler validates the raw JSON with it itself. */
  validateBody: boolean;
  handler: (input: { query: unknown; params: unknown; body: unknown; raw: unknown }, c: Context) => unknown;
}

interface RouteSpec<Q, P, B, R extends z.ZodType> {
  method: Method;
  path: string;
  summary: string;
  access: Access;
  query?: Q;
  params?: P;
  body?: B;
  validateBody?: boolean;
  status?: number;
  response: R;
  alternates?: Record<number, z.ZodType>;
  errors?: number[];
  /** Returns the response body (typed by `response`), or a Response when the status varies. */
  handler: (input: RouteInput<Q, P, B>, c: Context) => Promise<z.input<R> | Response> | z.input<R>;
}

/** Declares a route; the types of its handler's input and output follow from its schemas. */
export function route<
  R extends z.ZodType,
  Q extends z.ZodObject | undefined = undefined,
  P extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<Q, P, B, R>): Route {
  return {
    ...spec,
    query: spec.query,
    params: spec.params,
    body: spec.body,
    status: spec.status ?? 200,
    validateBody: spec.validateBody ?? true,
    handler: spec.handler as Route['handler'],
  };
}

/** Every control-api route: the app registers them and /openapi.json documents them, from this list. */
export function controlApiRoutes(ctx: PipelineContext, document: () => Record<string, unknown>): Route[] {
  const { sql } = ctx;
  const assetCache = createAssetListCache(ctx);
  return [
    route({
      method: 'get',
      path: '/health',
      summary: 'Database reachability and the latest runs (503 when the database is down)',
      access: 'public',
      response: Health,
      alternates: { 503: Health },
      handler: async (_, c) => {
        const h = await health(ctx);
        return c.json(h, h.database.ok ? 200 : 503);
      },
    }),
    route({
      method: 'get',
      path: '/openapi.json',
      summary: 'This document',
      access: 'public',
      response: OpenApiDocument,
      handler: () => document() as z.input<typeof OpenApiDocument>,
    }),
    route({
      method: 'get',
      path: '/assets',
      summary: 'The asset table: filters, sort by any column, keyset pages',
      access: 'reader',
      query: AssetListQuery,
      response: AssetList,
      errors: [404],
      // Served from the response cache (shared/api/asset-cache.ts): an ETag on every answer, a 304 to
      // a client whose If-None-Match is current.
      handler: async ({ query }, c) => {
        const answer = await assetCache.list(query, c.req.header('if-none-match'));
        const headers = { etag: answer.etag, 'cache-control': 'private, no-cache' };
        if (answer.status === 304) return c.body(null, 304, headers);
        return c.body(answer.body, 200, { ...headers, 'content-type': 'application/json' });
      },
    }),
    route({
      method: 'get',
      path: '/assets/:asset_type/:symbol',
      summary: 'One asset: bars with feature series, signals, reviews, quality ledger',
      access: 'reader',
      params: AssetPath,
      query: AssetDetailQuery,
      response: AssetDetail,
      errors: [404],
      handler: ({ params, query }) => assetDetail(ctx, params.asset_type, params.symbol, query),
    }),
    route({
      method: 'get',
      path: '/runs',
      summary: 'Runs with job counts and errors, newest first',
      access: 'reader',
      query: RunsQuery,
      response: RunList,
      handler: async ({ query }) => ({
        items: await listRuns(ctx, { ...query, latest: query.latest === 'true' }),
      }),
    }),
    route({
      method: 'post',
      path: '/runs',
      summary: 'Start a stage or the whole pipeline',
      access: 'admin',
      body: RunTrigger,
      status: 202,
      response: TriggerResult,
      errors: [404],
      handler: async ({ body }) => ({ runs: await triggerRun(ctx, body) }),
    }),
    route({
      method: 'get',
      path: '/runs/:id',
      summary: 'One run with its jobs and per-asset errors',
      access: 'reader',
      params: RunPath,
      response: RunDetail,
      errors: [404],
      handler: ({ params }) => runDetail(ctx, params.id),
    }),
    route({
      method: 'post',
      path: '/runs/:id/retry',
      summary: "Re-queue a run's failed jobs",
      access: 'admin',
      params: RunPath,
      response: RunDetail,
      errors: [404, 409],
      handler: ({ params }) => retryRun(ctx, params.id),
    }),
    route({
      method: 'get',
      path: '/schedules',
      summary: 'The pipeline schedules',
      access: 'reader',
      response: ScheduleList,
      handler: () => listSchedules(ctx),
    }),
    route({
      method: 'patch',
      path: '/schedules/:id',
      summary: 'Enable, disable or reschedule a schedule',
      access: 'admin',
      params: SchedulePath,
      body: SchedulePatch,
      response: ScheduleView,
      errors: [404],
      handler: ({ params, body }) => updateSchedule(ctx, params.id, body),
    }),
    route({
      method: 'get',
      path: '/signals',
      summary: "A date's signal facts (default: each market's latest)",
      access: 'reader',
      query: DateQuery,
      response: SignalList,
      handler: ({ query }) => signalsByDate(ctx, query.date),
    }),
    route({
      method: 'get',
      path: '/signals/feed',
      summary: 'What changed on a date: new, still active and ended signals',
      access: 'reader',
      query: SignalFeedQuery,
      response: SignalFeed,
      handler: ({ query }) => changeFeed(sql, query),
    }),
    route({
      method: 'get',
      path: '/reviews',
      summary: "A date's AI reviews with cost, tokens and latency; sorted and filtered",
      access: 'reader',
      query: ReviewsQuery,
      response: ReviewList,
      handler: ({ query }) => listReviews(ctx, query),
    }),
    route({
      method: 'get',
      path: '/reviews/costs',
      summary: 'What each review run cost: reviews, cache hits, invalid answers, tokens, USD, wall time',
      access: 'reader',
      query: ReviewCostsQuery,
      response: ReviewCosts,
      handler: ({ query }) => reviewRunCosts(sql, query),
    }),
    route({
      method: 'get',
      path: '/quality',
      summary: 'Data-quality ledger entries of a date (default: the newest)',
      access: 'reader',
      query: QualityQuery,
      response: QualityList,
      handler: ({ query }) => listQuality(ctx, query),
    }),
    route({
      method: 'get',
      path: '/templates',
      summary: 'The latest version of every signal template',
      access: 'reader',
      response: TemplateList,
      handler: async () => ({ items: await listTemplates(ctx) }),
    }),
    route({
      method: 'post',
      path: '/templates',
      summary: 'Create a template (version 1)',
      access: 'admin',
      body: SignalTemplate,
      validateBody: false,
      status: 201,
      response: TemplateView,
      errors: [409],
      handler: ({ raw }) => createTemplate(sql, raw),
    }),
    route({
      method: 'post',
      path: '/templates/validate',
      summary: 'Every problem of a template definition, without storing it',
      access: 'reader',
      body: SignalTemplate,
      validateBody: false,
      response: TemplateValidation,
      handler: ({ raw }) => validateTemplate(raw),
    }),
    route({
      method: 'post',
      path: '/templates/preview',
      summary: 'Which assets a definition would fire on, without storing anything',
      access: 'reader',
      body: TemplatePreviewRequest,
      response: TemplatePreview,
      errors: [404],
      handler: ({ body }) => previewTemplate(ctx, body.template, body),
    }),
    route({
      method: 'get',
      path: '/templates/:id',
      summary: 'A template with every stored version',
      access: 'reader',
      params: TemplatePath,
      response: TemplateDetail,
      errors: [404],
      handler: ({ params }) => getTemplate(sql, params.id),
    }),
    route({
      method: 'put',
      path: '/templates/:id',
      summary: 'Store a changed definition as a new version',
      access: 'admin',
      params: TemplatePath,
      body: SignalTemplate,
      validateBody: false,
      response: TemplateUpdate,
      errors: [404, 409],
      handler: ({ params, raw }) => updateTemplate(sql, params.id, raw),
    }),
    route({
      method: 'patch',
      path: '/templates/:id',
      summary: 'Enable or disable a template',
      access: 'admin',
      params: TemplatePath,
      body: TemplateEnabledBody,
      response: TemplateView,
      errors: [404],
      handler: ({ params, body }) => setTemplateEnabled(sql, params.id, body.enabled),
    }),
    route({
      method: 'get',
      path: '/scorecards/templates',
      summary: "Each template's firings, hit rate and forward returns",
      access: 'reader',
      query: ScorecardQuery,
      response: TemplateScorecards,
      handler: ({ query }) =>
        templateScorecards(sql, { assetType: query.asset_type, from: query.from, to: query.to }),
    }),
    route({
      method: 'get',
      path: '/scorecards/reviews',
      summary: 'How past AI reviews played out: hit rates, calibration, plans',
      access: 'reader',
      query: ReviewScorecardQuery,
      response: ReviewScorecard,
      handler: ({ query }) => reviewScorecard(sql, query),
    }),
    route({
      method: 'get',
      path: '/features',
      summary: 'The feature dictionary',
      access: 'reader',
      response: FeatureList,
      handler: () => ({ items: featureDictionary() }),
    }),
    route({
      method: 'get',
      path: '/strategies',
      summary: 'The latest version of every strategy',
      access: 'reader',
      response: StrategyList,
      handler: async () => ({ items: await listStrategies(sql) }),
    }),
    route({
      method: 'post',
      path: '/strategies',
      summary: 'Store a strategy spec as its next version (version 1 when new)',
      access: 'admin',
      body: StrategySpec,
      validateBody: false,
      status: 201,
      response: StrategySaved,
      errors: [409],
      handler: ({ raw }) => saveStrategy(sql, raw),
    }),
    route({
      method: 'post',
      path: '/strategies/validate',
      summary: 'Every problem of a strategy spec, and the name it would get, without storing it',
      access: 'reader',
      body: StrategySpec,
      validateBody: false,
      response: StrategyValidation,
      handler: ({ raw }) => validateStrategy(sql, raw),
    }),
    route({
      method: 'get',
      path: '/strategies/:id',
      summary: 'A strategy with every stored version',
      access: 'reader',
      params: StrategyPath,
      response: StrategyDetail,
      errors: [404],
      handler: ({ params }) => getStrategy(sql, params.id),
    }),
    route({
      method: 'post',
      path: '/backtests',
      summary:
        'Start a backtest of a stored strategy over a universe and range (queued; rerunning converges)',
      access: 'admin',
      body: BacktestRequest,
      status: 202,
      response: BacktestStarted,
      errors: [404],
      handler: ({ body }) => startBacktest(ctx, body),
    }),
    route({
      method: 'get',
      path: '/backtests',
      summary: 'Backtests, newest first, with their headline numbers',
      access: 'reader',
      query: BacktestListQuery,
      response: BacktestList,
      handler: async ({ query }) => ({ items: await listBacktests(sql, query) }),
    }),
    route({
      method: 'get',
      path: '/backtests/compare',
      summary: 'Two backtests side by side, with the difference of every metric',
      access: 'reader',
      query: BacktestCompareQuery,
      response: BacktestComparison,
      errors: [404],
      handler: ({ query }) => compareBacktests(sql, query.a, query.b),
    }),
    route({
      method: 'get',
      path: '/backtests/:id',
      summary: 'One backtest: metrics, benchmark, equity curve with drawdown, trades',
      access: 'reader',
      params: BacktestPath,
      response: BacktestDetail,
      errors: [404],
      handler: ({ params }) => backtestDetail(sql, params.id),
    }),
    ...newsRoutes(ctx),
    ...sentimentRoutes(ctx),
    ...portfolioRoutes(ctx),
    ...searchRoutes(ctx),
    ...lifecycleRoutes(ctx),
    ...learningRoutes(ctx),
  ];
}
