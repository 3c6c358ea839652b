import type { z } from 'zod';
import type { AuthSettings } from '../auth/settings.ts';
import type { Sql } from '../db/client.ts';
import type { AssetType } from '../domain/market.ts';
import type { RunStage } from '../domain/stages.ts';
import type { SentimentScorer } from '../news/score/types.ts';
import type { NewsProvider } from '../news/types.ts';
import type { MarketDataProvider } from '../providers/types.ts';
import type { Reviewer } from '../review/reviewer.ts';
import type { ReviewSettings } from '../review/settings.ts';

/** Everything a stage needs from the outside world; built once per process by an adapter. */
export interface PipelineContext {
  sql: Sql;
  /** Providers to try for an asset type, in fallback order. */
  providers: (assetType: AssetType) => MarketDataProvider[];
  reviewer: Reviewer;
  /** How the review stage spends: tiering, concurrency, per-run budget, prices, candidates, grounding. */
  review: ReviewSettings;
  log: (line: string) => void;
  /** How long a claimed job is leased before another worker may take it over. */
  leaseSeconds: number;
  /** Default number of assets the review stage reviews per universe and date. */
  reviewLimit: number;
  /** Calendar days the daily ingest re-fetches before the run date, to repair gaps and revised bars. */
  repairDays: number;
  /** Whether ingest cross-checks the run date's bars with a second provider (ledger kind 'reconciliation'). */
  reconcile: boolean;
  /** Whether signal evaluation skips assets whose bar on the evaluated date is flagged in the ledger. */
  skipFlagged: boolean;
  /** Benchmark symbol per market, for beta, correlation and relative strength. */
  benchmarks: Record<AssetType, string>;
  /** The credentials the HTTP functions accept. */
  auth: AuthSettings;
  /** Browser origins control-api answers with CORS headers (empty: none). */
  corsOrigins: string[];
  /** How much work one stage-function invocation takes on (STRATOS_DRAIN_CPU_MS, STRATOS_DRAIN_WALL_MS). */
  drainBudget: DrainBudget;
  /** News sources in order (STRATOS_NEWS_PROVIDERS) and the days before the run date a daily news run fetches (STRATOS_NEWS_DAYS). */
  news: { providers: NewsProvider[]; days: number };
  /** The news sentiment scorer and its per-run USD budget (null: unlimited); absent: the finance lexicon. */
  sentiment?: { scorer: SentimentScorer; budgetUsd: number | null };
  /** The environment Alpaca and IBKR portfolios build their broker from (keys, accounts, STRATOS_LIVE_TRADING); absent: none is reachable. */
  brokerEnv?: Readonly<Record<string, string | undefined>>;
}

/** Per-invocation limits of a stage function: it starts no job that would not fit in both. */
export interface DrainBudget {
  /** CPU ms (Supabase allows 2 s of CPU per request). */
  cpuMs: number;
  /** Wall-clock ms (Supabase allows 150 s on the free plan). */
  wallMs: number;
}

/** A `pipeline_runs` row. */
export interface RunRow {
  id: number;
  stage: RunStage;
  run_date: string;
  universe: string;
  status: 'running' | 'succeeded' | 'partial' | 'failed';
  chain: boolean;
  params: Record<string, unknown>;
  summary: Record<string, unknown>;
  created_at: Date;
  started_at: Date;
  finished_at: Date | null;
}

/** A `pipeline_jobs` row. */
export interface JobRow {
  id: number;
  run_id: number;
  chunk: number;
  payload: Record<string, unknown>;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
}

/**
 * What processing one job produced: counters summed into the run, and per-asset failures. A
 * `fallback` is a note (the asset was served, by a later provider) that leaves the run succeeded.
 */
export interface JobOutcome {
  counts: Record<string, number>;
  assetErrors: { assetId: number; error: string; kind?: 'error' | 'fallback' }[];
}

/** A run as its stage sees it: `params` parsed by the stage's schema (unknown keys left out). */
export type StageRun<P> = Omit<RunRow, 'params'> & { params: P };

/**
 * One pipeline stage: what it reads (zod schemas for its run parameters and its job payload, parsed
 * once where a run is planned or a job taken), how to split a run into jobs, and how to process one.
 */
export interface StageHandler<P = unknown, J = unknown> {
  stage: RunStage;
  /** One line for logs and the dashboard. */
  description: string;
  /** The run parameters it reads from `pipeline_runs.params`. */
  params: z.ZodType<P>;
  /** One job's payload, as `plan` produces it. */
  payload: z.ZodType<J>;
  /** Splits the run into job payloads (each small enough for one Edge Function invocation). */
  plan(ctx: PipelineContext, run: StageRun<P>): Promise<J[]>;
  process(ctx: PipelineContext, run: StageRun<P>, payload: J): Promise<JobOutcome>;
  /**
   * Work over the whole run once every job is done (e.g. ranking across the universe); its counters
   * join the run summary. A failure marks the run partial and is recorded, it does not stop the chain.
   */
  afterRun?(ctx: PipelineContext, run: StageRun<P>): Promise<Record<string, number>>;
}
