import { z } from 'zod';
import { AssetType } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';
import { Condition, SignalInput } from '../signals/schema.ts';

/**
 * Type codes of strategy names (`BTC_MR_A4F2D`): mean reversion, Bollinger, momentum, trend, breakout,
 * day trading, rotation, and SIG for anything driven by signal templates alone.
 */
export const STRATEGY_TYPES = ['MR', 'BB', 'MOM', 'TF', 'BO', 'DAY', 'ROT', 'SIG'] as const;
export const StrategyType = z.enum(STRATEGY_TYPES);
export type StrategyType = z.infer<typeof StrategyType>;

const Id = z.string().regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'expected a snake_case id, e.g. rsi_reversion');

/** A share of something, in (0, 1]. */
const Fraction = z.number().gt(0).lte(1);

/** A price move as a fraction of the entry price, e.g. 0.05 for 5%; below 1 so a long stop stays above 0. */
const Pct = z.number().gt(0).lt(1);

const unique = (values: readonly string[]) => new Set(values).size === values.length;

/** Which signal templates must have fired on the decision day: any, all, or at least `k` of them. */
const SignalRule = z
  .strictObject({
    mode: z.enum(['any', 'all', 'at_least']),
    k: z.number().int().min(1).optional(),
    templates: z.array(Id).min(1).refine(unique, 'templates must not repeat'),
  })
  .superRefine((s, ctx) => {
    if (s.mode === 'at_least' && s.k === undefined)
      ctx.addIssue({ code: 'custom', path: ['k'], message: 'at_least needs k' });
    if (s.mode !== 'at_least' && s.k !== undefined)
      ctx.addIssue({ code: 'custom', path: ['k'], message: 'k is only read with mode at_least' });
    if (s.k !== undefined && s.k > s.templates.length)
      ctx.addIssue({ code: 'custom', path: ['k'], message: `k exceeds the ${s.templates.length} templates` });
  });
export type SignalRule = z.infer<typeof SignalRule>;

/** The latest AI review of the asset must point this way with at least this confidence (0-1). */
const ReviewFilter = z.strictObject({
  direction: z.enum(['bullish', 'bearish']),
  min_confidence: z.number().min(0).max(1),
});
export type ReviewFilter = z.infer<typeof ReviewFilter>;

/** A moving average of the close with any period, computed by the engine (the catalogue has fixed periods). */
const MovingAverage = z.strictObject({
  kind: z.enum(['sma', 'ema']),
  period: z.number().int().min(2).max(400),
});
export type MovingAverage = z.infer<typeof MovingAverage>;

/**
 * `fast` crosses `slow` on the decision day: `above` when fast was <= slow the day before and is > slow
 * now, `below` mirrored, as the template language's cross.
 */
const MaCross = z
  .strictObject({ fast: MovingAverage, slow: MovingAverage, cross: z.enum(['above', 'below']) })
  .refine((m) => m.fast.kind !== m.slow.kind || m.fast.period !== m.slow.period, {
    message: 'fast and slow must differ',
    path: ['slow'],
  });
export type MaCross = z.infer<typeof MaCross>;

/** When one side enters: every part given must hold on the decision day's close. */
const EntryRule = z
  .strictObject({
    signals: SignalRule.optional(),
    when: Condition.optional(),
    ma_cross: MaCross.optional(),
    review: ReviewFilter.optional(),
  })
  .refine((r) => r.signals !== undefined || r.when !== undefined || r.ma_cross !== undefined, {
    message: 'an entry needs signals, a when condition or an ma_cross (a review filter alone is not a rule)',
  });
export type EntryRule = z.infer<typeof EntryRule>;

/** Which of the qualifying assets take the free slots: highest (`desc`) or lowest (`asc`) value of `by`. */
const Ranking = z.strictObject({ by: SignalInput, order: z.enum(['desc', 'asc']) });

/**
 * Entries (and rebalancing exits) only once a week: on the first trading day of each ISO week whose
 * weekday (1 Monday .. 7 Sunday) is `weekday` or later. That day the top `max_positions` qualifying
 * assets in ranking order are the target: positions outside it leave, the free slots take the rest.
 */
const Rebalance = z.strictObject({
  every: z.literal('week'),
  weekday: z.number().int().min(1).max(7).default(1),
});

