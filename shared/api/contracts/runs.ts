// /runs: triggering stages and reading runs with their jobs.
import { z } from 'zod';
import { AssetType, IsoDate } from '../../domain/market.ts';
import { Stage } from '../../domain/stages.ts';
import { UniverseId } from '../../domain/universes.ts';

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
    /**
     * review (alone or at the end of the pipeline): ask again about reviews stored invalid for the
     * same input (a truncated answer, a failed grounding check) instead of reusing them; the new
     * answers replace them and their tokens and cost count in this run.
     */
    retry_invalid: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.from === undefined || b.date === undefined || b.from <= b.date, {
    message: 'from must not be after date',
    path: ['from'],
  })
  .refine((b) => !b.retry_invalid || b.stage === 'review' || b.stage === 'pipeline', {
    message: 'retry_invalid applies to the review stage (or the whole pipeline)',
    path: ['retry_invalid'],
  });
export type RunTrigger = z.infer<typeof RunTrigger>;

/** A run's jobs by status. */
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
export type RunList = z.infer<typeof RunList>;

/** POST /runs: the runs started (or already running) for the trigger. */
export const TriggerResult = z.object({ runs: z.array(RunView) });
export type TriggerResult = z.infer<typeof TriggerResult>;

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
  asset_errors: z.array(
    z.object({
      symbol: z.string(),
      asset_type: AssetType,
      /** `error`: the asset failed; `fallback`: it was served, by another provider than the first. */
      kind: z.enum(['error', 'fallback']),
      error: z.string(),
    }),
  ),
});
export type RunDetail = z.infer<typeof RunDetail>;
