import { z } from 'zod';

/** The pipeline stages, in execution order. */
export const Stage = z.enum(['ingest', 'news', 'sentiment', 'features', 'signals', 'review', 'trade']);
export type Stage = z.infer<typeof Stage>;
/** The stages as a list, in execution order. */
export const STAGES: readonly Stage[] = Stage.options;

/**
 * What a queued run may be: a pipeline stage, a backtest (keyed by its backtest, never chained), or the
 * hourly strategy lifecycle, or a search run's group discovery (neither chained).
 */
export const RunStage = z.enum([...Stage.options, 'backtest', 'lifecycle', 'search']);
export type RunStage = z.infer<typeof RunStage>;
