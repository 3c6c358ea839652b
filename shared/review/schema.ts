import { z } from 'zod';
import { Direction } from '../domain/market.ts';

// The schema doubles as the OpenAI strict structured-output schema, so it stays inside that subset:
// every field required (nullable instead of optional), closed objects, and only the keywords strict
// mode enforces (enum, pattern, minimum/maximum, maxItems). Cross-field consistency (stop below the
// entry, support below resistance, ...) cannot be expressed there and lives in checkGrounding.

const Price = z.number().positive();

const Levels = z.strictObject({
  support: z.array(Price).describe('Price levels below the last close where buyers stepped in'),
  resistance: z.array(Price).describe('Price levels above the last close where sellers stepped in'),
});

const TradePlan = z.strictObject({
  side: z.enum(['long', 'short', 'none']),
  entry_zone: z
    .strictObject({ low: Price, high: Price })
    .nullable()
    .describe('Price range to enter in; null when side is none'),
  stop: Price.nullable().describe('Protective stop; below the entry for long, above it for short'),
  targets: z.array(Price).max(3).describe('Up to 3 profit targets, nearest first; empty when side is none'),
  horizon_days: z.int().min(1).max(120).nullable().describe('Expected holding period in trading days'),
  invalidation: z.string().describe('What price action proves the idea wrong'),
});

/** One asset review: the strict-JSON answer of an LLM, or the same shape derived by rules. */
export const AiReview = z.strictObject({
  direction: Direction,
  attention_score: z.number().min(0).max(100).describe('0-100: how much this asset deserves attention today'),
  confidence: z.number().min(0).max(1).describe('0-1: how strongly the data supports the direction'),
  setup_type: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/)
    .describe('Short snake_case label: breakout, breakdown, mean_reversion, trend_continuation, range'),
  summary: z.string().describe('One paragraph citing the numbers that drive the view'),
  levels: Levels,
  trade_plan: TradePlan,
  risks: z.array(z.string()),
  catalysts: z.array(z.string()),
});
export type AiReview = z.infer<typeof AiReview>;