const Entry = z
  .strictObject({
    long: EntryRule.optional(),
    short: EntryRule.optional(),
    rank: Ranking.optional(),
    rebalance: Rebalance.optional(),
    max_new_per_day: z.number().int().min(1).optional(),
    max_positions: z.number().int().min(1).max(10_000),
  })
  .refine((e) => e.long !== undefined || e.short !== undefined, {
    message: 'an entry needs a long or a short side',
  });
export type Entry = z.infer<typeof Entry>;

/** A distance from the entry price: a fraction of it (`pct`) or a multiple of `atr_14` on the decision day (`atr`). */
const Distance = z
  .strictObject({ pct: Pct.optional(), atr: z.number().gt(0).max(100).optional() })
  .refine((d) => (d.pct === undefined) !== (d.atr === undefined), {
    message: 'give exactly one of pct or atr',
  });
export type Distance = z.infer<typeof Distance>;

/** Sell (cover) `fraction` of the entry quantity once price moves `pct` in the position's favour. */
const Target = z.strictObject({ pct: z.number().gt(0).max(100), fraction: Fraction });
export type Target = z.infer<typeof Target>;

/** A trailing stop `pct` or `atr` behind the best price since entry; with `arm_after_pct`, only once that gain was seen. */
const Trailing = z
  .strictObject({
    pct: Pct.optional(),
    atr: z.number().gt(0).max(100).optional(),
    arm_after_pct: z.number().min(0).optional(),
  })
  .refine((d) => (d.pct === undefined) !== (d.atr === undefined), {
    message: 'give exactly one of pct or atr',
  });
export type Trailing = z.infer<typeof Trailing>;

/** One row of a price-range bracket table: entries priced in [min_price, max_price) take this target (and stop). */
const Bracket = z
  .strictObject({
    min_price: z.number().min(0),
    max_price: z.number().gt(0),
    target_pct: z.number().gt(0).max(100),
    stop_pct: Pct.optional(),
  })
  .refine((b) => b.min_price < b.max_price, {
    message: 'min_price must be below max_price',
    path: ['max_price'],
  });
export type Bracket = z.infer<typeof Bracket>;

const Exit = z
  .strictObject({
    stop: Distance.optional(),
    targets: z.array(Target).min(1).optional(),
    trailing: Trailing.optional(),
    brackets: z.array(Bracket).min(1).optional(),
    time_stop_bars: z.number().int().min(1).max(10_000).optional(),
    end_of_day: z.boolean().default(false),
    signal: z.strictObject({ long: Condition.optional(), short: Condition.optional() }).optional(),
    on_opposite_signal: z.boolean().default(false),
    reverse: z.boolean().default(false),
  })
  .superRefine((x, ctx) => {
    if (x.targets) {
      const total = x.targets.reduce((s, t) => s + t.fraction, 0);
      if (total > 1 + 1e-9)
        ctx.addIssue({
          code: 'custom',
          path: ['targets'],
          message: `target fractions add up to ${total}, above 1`,
        });
      for (let i = 1; i < x.targets.length; i++)
        if (x.targets[i]!.pct <= x.targets[i - 1]!.pct)
          ctx.addIssue({ code: 'custom', path: ['targets', i, 'pct'], message: 'targets must rise in pct' });
    }
    if (x.brackets) {
      if (x.targets)
        ctx.addIssue({
          code: 'custom',
          path: ['brackets'],
          message: 'brackets set the target: drop targets',
        });
      for (let i = 1; i < x.brackets.length; i++)
        if (x.brackets[i]!.min_price < x.brackets[i - 1]!.max_price)
          ctx.addIssue({
            code: 'custom',
            path: ['brackets', i, 'min_price'],
            message: 'brackets must be sorted and must not overlap',
          });
    }
  });
export type Exit = z.infer<typeof Exit>;

/** How much one entry buys; every mode is capped by the cash and leverage available at the fill. */
const Sizing = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('fixed_fraction'), fraction: Fraction }),
    z.strictObject({ mode: z.literal('equal') }),
    z.strictObject({ mode: z.literal('risk'), risk_pct: z.number().gt(0).max(0.5) }),
    z.strictObject({ mode: z.literal('all_cash') }),
  ],
  { error: () => 'expected sizing mode fixed_fraction, equal, risk or all_cash' },
);
export type Sizing = z.infer<typeof Sizing>;

/**
 * Fee: `fee_rate` of the order's value plus `fee_fixed` per order; slippage: `slippage_rate` of the price,
 * adverse; `max_volume_share`: the most of a bar's volume an entry, or one asset's exits together, may take.
 */
