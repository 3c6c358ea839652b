import { z } from 'zod';
import { AssetType, Direction } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';
import { FEATURE_NAMES } from '../features/catalogue.ts';
import { hasLoneSurrogate } from '../http/json-shape.ts';
import { SENTIMENT_INPUTS } from '../news/sentiment/inputs.ts';
import { conditionLookback } from './inputs.ts';

/** Bar fields a template may read besides the catalogue features. */
const BAR_INPUTS = ['open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Every name a template may read: a `daily_features` column, a bar field or a daily sentiment input.
 * Nothing else validates.
 */
export const SIGNAL_INPUTS = [...FEATURE_NAMES, ...BAR_INPUTS, ...SENTIMENT_INPUTS] as const;

/** An input name from the whitelist; an unknown name is reported with the name itself. */
export const SignalInput = z.enum(SIGNAL_INPUTS, {
  error: (issue) =>
    typeof issue.input === 'string'
      ? `unknown input "${issue.input}": expected a daily_features column, open/high/low/close/volume or a sentiment input (${SENTIMENT_INPUTS.join(', ')})`
      : 'expected an input name',
});
export type SignalInput = z.infer<typeof SignalInput>;

/** A catalogue feature (a `daily_features` column): what a `rank` condition ranks across the universe. */
export const FeatureInput = z.enum(FEATURE_NAMES, {
  error: (issue) =>
    typeof issue.input === 'string'
      ? `unknown feature "${issue.input}": expected a daily_features column`
      : 'expected a feature name',
});
export type FeatureInput = z.infer<typeof FeatureInput>;

/** Most stored trading days a `held` or `change` may span. */
export const MAX_DAYS = 60;

/** Most stored rows before today a template may read, nesting included: bounds what a job loads. */
export const MAX_LOOKBACK = 120;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const fieldsOf = (schema: z.ZodType): string[] =>
  schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];

/**
 * A union of object shapes told apart by which one of their key properties is present; a key that is
 * also a field of another present member's shape belongs to that member (`op` of a `change` is not a
 * comparison). Unlike z.union, which reports a single "invalid input" when every member fails, the
 * member the input chose reports its own issues at their own paths (e.g. `when.all.0.left.feature`).
 */
function oneOf<S extends Record<string, z.ZodType>>(shapes: S, expected: string) {
  const keys = Object.keys(shapes);
  return z.unknown().transform((input, ctx): z.output<S[keyof S]> => {
    const present = isRecord(input) ? keys.filter((key) => Object.hasOwn(input, key)) : [];
    const chosen = present.filter(
      (key) => !present.some((other) => other !== key && fieldsOf(shapes[other]!).includes(key)),
    );
    const shape = chosen.length === 1 ? shapes[chosen[0]!] : undefined;
    if (!shape) {
      ctx.addIssue({ code: 'custom', message: `expected ${expected}`, input });
      return z.NEVER;
    }
    const result = shape.safeParse(input);
    if (!result.success) {
      for (const { path, message } of result.error.issues)
        ctx.addIssue({ code: 'custom', path, message, input });
      return z.NEVER;
    }
    return result.data as z.output<S[keyof S]>;
  });
}

/** A feature value today (times a factor) or a constant. */
export const Operand = oneOf(
  {
    feature: z.strictObject({ feature: SignalInput, times: z.number().optional() }),
    value: z.strictObject({ value: z.number() }),
  },
  'an operand: {feature, times?} or {value}',
);
export type Operand = z.infer<typeof Operand>;

/** The whitelisted comparison operators. */
const CompareOp = z.enum(['<', '<=', '>', '>=', '==', '!=']);
export type CompareOp = z.infer<typeof CompareOp>;

const Comparison = z.strictObject({ left: Operand, op: CompareOp, right: Operand });
export type Comparison = z.infer<typeof Comparison>;

/** `above`: left was <= right on the previous trading day and is > right today; `below` mirrors it. */
const Cross = z.strictObject({ cross: z.enum(['above', 'below']), left: Operand, right: Operand });
export type Cross = z.infer<typeof Cross>;

/** Inclusive range. */
const Between = z
  .strictObject({ between: Operand, min: z.number(), max: z.number() })
  .refine((b) => b.min <= b.max, { message: 'min must not exceed max', path: ['max'] });
export type Between = z.infer<typeof Between>;

const Days = z.number().int().min(1).max(MAX_DAYS);

/**
 * Change over `days` stored trading days, compared with `value`: `pct` is x_today / x_then − 1
 * (unknown when x_then ≤ 0, so use it on prices and volumes), `abs` is x_today − x_then.
 */
const Change = z.strictObject({
  change: Operand,
  days: Days,
  mode: z.enum(['pct', 'abs']),
  op: CompareOp,
  value: z.number(),
});
export type Change = z.infer<typeof Change>;

/**
 * Percentile rank of a feature across the universe that day, as Postgres' percent_rank(): 0 for
 * the lowest, 1 for the highest, ties share the lowest rank, a lone value ranks 0, nulls are unranked.
 */
