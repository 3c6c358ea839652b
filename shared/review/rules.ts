import type { Direction } from '../domain/market.ts';
import { checkGrounding } from './grounding.ts';
import { currentPrompt } from './prompt.ts';
import { type Reviewer, type ReviewOutcome, referenceAtr } from './reviewer.ts';
import type { AiReview } from './schema.ts';
import type { ReviewInput, ReviewSignal } from './types.ts';

// The review Stratos writes when no LLM is configured. Every number is a mechanical function of the
// input, so the same input always gives the same review, and every level and plan price is one of the
// prices the current prompt shows an LLM: the rules meet the grounding standard the models are held to.

/** Net signal strength (0-100 scale per signal) needed before the rules take a side. */
const NET_THRESHOLD = 10;
const MAX_LEVELS = 3;
/** Entry zone half-width in ATR: inside the price tolerance (a quarter ATR or more) around the close. */
const ZONE_ATR = 0.2;
/** Stops and targets keep at least this many ATR from the entry zone, so noise alone does not reach them. */
const MIN_GAP_ATR = 0.5;
/** Ideal stop and target distances from the close in ATR; the plan takes the input price nearest each. */
const STOP_ATR = 1.5;
const TARGET_ATR = [1.5, 3] as const;
/** How far (ATR from the close) a stop or target may be before the plan stands aside instead. */
const MAX_STOP_ATR = 3;
const MAX_TARGET_ATR = 4.5;

// Setup labels from template ids, first match wins: 'trend_breakdown' is a breakdown, not a trend.
const SETUP_PATTERNS: [RegExp, string][] = [
  [/breakdown|new_low/, 'breakdown'],
  [/breakout|new_high/, 'breakout'],
  [/oversold|overbought|reversion|revert|bounce|band/, 'mean_reversion'],
  [/squeeze|range|consolidat/, 'range'],
  [/trend|cross|golden|death|macd|momentum/, 'trend_continuation'],
];
const HORIZON_DAYS: Record<string, number> = {
  breakout: 10,
  breakdown: 10,
  mean_reversion: 5,
  trend_continuation: 20,
};

/** The deterministic reviewer used without an LLM key; its output is labelled as rules-based. */
export function createRulesReviewer(): Reviewer {
  return {
    model: 'rules',
    promptVersion: 'rules-v2',
    description: 'Deterministic rules-based review from signals, ATR and the input price levels (not an LLM)',
    async review(input: ReviewInput): Promise<ReviewOutcome> {
      const started = performance.now();
      const review = rulesReview(input);
      // Grounding holds by construction; checking anyway turns a future bug into an invalid row, not a wrong plan.
      const reasons = review ? checkGrounding(review, input) : ['no bars to review'];
      const valid = review !== null && reasons.length === 0;
      return {
        status: valid ? 'valid' : 'invalid',
        review: valid ? review : null,
        raw: review,
        reasons,
        tokensIn: 0,
        tokensOut: 0,
        latencyMs: Math.round(performance.now() - started),
        attempts: 1,
      };
    },
  };
}

interface Tally {
  bullish: number;
  bearish: number;
  net: number;
  direction: Direction;
  /** Signals sorted strongest first (ties by template id, for determinism). */
  ranked: ReviewSignal[];
}

function tally(signals: ReviewSignal[]): Tally {
  const ranked = signals
    .map((s) => ({ ...s, strength: clamp(s.strength, 0, 100) }))
    .sort(
      (a, b) => b.strength - a.strength || (a.template < b.template ? -1 : a.template > b.template ? 1 : 0),
    );
  let bullish = 0;
  let bearish = 0;
  for (const s of ranked) {
    if (s.direction === 'bullish') bullish += s.strength;
    if (s.direction === 'bearish') bearish += s.strength;
  }
  const net = bullish - bearish;
  const direction = net >= NET_THRESHOLD ? 'bullish' : net <= -NET_THRESHOLD ? 'bearish' : 'neutral';
  return { bullish, bearish, net, direction, ranked };
}