const Costs = z.strictObject({
  fee_rate: z.number().min(0).max(0.1).default(0),
  fee_fixed: z.number().min(0).default(0),
  slippage_rate: z.number().min(0).max(0.1).default(0),
  max_volume_share: Fraction.optional(),
});
export type Costs = z.infer<typeof Costs>;

/** A strategy as data: when to enter, how to leave, how much to trade and what trading costs. */
export const StrategySpec = z
  .strictObject({
    id: Id,
    version: z.number().int().min(1),
    name: z.string().min(1),
    description: z.string().regex(/^[^\r\n]+$/, 'expected a non-empty single line'),
    type: StrategyType,
    asset_types: z.array(AssetType).min(1).refine(unique, 'asset types must not repeat'),
    entry: Entry,
    exit: Exit.default({ end_of_day: false, on_opposite_signal: false, reverse: false }),
    sizing: Sizing,
    /** Gross exposure may reach `leverage` × equity; 1 means cash only. */
    leverage: z.number().min(1).max(10).default(1),
    /**
     * Shorts' maintenance margin: at every close the equity must be at least this share of the shorts'
     * market value, else every short is covered at the next open. Default 0.3 (FINRA rule 4210's 30%);
     * optional without a default so stored specs and their names do not change.
     */
    short_maintenance: z.number().min(0).max(1).optional(),
    /** `auto`: whole units for equities, fractional for crypto. */
    units: z.enum(['auto', 'whole', 'fractional']).default('auto'),
    costs: Costs.default({ fee_rate: 0, fee_fixed: 0, slippage_rate: 0 }),
  })
  .superRefine((s, ctx) => {
    const twoSided = s.entry.long !== undefined && s.entry.short !== undefined;
    if (s.exit.reverse && !twoSided)
      ctx.addIssue({
        code: 'custom',
        path: ['exit', 'reverse'],
        message: 'close-and-reverse needs long and short entries',
      });
    if (s.exit.on_opposite_signal && !twoSided)
      ctx.addIssue({
        code: 'custom',
        path: ['exit', 'on_opposite_signal'],
        message: 'an opposite signal needs long and short entries (use exit.signal for one side)',
      });
    const hasStop =
      s.exit.stop !== undefined || (s.exit.brackets?.every((b) => b.stop_pct !== undefined) ?? false);
    if (s.sizing.mode === 'risk' && !hasStop)
      ctx.addIssue({
        code: 'custom',
        path: ['sizing', 'mode'],
        message: 'risk sizing needs exit.stop (or a stop_pct on every bracket)',
      });
  });
export type StrategySpec = z.infer<typeof StrategySpec>;
/** A spec as written by a user: defaults may be left out. */
export type StrategySpecInput = z.input<typeof StrategySpec>;

/** One validation problem, `path` dot-separated from the spec root (empty for the root). */
export interface StrategyIssue {
  path: string;
  message: string;
}

/** A strategy spec that does not validate; permanent, so retrying cannot help. */
export class StrategyValidationError extends AppError {
  constructor(readonly issues: StrategyIssue[]) {
    super(
      'invalid_input',
      `invalid strategy: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
      { retryable: false, details: issues },
    );
    this.name = 'StrategyValidationError';
  }
}

/** Every template id a spec reads, with the path where it reads it. */
function templateRefs(spec: StrategySpec): { id: string; path: string }[] {
  const out: { id: string; path: string }[] = [];
  for (const side of ['long', 'short'] as const)
    spec.entry[side]?.signals?.templates.forEach((id, i) => {
      out.push({ id, path: `entry.${side}.signals.templates.${i}` });
    });
  return out;
}

/**
 * Validates a JSON strategy spec, returning it typed with defaults filled in, or throwing
 * StrategyValidationError naming each bad field. With `templates`, every template the spec reads must be in it.
 */
export function parseStrategy(json: unknown, opts: { templates?: ReadonlySet<string> } = {}): StrategySpec {
  const result = StrategySpec.safeParse(json);
  if (!result.success)
    throw new StrategyValidationError(
      result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    );
  const known = opts.templates;
  if (known) {
    const unknown = templateRefs(result.data).filter((r) => !known.has(r.id));
    if (unknown.length)
      throw new StrategyValidationError(
        unknown.map((r) => ({ path: r.path, message: `unknown signal template "${r.id}"` })),
      );
  }
  return result.data;
}

/** The template ids a spec's entries read, each once. */
export function strategyTemplates(spec: StrategySpec): string[] {
  return [...new Set(templateRefs(spec).map((r) => r.id))];
}
