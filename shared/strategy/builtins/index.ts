import { AppError, formatIssues } from '../../errors/index.ts';
import { parseStrategy, type StrategySpec } from '../spec.ts';
import { breakoutParticipation } from './breakout_participation.ts';
import { dayTrading } from './day_trading.ts';
import { goldenCross } from './golden_cross.ts';
import { momentumRotation } from './momentum_rotation.ts';
import { rsiMacdMomentum } from './rsi_macd_momentum.ts';
import { smaCross } from './sma_cross.ts';
import type { BuiltinStrategy } from './types.ts';
import { zscoreReversion } from './zscore_reversion.ts';

/** Every built-in strategy: a static registry, since bundled functions cannot scan files. */
export const BUILTIN_STRATEGIES: readonly BuiltinStrategy[] = [
  smaCross,
  rsiMacdMomentum,
  zscoreReversion,
  breakoutParticipation,
  goldenCross,
  dayTrading,
  momentumRotation,
];

/** The spec of built-in `id` with `params` over its defaults; an unknown id or a bad parameter is invalid input. */
export function builtinSpec(id: string, params: Readonly<Record<string, unknown>> = {}): StrategySpec {
  const builtin = BUILTIN_STRATEGIES.find((b) => b.id === id);
  if (!builtin)
    throw new AppError(
      'invalid_input',
      `unknown built-in strategy "${id}": expected ${BUILTIN_STRATEGIES.map((b) => b.id).join(', ')}`,
      {
        retryable: false,
      },
    );
  const parsed = builtin.params.safeParse(params);
  if (!parsed.success)
    throw new AppError(
      'invalid_input',
      `invalid parameters for ${id}: ${formatIssues(parsed.error.issues)}`,
      {
        retryable: false,
        details: parsed.error.issues,
      },
    );
  return parseStrategy(builtin.build(parsed.data));
}