function rulesReview(input: ReviewInput): AiReview | null {
  const last = input.bars.at(-1);
  if (!last) return null;
  const close = last.close;
  const prices = currentPrompt.prices(input).filter((p) => Number.isFinite(p) && p > 0);
  const t = tally(input.signals);
  const atr = referenceAtr(input);
  const round = rounder(atr ?? close / 100);

  const agreeing = t.ranked.filter((s) => s.direction === t.direction);
  const strongest = t.ranked[0]?.strength ?? 0;
  const attention = Math.min(100, 0.7 * strongest + 6 * Math.min(t.ranked.length, 5));
  const directional = t.bullish + t.bearish;
  const agreement = directional > 0 ? Math.abs(t.net) / directional : 0;
  const breadth = 0.5 + 0.5 * Math.min(1, agreeing.length / 3);
  // Capped at 0.8: a rules engine has no business being more certain than that.
  const confidence = 0.2 + 0.6 * agreement * (t.direction === 'neutral' ? 0 : breadth);

  const setup = t.direction === 'neutral' ? 'range' : setupType(agreeing);
  const levels = findLevels(input, new Set(prices), close, atr, round);
  const plan = buildPlan(t.direction, close, atr, prices, round, setup);

  return {
    direction: t.direction,
    attention_score: round1(attention),
    confidence: Math.round(confidence * 100) / 100,
    setup_type: setup,
    summary: summary(input, t, round(close), atr === null ? null : round(atr), plan),
    levels,
    trade_plan: plan,
    risks: risks(input, t, close, atr, plan, levels, setup),
    catalysts: catalysts(input, t, close, round),
  };
}

function setupType(agreeing: ReviewSignal[]): string {
  for (const s of agreeing) {
    const match = SETUP_PATTERNS.find(([pattern]) => pattern.test(s.template));
    if (match) return match[1];
  }
  // No known pattern: the strongest template's own id is the most honest label.
  const id = (agreeing[0]?.template ?? 'signal').toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return (/^[a-z]/.test(id) ? id : `s_${id}`).slice(0, 40).padEnd(2, '_');
}

/**
 * An ATR plan placed on the input's prices: the entry ±0.2 ATR around the close, the stop at the price
 * nearest 1.5 ATR beyond the close, targets at the prices nearest 1.5 and 3 ATR in the trade's direction,
 * each at least half an ATR outside the entry zone. No price in reach for the stop or the first target: no trade.
 */
function buildPlan(
  direction: Direction,
  close: number,
  atr: number | null,
  prices: readonly number[],
  round: (x: number) => number,
  setup: string,
): AiReview['trade_plan'] {
  const none = (why: string): AiReview['trade_plan'] => ({
    side: 'none',
    entry_zone: null,
    stop: null,
    targets: [],
    horizon_days: null,
    invalidation: why,
  });
  if (direction === 'neutral') return none('No position; reassess when a directional signal fires.');
  if (atr === null) return none('No position: no ATR to size a stop.');
  const s = direction === 'bullish' ? 1 : -1;
  // Distance in ATR from the close in the trade's direction (negative: on the stop side).
  const reach = (p: number) => (s * (p - close)) / atr;
  const minGap = ZONE_ATR + MIN_GAP_ATR;
  const stopSide = prices.filter((p) => reach(p) <= -minGap && reach(p) >= -MAX_STOP_ATR);
  const targetSide = prices.filter((p) => reach(p) >= minGap && reach(p) <= MAX_TARGET_ATR);
  const stopPrice = nearest(stopSide, close - s * STOP_ATR * atr);
  const picked = TARGET_ATR.map((k) => nearest(targetSide, close + s * k * atr));
  // Both ideals may land on one price: it is one target, nearest first.
  const targets = [...new Set(picked.filter((p): p is number => p !== null).map(round))].sort(
    (x, y) => s * (x - y),
  );
  if (stopPrice === null)
    return none(
      `No position: no price in the data ${MIN_GAP_ATR}-${MAX_STOP_ATR} ATR beyond the entry for a stop.`,
    );
  if (targets.length === 0)
    return none(`No position: no price in the data to aim at within ${MAX_TARGET_ATR} ATR.`);
  const stop = round(stopPrice);
  return {
    side: s > 0 ? 'long' : 'short',
    entry_zone: { low: round(close - ZONE_ATR * atr), high: round(close + ZONE_ATR * atr) },
    stop,
    targets,
    horizon_days: HORIZON_DAYS[setup] ?? 10,
    invalidation: `A daily close ${s > 0 ? 'below' : 'above'} ${stop}`,
  };
}

