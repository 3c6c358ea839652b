import type { AiReview } from './schema.ts';
import type { ReviewInput } from './types.ts';

/** What one review attempt produced; `status` 'valid' if and only if `review` is set and `reasons` is empty. */
export interface ReviewOutcome {
  status: 'valid' | 'invalid';
  review: AiReview | null;
  /** The reviewer's answer as received (parsed JSON when it parsed), kept for audit even when invalid. */
  raw: unknown;
  /** Why the final answer was rejected; empty for a valid outcome. */
  reasons: string[];
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  /** HTTP requests made: first answers, corrective retries and transport retries (429, 5xx, timeouts) alike. */
  attempts: number;
}

/** Something that reviews one asset on one date: an LLM or the rules fallback. */
export interface Reviewer {
  model: string;
  promptVersion: string;
  /** one line */
  description: string;
  review(input: ReviewInput): Promise<ReviewOutcome>;
}

/** SHA-256 hex of the canonical JSON of what a review depends on, so an unchanged input is not reviewed twice. */
export async function inputHash(input: ReviewInput, model: string, promptVersion: string): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson({ input, model, promptVersion }));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

// JSON with object keys sorted at every depth: key order must not change the hash.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const ATR_BARS = 14;

/** The ATR a plan is measured in: the `atr_14` feature, else the mean true range of the last 14 bars. */
export function referenceAtr(input: ReviewInput): number | null {
  const atr = input.features.atr_14;
  if (atr != null && Number.isFinite(atr) && atr > 0) return atr;
  // Only the first bar lacks a previous close, so 15 bars give 14 true ranges.
  const bars = input.bars.slice(-(ATR_BARS + 1));
  if (bars.length < 2) return null;
  let sum = 0;
  for (let i = 1; i < bars.length; i++) {
    const bar = bars[i]!;
    const prevClose = bars[i - 1]!.close;
    sum += Math.max(bar.high - bar.low, Math.abs(bar.high - prevClose), Math.abs(bar.low - prevClose));
  }
  const mean = sum / (bars.length - 1);
  return mean > 0 ? mean : null;
}

/** Entry zones farther than this many ATRs from the last close are not a plan for the coming days. */
export const DEFAULT_MAX_ENTRY_ATR = 3;

/**
 * How near a stated price must be to a price of the input to count as taken from it: the larger of
 * 0.5% of the last close and a quarter ATR, so rounding, "just below support" stops and quiet and
 * volatile markets alike pass while a number from nowhere does not.
 */
export const PRICE_TOLERANCE = { closeFraction: 0.005, atr: 0.25 } as const;

/** The distance within which a level or plan price counts as one of the input's prices. */
export function priceTolerance(input: ReviewInput): number {
  const lastClose = input.bars.at(-1)?.close ?? 0;
  const atr = referenceAtr(input) ?? 0;
  return Math.max(PRICE_TOLERANCE.closeFraction * lastClose, PRICE_TOLERANCE.atr * atr);
}
