import type { RunStage } from '../domain/stages.ts';
import type { StageHandler } from '../pipeline/types.ts';
import { backtestStage } from './backtest/index.ts';
import { featuresStage } from './features/index.ts';
import { ingestStage } from './ingest/index.ts';
import { lifecycleStage } from './lifecycle/index.ts';
import { newsStage } from './news/index.ts';
import { reviewStage } from './review/index.ts';
import { searchStage } from './search/index.ts';
import { sentimentStage } from './sentiment/index.ts';
import { signalsStage } from './signals/index.ts';
import { tradeStage } from './trade/index.ts';

/** Static registry of stage handlers (bundled functions cannot scan folders). */
export const STAGE_HANDLERS: Record<RunStage, StageHandler> = {
  ingest: ingestStage,
  news: newsStage,
  features: featuresStage,
  signals: signalsStage,
  review: reviewStage,
  sentiment: sentimentStage,
  trade: tradeStage,
  backtest: backtestStage,
  lifecycle: lifecycleStage,
  search: searchStage,
};