const Rank = z.strictObject({ rank: FeatureInput, op: CompareOp, value: z.number().min(0).max(1) });
export type Rank = z.infer<typeof Rank>;

/** `held`: the inner condition is true on each of the last `days` stored trading days, today included. */
export type Held = { held: Condition; days: number };

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | Held
  | Comparison
  | Cross
  | Between
  | Change
  | Rank;

/** The boolean expression that decides whether a template fires. */
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  oneOf(
    {
      all: z.strictObject({ all: z.array(Condition).min(1) }),
      any: z.strictObject({ any: z.array(Condition).min(1) }),
      not: z.strictObject({ not: Condition }),
      held: z.strictObject({ held: Condition, days: Days }),
      op: Comparison,
      cross: Cross,
      between: Between,
      change: Change,
      rank: Rank,
    },
    'a condition: {all}, {any}, {not}, {held, days}, {left, op, right}, {cross, left, right}, ' +
      '{between, min, max}, {change, days, mode, op, value} or {rank, op, value}',
  ),
);

/** strength = clamp(base + Σ weight·clamp01((x − from)/(to − from)), 0, 100); a null input adds 0. */
export const Strength = z.strictObject({
  base: z.number().min(0).max(100),
  terms: z.array(
    z
      .strictObject({ feature: SignalInput, from: z.number(), to: z.number(), weight: z.number() })
      .refine((t) => t.from !== t.to, { message: 'from and to must differ', path: ['to'] }),
  ),
});
export type Strength = z.infer<typeof Strength>;

const unique = (values: readonly string[]) => new Set(values).size === values.length;

// Postgres refuses text with a lone surrogate, so a definition that has one must not validate.
const isWellFormed = (text: string) => !hasLoneSurrogate(text);
const LONE_SURROGATE = 'contains a lone UTF-16 surrogate (not well-formed Unicode)';

/** A declarative signal: when it fires, how strong it is, and which inputs it records as evidence. */
export const SignalTemplate = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'expected a snake_case id, e.g. rsi_oversold'),
    version: z.number().int().min(1),
    name: z.string().min(1).refine(isWellFormed, LONE_SURROGATE),
    description: z
      .string()
      .regex(/^[^\r\n]+$/, 'expected a non-empty single line')
      .refine(isWellFormed, LONE_SURROGATE),
    direction: Direction,
    asset_types: z.array(AssetType).min(1).refine(unique, 'asset types must not repeat'),
    when: Condition,
    strength: Strength,
    evidence: z.array(SignalInput).refine(unique, 'evidence inputs must not repeat'),
  })
  .refine((t) => conditionLookback(t.when) <= MAX_LOOKBACK, {
    message: `reads more than ${MAX_LOOKBACK} stored days back (held, change and cross add up when nested)`,
    path: ['when'],
  });
export type SignalTemplate = z.infer<typeof SignalTemplate>;

/** One validation problem, `path` dot-separated from the template root (empty for the root). */
export interface TemplateIssue {
  path: string;
  message: string;
}

/** A template definition that does not validate; permanent, so retrying cannot help. */
export class TemplateValidationError extends AppError {
  constructor(readonly issues: TemplateIssue[]) {
    super(
      'invalid_input',
      `invalid signal template: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
      { retryable: false, details: issues },
    );
    this.name = 'TemplateValidationError';
  }
}

/** Deepest nesting of conditions (`all`, `any`, `not`, `held`) a template may have. */
export const MAX_CONDITION_DEPTH = 32;

/** Most conditions a template may have, nested ones included. */
export const MAX_CONDITIONS = 256;

/**
 * Refuses a condition tree deeper or larger than the limits, walking the raw JSON without recursion:
 * the recursive schema and evaluator would overflow the stack on a deep enough tree before saying why.
 */
export function checkConditionLimits(when: unknown): void {
  const stack: { node: unknown; depth: number }[] = [{ node: when, depth: 1 }];
  let count = 0;
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (!isRecord(item.node)) continue;
    const problem =
      ++count > MAX_CONDITIONS
        ? `more than ${MAX_CONDITIONS} conditions (the limit is ${MAX_CONDITIONS})`
        : item.depth > MAX_CONDITION_DEPTH
          ? `conditions nest deeper than ${MAX_CONDITION_DEPTH} levels (the limit is ${MAX_CONDITION_DEPTH})`
          : null;
    if (problem) {
      throw new AppError('invalid_input', `invalid signal template: when: ${problem}`, {
        retryable: false,
        details: [{ path: 'when', message: problem }],
      });
    }
    for (const key of ['all', 'any', 'not', 'held']) {
      if (!Object.hasOwn(item.node, key)) continue;
      const child = item.node[key];
      for (const node of Array.isArray(child) ? child : [child]) stack.push({ node, depth: item.depth + 1 });
    }
  }
}

/** Validates a JSON template definition, returning it typed or throwing TemplateValidationError. */
export function parseTemplate(json: unknown): SignalTemplate {
  if (isRecord(json)) checkConditionLimits(json.when);
  const result = SignalTemplate.safeParse(json);
  if (result.success) return result.data;
  throw new TemplateValidationError(
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}
