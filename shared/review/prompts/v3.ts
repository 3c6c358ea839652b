import type { ReviewPrompt } from '../prompt.ts';
import { DEFAULT_MAX_ENTRY_ATR, PRICE_TOLERANCE, priceTolerance } from '../reviewer.ts';
import type { ReviewInput } from '../types.ts';
import { reviewPromptV1 } from './v1.ts';
import { ANSWER_INSTRUCTIONS, qualityFlagLines } from './v2.ts';

// Frozen once shipped, like v1 and v2. v3 sends v1's facts (rendered by v1), reference price levels
// (more price features, the 52-week range and the last bar's floor pivots), the entry limit, the price
// tolerance the grounding check applies to every stated price, and v2's data-quality flags.

// Price features beyond v1's key features, fixed so that catalogue additions do not change v3.
const LEVEL_FEATURES = [
  'sma_100',
  'ema_100',
  'vwap_20',
  'kc_upper_20',
  'kc_middle_20',
  'kc_lower_20',
  'dc_upper_20',
  'dc_lower_20',
  'dc_upper_55',
  'dc_lower_55',
  'ichimoku_tenkan',
  'ichimoku_kijun',
  'ichimoku_span_a',
  'ichimoku_span_b',
  'supertrend_10',
  'psar',
] as const;

const system = `You are a disciplined technical analyst reviewing one asset for a daily shortlist.
Use ONLY the numbers in the user message: the recent daily bars, the computed features, the reference
price levels, the signals that fired and the data-quality flags. Do not use outside knowledge of the
asset, news, fundamentals or later prices.

Every price you give (support, resistance, entry zone bounds, stop, targets) must be one of the prices in
the user message, within the price tolerance it states: a bar's open, high, low or close, a feature that
is a price (moving averages, bands, channels) or a reference level. Put stops and targets at or just
beyond such a level; a price near none of them is rejected.

${ANSWER_INSTRUCTIONS}`;

/** The named price levels v3 adds, in a fixed order; only those the input can give. */
function referenceLevels(input: ReviewInput): [string, number][] {
  const f = input.features;
  const levels: [string, number][] = [];
  for (const name of LEVEL_FEATURES) {
    const v = f[name];
    if (v != null) levels.push([name, v]);
  }
  const last = input.bars.at(-1);
  if (last) {
    // dist_high_252 = close / 252-day high - 1, so the high itself is close / (1 + dist).
    const high = f.dist_high_252;
    const low = f.dist_low_252;
    if (high != null && high > -1) levels.push(['high_252', last.close / (1 + high)]);
    if (low != null && low > -1) levels.push(['low_252', last.close / (1 + low)]);
    // Classic floor-trader pivots of the last bar: the levels many traders watch the next session.
    const pivot = (last.high + last.low + last.close) / 3;
    const range = last.high - last.low;
    levels.push(
      ['pivot', pivot],
      ['pivot_r1', 2 * pivot - last.low],
      ['pivot_s1', 2 * pivot - last.high],
      ['pivot_r2', pivot + range],
      ['pivot_s2', pivot - range],
    );
  }
  return levels.filter(([, v]) => Number.isFinite(v) && v > 0);
}

function user(input: ReviewInput): string {
  const levels = referenceLevels(input);
  return [
    reviewPromptV1.user(input),
    '',
    levels.length > 0
      ? 'Reference price levels (latest day; 252 = 52 weeks; pivots from the last bar):'
      : 'Reference price levels: none',
    ...levels.map(([name, v]) => `${name}=${num(v)}`),
    '',
    `Entry zone limit: within ${input.maxEntryAtr ?? DEFAULT_MAX_ENTRY_ATR} ATR (atr_14) of the last close.`,
    `Price tolerance: ${num(priceTolerance(input))} (the larger of ${PRICE_TOLERANCE.closeFraction * 100}% of ` +
      `the last close and ${PRICE_TOLERANCE.atr} ATR); every price you give must be within it of a price above.`,
    '',
    ...qualityFlagLines(input),
  ].join('\n');
}

/** v1's prices and the reference levels. */
function prices(input: ReviewInput): number[] {
  return [...reviewPromptV1.prices(input), ...referenceLevels(input).map(([, v]) => v)];
}

// Six significant digits, as v1 prints numbers.
function num(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : 'n/a';
}

/** Prompt v3: v2 plus reference price levels and the price tolerance every stated price must meet. */
export const reviewPromptV3: ReviewPrompt = { version: 'review-v3', system, user, prices };
