// /strategies: strategy specs, their versions and validation.
import { z } from 'zod';

const Spec = z.record(z.string(), z.unknown());

/** A built-in's parameter: what it does, its default and the range POST /backtests `set` accepts. */
const StrategyParameter = z.object({
  name: z.string(),
  description: z.string(),
  default: z.number(),
  integer: z.boolean(),
  min: z.number().nullable(),
  min_exclusive: z.boolean(),
  max: z.number().nullable(),
  max_exclusive: z.boolean(),
});

/** One stored version of a strategy: its spec with the defaults filled in. */
export const StrategyView = z.object({
  id: z.string(),
  version: z.number(),
  /** `<ASSET>_<TYPE>_<ID>` (MULTI for universe strategies), unique among strategies. */
  name: z.string(),
  description: z.string(),
  builtin: z.boolean(),
  /** A built-in's parameters, each with its default and range; empty for other strategies. */
  parameters: z.array(StrategyParameter),
  spec: Spec,
  created_at: z.string(),
});
export type StrategyView = z.infer<typeof StrategyView>;

/** GET /strategies: the latest version of every strategy. */
export const StrategyList = z.object({ items: z.array(StrategyView) });

/** GET /strategies/:id: the strategy with every version, newest first. */
export const StrategyDetail = z.object({
  id: z.string(),
  version: z.number(),
  builtin: z.boolean(),
  versions: z.array(StrategyView),
});

/** Path of /strategies/:id: a strategy id as the spec spells it. */
export const StrategyPath = z
  .object({ id: z.string().regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'expected a snake_case strategy id') })
  .strict();

/** POST /strategies: the stored version; `changed` is false when the spec equals the latest one. */
export const StrategySaved = StrategyView.extend({ changed: z.boolean() });

/** POST /strategies/validate: every problem by field path, and the name the spec would be stored under. */
export const StrategyValidation = z.object({
  valid: z.boolean(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
  name: z.string().nullable(),
});
