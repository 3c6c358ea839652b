import { currentPrompt } from './prompt.ts';
import { DEFAULT_MAX_ENTRY_ATR, priceTolerance, referenceAtr } from './reviewer.ts';
import type { AiReview } from './schema.ts';
import type { ReviewInput } from './types.ts';

/**
 * Reasons a review's levels and plan contradict each other or the data; empty when consistent. Every
 * level and plan price must also lie within `priceTolerance` of one of `prices`, by default the prices
 * the current prompt shows the model (bars, price features, reference levels): a number that is near
 * none of them was not taken from the input, whatever the answer claims.
 */
export function checkGrounding(
  review: AiReview,
  input: ReviewInput,
  prices: readonly number[] = currentPrompt.prices(input),
): string[] {
  const reasons = checkConsistency(review, input);
  const tolerance = priceTolerance(input);
  const sorted = prices.filter(Number.isFinite).sort((a, b) => a - b);
  for (const [role, price] of statedPrices(review)) {
    const nearest = nearestOf(sorted, price);
    if (nearest === null || Math.abs(nearest - price) > tolerance) {
      const near = nearest === null ? 'the input has no prices' : `nearest ${sig(nearest)}`;
      reasons.push(
        `${role} ${price} is not within ${sig(tolerance)} of any price in the input (${near}); use the prices given`,
      );
    }
  }
  return reasons;
}

/** Every price the answer states, with the role it gives it, in the order the schema lists them. */
function statedPrices(review: AiReview): [string, number][] {
  const plan = review.trade_plan;
  return [
    ...review.levels.support.map((p): [string, number] => ['support', p]),
    ...review.levels.resistance.map((p): [string, number] => ['resistance', p]),
    ...(plan.entry_zone
      ? ([
          ['entry zone low', plan.entry_zone.low],
          ['entry zone high', plan.entry_zone.high],
        ] as [string, number][])
      : []),
    ...(plan.stop === null ? [] : [['stop', plan.stop] as [string, number]]),
    ...plan.targets.map((p): [string, number] => ['target', p]),
  ];
}

/** The element of an ascending list closest to `x` (binary search); null for an empty list. */
function nearestOf(sorted: readonly number[], x: number): number | null {
  if (sorted.length === 0) return null;
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  const above = sorted[lo]!;
  const below = sorted[lo - 1];
  return below !== undefined && x - below < above - x ? below : above;
}

/** The ordering rules between levels, entry, stop and targets, and the entry's distance from the close. */
function checkConsistency(review: AiReview, input: ReviewInput): string[] {
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

// Six significant digits, as the prompt prints prices.
function sig(x: number): number {
  return Number(x.toPrecision(6));
}
