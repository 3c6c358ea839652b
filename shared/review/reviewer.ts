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
  /** Review requests made (transport retries of one request do not count). */
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

/** Reasons a review's levels and plan contradict each other or the data; empty when consistent. */
export function checkGrounding(review: AiReview, input: ReviewInput): string[] {
  const reasons: string[] = [];
  const plan = review.trade_plan;
  const zone = plan.entry_zone;
  const lastClose = input.bars.at(-1)?.close;

  const maxSupport = Math.max(...review.levels.support);
  const minResistance = Math.min(...review.levels.resistance);
  if (maxSupport >= minResistance) {
    reasons.push(`support ${maxSupport} is not below resistance ${minResistance}`);
  }
  if (zone && zone.low > zone.high) reasons.push(`entry zone low ${zone.low} is above its high ${zone.high}`);

  if (review.direction === 'bullish' && plan.side === 'short')
    reasons.push('bullish review with a short plan');
  if (review.direction === 'bearish' && plan.side === 'long') reasons.push('bearish review with a long plan');

  if (plan.side === 'none') {
    if (zone) reasons.push("side 'none' with an entry zone");
    if (plan.stop !== null) reasons.push("side 'none' with a stop");
    if (plan.targets.length > 0) reasons.push("side 'none' with targets");
    return reasons;
  }

  // A directional plan without a zone enters at the market: the last close is its entry.
  const entryLow = zone?.low ?? lastClose;
  const entryHigh = zone?.high ?? lastClose;
  if (entryLow === undefined || entryHigh === undefined) {
    reasons.push(`${plan.side} plan without an entry zone or a last close to enter at`);
    return reasons;
  }

  if (plan.side === 'long') {
    if (plan.stop !== null && plan.stop >= entryLow) {
      reasons.push(`long stop ${plan.stop} is not below the entry low ${entryLow}`);
    }
    const wrong = plan.targets.filter((t) => t <= entryHigh);
    if (wrong.length > 0)
      reasons.push(`long targets ${wrong.join(', ')} are not above the entry high ${entryHigh}`);
  } else {
    if (plan.stop !== null && plan.stop <= entryHigh) {
      reasons.push(`short stop ${plan.stop} is not above the entry high ${entryHigh}`);
    }
    const wrong = plan.targets.filter((t) => t >= entryLow);
    if (wrong.length > 0)
      reasons.push(`short targets ${wrong.join(', ')} are not below the entry low ${entryLow}`);
  }

  const atr = referenceAtr(input);
  const maxAtr = input.maxEntryAtr ?? DEFAULT_MAX_ENTRY_ATR;
  if (zone && lastClose !== undefined && atr !== null) {
    const distance = Math.max(Math.abs(zone.low - lastClose), Math.abs(zone.high - lastClose));
    if (distance > maxAtr * atr) {
      reasons.push(
        `entry zone ${zone.low}-${zone.high} reaches ${round(distance / atr)} ATR from the last close ${lastClose} (max ${maxAtr})`,
      );
    }
  }
  return reasons;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
