import type { AiReview } from '../../../shared/review/schema.ts';

// Reads the `review` JSON of a ReviewView. Valid reviews follow AiReview (LLM and rules alike); an
// invalid one holds whatever the model returned, so every field is checked before it is used.

export interface TradePlan {
  side: AiReview['trade_plan']['side'];
  entryLow: number | null;
  entryHigh: number | null;
  stop: number | null;
  targets: number[];
  horizonDays: number | null;
  invalidation: string | null;
}

export interface ReviewDetails {
  /** null when the review holds no readable plan; side 'none' plans have no levels. */
  plan: TradePlan | null;
  support: number[];
  resistance: number[];
  risks: string[];
  catalysts: string[];
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const nums = (v: unknown): number[] =>
  Array.isArray(v) ? v.map(num).filter((x): x is number => x !== null) : [];
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const SIDES: readonly string[] = ['long', 'short', 'none'] satisfies AiReview['trade_plan']['side'][];

function readPlan(raw: unknown): TradePlan | null {
  if (!isObj(raw) || typeof raw.side !== 'string' || !SIDES.includes(raw.side)) return null;
  const zone = isObj(raw.entry_zone) ? raw.entry_zone : null;
  return {
    side: raw.side as TradePlan['side'],
    entryLow: num(zone?.low),
    entryHigh: num(zone?.high),
    stop: num(raw.stop),
    targets: nums(raw.targets),
    horizonDays: num(raw.horizon_days),
    invalidation: typeof raw.invalidation === 'string' && raw.invalidation ? raw.invalidation : null,
  };
}

export function readReview(review: Record<string, unknown>): ReviewDetails {
  const levels = isObj(review.levels) ? review.levels : {};
  return {
    plan: readPlan(review.trade_plan),
    support: nums(levels.support),
    resistance: nums(levels.resistance),
    risks: strs(review.risks),
    catalysts: strs(review.catalysts),
  };
}
