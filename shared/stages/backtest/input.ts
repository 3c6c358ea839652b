import { z } from 'zod';

/** A backtest run's params: the `backtests` row it fills. */
export const BacktestParams = z.object({ backtest_id: z.number().int().positive() });
export type BacktestParams = z.infer<typeof BacktestParams>;

/**
 * One backtest job: the whole strategy over the whole universe and range, so the panel is loaded and
 * built once (the S&P set, 505 assets × 1,259 days, loads and simulates in about two seconds).
 */
export const BacktestJob = z.object({ backtest_id: z.number().int().positive() });
export type BacktestJob = z.infer<typeof BacktestJob>;