/** The price closest to `x`, the lower one on a tie; null for none. */
function nearest(prices: readonly number[], x: number): number | null {
  let best: number | null = null;
  for (const p of prices) {
    if (
      best === null ||
      Math.abs(p - x) < Math.abs(best - x) ||
      (Math.abs(p - x) === Math.abs(best - x) && p < best)
    )
      best = p;
  }
  return best;
}

/**
 * Swing points of the bars plus moving averages and bands, split at the last close, nearest first; only
 * those among the prices the prompt shows (a swing of a bar older than the prompt's bars is left out).
 */
function findLevels(
  input: ReviewInput,
  shown: ReadonlySet<number>,
  close: number,
  atr: number | null,
  round: (x: number) => number,
): AiReview['levels'] {
  const bars = input.bars;
  const candidates: number[] = [];
  // A swing low/high is the extreme of a 5-bar window; the last 2 bars cannot be confirmed yet.
  for (let i = 2; i < bars.length - 2; i++) {
    const window = bars.slice(i - 2, i + 3);
    const bar = bars[i]!;
    if (window.every((b) => bar.low <= b.low)) candidates.push(bar.low);
    if (window.every((b) => bar.high >= b.high)) candidates.push(bar.high);
  }
  for (const name of ['sma_50', 'sma_200', 'bb_upper_20', 'bb_lower_20', 'prior_high_20', 'prior_low_20']) {
    const v = input.features[name];
    if (v != null) candidates.push(v);
  }
  const levels = candidates.filter((v) => shown.has(v)).map(round);
  const minGap = (atr ?? close / 100) * 0.25;
  return {
    support: pickDistinct(
      levels.filter((v) => v < close).sort((a, b) => b - a),
      minGap,
    ),
    resistance: pickDistinct(
      levels.filter((v) => v > close).sort((a, b) => a - b),
      minGap,
    ),
  };
}

// Levels closer than a quarter ATR are one zone; keeping the nearest of each says more in three numbers.
function pickDistinct(sortedNearestFirst: number[], minGap: number): number[] {
  const picked: number[] = [];
  for (const v of sortedNearestFirst) {
    if (picked.length === MAX_LEVELS) break;
    if (picked.every((p) => Math.abs(p - v) >= minGap)) picked.push(v);
  }
  return picked;
}

function summary(
  input: ReviewInput,
  t: Tally,
  close: number,
  atr: number | null,
  plan: AiReview['trade_plan'],
): string {
  const count = (d: Direction) => t.ranked.filter((s) => s.direction === d).length;
  const top = t.ranked[0];
  const signals =
    t.ranked.length === 0
      ? 'No signals fired.'
      : `${t.ranked.length} signal(s) fired: ${count('bullish')} bullish (weight ${round1(t.bullish)}), ` +
        `${count('bearish')} bearish (weight ${round1(t.bearish)}), ${count('neutral')} neutral; ` +
        `strongest ${top!.template} (${top!.direction}, ${round1(top!.strength)}).`;
  const market = `Last close ${close} on ${input.bars.at(-1)!.date}${atr === null ? '' : `, ATR ${atr}`}.`;
  const zone = plan.entry_zone;
  const planText =
    plan.side === 'none' || !zone
      ? `No trade: ${plan.invalidation}`
      : `Plan: ${plan.side} ${zone.low}-${zone.high}, stop ${plan.stop}, targets ${plan.targets.join(' / ')}, ` +
        `about ${plan.horizon_days} trading days.`;
  return `Rules-based review (deterministic, not an LLM) of ${input.asset.symbol}. ${signals} ${market} ${planText}`;
}

