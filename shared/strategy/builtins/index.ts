import { z } from 'zod';
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

/** One parameter of a built-in strategy, as a run form offers it: its default and the range it accepts. */
export interface BuiltinParameter {
  name: string;
  description: string;
  default: number;
  integer: boolean;
  /** Lowest accepted value; `min_exclusive` when the value must be above it. */
  min: number | null;
  min_exclusive: boolean;
  /** Highest accepted value; `max_exclusive` when the value must be below it. */
  max: number | null;
  max_exclusive: boolean;
}

interface NumberSchema {
  description?: string;
  default?: number;
  type?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
}

/**
 * The parameters of built-in `id` (empty for any other strategy), read from its zod schema so the
 * ranges shown are the ones `--set` and POST /backtests enforce; cross-field rules (fast below slow)
 * are checked at run time only.
 */
export function builtinParameters(id: string): BuiltinParameter[] {
  const builtin = BUILTIN_STRATEGIES.find((b) => b.id === id);
  if (!builtin) return [];
  const schema = z.toJSONSchema(builtin.params, { io: 'input' }) as {
    properties?: Record<string, NumberSchema>;
  };
  return Object.entries(schema.properties ?? {}).map(([name, p]) => ({
    name,
    description: p.description ?? '',
    default: p.default ?? Number.NaN,
    integer: p.type === 'integer',
    min: p.exclusiveMinimum ?? p.minimum ?? null,
    min_exclusive: p.exclusiveMinimum !== undefined,
    max: p.exclusiveMaximum ?? p.maximum ?? null,
    max_exclusive: p.exclusiveMaximum !== undefined,
  }));
}
