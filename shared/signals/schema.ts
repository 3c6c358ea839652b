import { z } from 'zod';
import { AssetType, Direction } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';
import { FEATURE_NAMES } from '../features/catalogue.ts';

/** Bar fields a template may read besides the catalogue features. */
const BAR_INPUTS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** Every name a template may read: a `daily_features` column or a bar field. Nothing else validates. */
export const SIGNAL_INPUTS = [...FEATURE_NAMES, ...BAR_INPUTS] as const;

/** An input name from the whitelist; an unknown name is reported with the name itself. */
export const SignalInput = z.enum(SIGNAL_INPUTS, {
  error: (issue) =>
    typeof issue.input === 'string'
      ? `unknown input "${issue.input}": expected a daily_features column or open/high/low/close/volume`
      : 'expected an input name',
});
export type SignalInput = z.infer<typeof SignalInput>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A union of object shapes told apart by which one of their key properties is present. Unlike
 * z.union, which reports a single "invalid input" when every member fails, the member the input
 * chose reports its own issues at their own paths (e.g. `when.all.0.left.feature`).
 */
function oneOf<S extends Record<string, z.ZodType>>(shapes: S, expected: string) {
  const keys = Object.keys(shapes);
  return z.unknown().transform((input, ctx): z.output<S[keyof S]> => {
    const present = isRecord(input) ? keys.filter((key) => Object.hasOwn(input, key)) : [];
    const shape = present.length === 1 ? shapes[present[0]!] : undefined;
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

const Comparison = z.strictObject({
  left: Operand,
  op: z.enum(['<', '<=', '>', '>=', '==', '!=']),
  right: Operand,
});
export type Comparison = z.infer<typeof Comparison>;

/** `above`: left was <= right on the previous trading day and is > right today; `below` mirrors it. */
const Cross = z.strictObject({ cross: z.enum(['above', 'below']), left: Operand, right: Operand });
export type Cross = z.infer<typeof Cross>;

/** Inclusive range. */
const Between = z
  .strictObject({ between: Operand, min: z.number(), max: z.number() })
  .refine((b) => b.min <= b.max, { message: 'min must not exceed max', path: ['max'] });
export type Between = z.infer<typeof Between>;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | Comparison
  | Cross
  | Between;

/** The boolean expression that decides whether a template fires. */
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  oneOf(
    {
      all: z.strictObject({ all: z.array(Condition).min(1) }),
      any: z.strictObject({ any: z.array(Condition).min(1) }),
      not: z.strictObject({ not: Condition }),
      op: Comparison,
      cross: Cross,
      between: Between,
    },
    'a condition: {all}, {any}, {not}, {left, op, right}, {cross, left, right} or {between, min, max}',
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

/** A declarative signal: when it fires, how strong it is, and which inputs it records as evidence. */
export const SignalTemplate = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'expected a snake_case id, e.g. rsi_oversold'),
  version: z.number().int().min(1),
  name: z.string().min(1),
  description: z.string().regex(/^[^\r\n]+$/, 'expected a non-empty single line'),
  direction: Direction,
  asset_types: z.array(AssetType).min(1).refine(unique, 'asset types must not repeat'),
  when: Condition,
  strength: Strength,
  evidence: z.array(SignalInput).refine(unique, 'evidence inputs must not repeat'),
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

/** Validates a JSON template definition, returning it typed or throwing TemplateValidationError. */
export function parseTemplate(json: unknown): SignalTemplate {
  const result = SignalTemplate.safeParse(json);
  if (result.success) return result.data;
  throw new TemplateValidationError(
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}