// Annualised 20-day volatility above which a market is unusually jumpy (crypto runs hotter than equities).
const HIGH_VOL = { crypto: 1.0, equity: 0.5 } as const;

function risks(
  input: ReviewInput,
  t: Tally,
  close: number,
  atr: number | null,
  plan: AiReview['trade_plan'],
  levels: AiReview['levels'],
  setup: string,
): string[] {
  const f = input.features;
  const out: string[] = [];
  const vol = f.vol_20;
  if (vol != null && vol > HIGH_VOL[input.asset.assetType]) {
    out.push(`20-day volatility is high (${round1(vol * 100)}% annualised): stops get hit by noise.`);
  }
  const rvol = relativeVolume(input);
  if (rvol !== null && rvol < 0.5) {
    out.push(`Volume is ${Math.round(rvol * 100) / 100}x its 20-day average: thin participation.`);
  }
  const rsi = f.rsi_14;
  if (rsi != null && rsi >= 70) out.push(`RSI ${round1(rsi)} is overbought: pullbacks are likely.`);
  if (rsi != null && rsi <= 30) out.push(`RSI ${round1(rsi)} is oversold: sharp rebounds are likely.`);
  const adx = f.adx_14;
  if (adx != null && adx < 20 && setup !== 'mean_reversion' && setup !== 'range') {
    out.push(`ADX ${round1(adx)} shows a weak trend: ${setup} setups fail more often without one.`);
  }
  const opposing = t.ranked.filter((s) => s.direction !== t.direction && s.direction !== 'neutral');
  if (t.direction !== 'neutral' && opposing.length > 0) {
    out.push(`Conflicting signals: ${opposing.map((s) => s.template).join(', ')}.`);
  }
  if (atr !== null && plan.side === 'long' && levels.resistance[0] !== undefined) {
    if (levels.resistance[0] < close + 1.5 * atr) {
      out.push(`Resistance at ${levels.resistance[0]} sits before the first target.`);
    }
  }
  if (atr !== null && plan.side === 'short' && levels.support[0] !== undefined) {
    if (levels.support[0] > close - 1.5 * atr)
      out.push(`Support at ${levels.support[0]} sits before the first target.`);
  }
  out.push('Mechanical ATR plan: it ignores news, earnings and the broader market.');
  return out;
}

/** Last volume against the mean of the 20 before it, when the feature is missing. */
function relativeVolume(input: ReviewInput): number | null {
  const feature = input.features.rvol_20;
  if (feature != null) return feature;
  const volumes = input.bars.map((b) => b.volume);
  const last = volumes.at(-1);
  const prior = volumes.slice(-21, -1);
  if (last === undefined || prior.length === 0) return null;
  const mean = prior.reduce((a, b) => a + b, 0) / prior.length;
  return mean > 0 ? last / mean : null;
}

function catalysts(input: ReviewInput, t: Tally, close: number, round: (x: number) => number): string[] {
  const relevant = t.direction === 'neutral' ? t.ranked : t.ranked.filter((s) => s.direction === t.direction);
  const out = relevant
    .slice(0, 5)
    .map((s) => `${s.template} fired (${s.direction}, strength ${round1(s.strength)}).`);
  const { prior_high_20: high, prior_low_20: low } = input.features;
  if (high != null && close > high)
    out.push(`Close ${round(close)} is above the prior 20-day high ${round(high)}.`);
  if (low != null && close < low)
    out.push(`Close ${round(close)} is below the prior 20-day low ${round(low)}.`);
  return out;
}

/** Rounds prices to 1/100 of an ATR or finer (at most to cents), so rounding never reorders a plan's prices. */
function rounder(scale: number): (x: number) => number {
  const exponent = Math.floor(Math.log10(scale / 100));
  // toFixed takes at most 100 digits; 20 is already far below any traded price increment.
  const decimals = Math.max(2, Math.min(20, Number.isFinite(exponent) ? -exponent : 20));
  const step = 10 ** -decimals;
  return (x) => Number((Math.round(x / step) * step).toFixed(decimals));
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
