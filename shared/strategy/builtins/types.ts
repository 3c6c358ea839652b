import type { z } from 'zod';
import type { StrategySpecInput } from '../spec.ts';

/** A built-in strategy: a spec built from typed parameters, each with a default. */
export interface BuiltinStrategy {
  id: string;
  /** One line, shown in lists. */
  description: string;
  /** The parameters `--set key=value` may change; parsing fills the defaults and names a bad one. */
  params: z.ZodType<Record<string, number>>;
  /** The spec for these parameters (unvalidated: parseStrategy checks it as any other spec). */
  build(params: Readonly<Record<string, unknown>>): StrategySpecInput;
}
