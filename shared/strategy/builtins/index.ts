import { AppError, formatIssues } from '../../errors/index.ts';
import { parseStrategy, type StrategySpec } from '../spec.ts';
import { smaCross } from './sma_cross.ts';
import type { BuiltinStrategy } from './types.ts';

/** Every built-in strategy: a static registry, since bundled functions cannot scan files. */
export const BUILTIN_STRATEGIES: readonly BuiltinStrategy[] = [smaCross];

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
