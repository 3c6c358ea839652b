import type { ReviewPrompt } from '../prompt.ts';
import type { ReviewInput, ReviewSignal } from '../types.ts';

// Frozen once shipped: reviews are keyed by prompt version, so any change here (text or rendering)
// belongs in a new prompts/v2.ts.

const RECENT_BARS = 30;

// A fixed list, not "every feature": new catalogue columns must not silently change what v1 sends.
const KEY_FEATURES = [
  'ret_1',
  'ret_5',
  'ret_20',
  'ret_60',
  'sma_20',
  'sma_50',
  'sma_200',
  'ema_20',
  'ema_50',
  'ema_200',
  'dist_sma_20',
  'dist_sma_50',
  'dist_sma_200',
  'rsi_14',
  'macd',
  'macd_signal',
  'macd_hist',
  'atr_14',
  'natr_14',
  'bb_upper_20',
  'bb_middle_20',
  'bb_lower_20',
  'bb_pctb_20',
  'bb_width_20',
  'adx_14',
  'plus_di_14',
  'minus_di_14',
  'stoch_k_14',
  'stoch_d_14',
  'cci_20',
  'willr_14',
  'mfi_14',
  'roc_10',
  'aroon_up_25',
  'aroon_down_25',
  'rvol_20',
  'dollar_vol_20',
  'prior_high_20',
  'prior_low_20',
  'dist_high_252',
  'dist_low_252',
  'vol_20',
] as const;

const system = `You are a disciplined technical analyst reviewing one asset for a daily shortlist.
Use ONLY the numbers in the user message: the recent daily bars, the computed features and the signals
that fired. Do not use outside knowledge of the asset, news, fundamentals or later prices. Every price
you give (levels, entry zone, stop, targets) must be derivable from those numbers.

Answer with one JSON object matching the schema:
- direction: bullish, bearish or neutral, from the balance of signals and features.
- attention_score 0-100: how much a trader should look at this asset today.
- confidence 0-1: how strongly the data supports the direction; conflicting evidence lowers it.
- setup_type: short snake_case label such as breakout, breakdown, mean_reversion, trend_continuation, range.
- summary: one paragraph citing the specific numbers behind the view.
- levels: support strictly below the last close, resistance strictly above it.
- trade_plan: side long, short or none. For long: stop below the entry zone, targets above it.
  For short: stop above the entry zone, targets below it. The entry zone must lie within 3 ATR (atr_14)
  of the last close. Up to 3 targets, nearest first. horizon_days in trading days.
  With side none: entry_zone null, stop null, targets empty, horizon_days null.
  invalidation: the price action that proves the idea wrong.
- risks and catalysts: short sentences grounded in the data.
If the evidence is mixed, say neutral with side none rather than forcing a trade.`;

function user(input: ReviewInput): string {
  const bars = input.bars.slice(-RECENT_BARS);
  const last = input.bars.at(-1);
  const lines = [
    `Asset: ${input.asset.symbol} (${input.asset.assetType}${input.asset.name ? `, ${input.asset.name}` : ''})`,
    `As of: ${input.asOfDate}`,
    last ? `Last close: ${num(last.close)} on ${last.date}` : 'Last close: none (no bars)',
    '',
    `Daily bars, oldest first (last ${bars.length}):`,
    'date,open,high,low,close,volume',
    ...bars.map((b) => [b.date, num(b.open), num(b.high), num(b.low), num(b.close), num(b.volume)].join(',')),
    '',
    'Features (latest day; n/a = not enough history):',
    ...KEY_FEATURES.filter((name) => name in input.features).map(
      (name) => `${name}=${formatValue(input.features[name] ?? null)}`,
    ),
    '',
    input.signals.length > 0 ? 'Signals that fired:' : 'Signals that fired: none',
    ...input.signals.map(signalLine),
  ];
  return lines.join('\n');
}

function signalLine(s: ReviewSignal): string {
  const evidence = Object.entries(s.evidence)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(', ');
  return `- ${s.template}: ${s.direction}, strength ${num(s.strength)}${evidence ? `; evidence: ${evidence}` : ''}`;
}

function formatValue(v: number | string | boolean | null): string {
  if (v === null) return 'n/a';
  return typeof v === 'number' ? num(v) : String(v);
}

// Six significant digits keep sub-cent crypto prices exact enough and cut float noise from the tokens.
function num(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : 'n/a';
}

// The key features that are price levels (not returns, oscillators or price differences such as ATR).
// prices() sends nothing: it names what v1 already shows, for the grounding check.
const PRICE_FEATURES = [
  'sma_20',
  'sma_50',
  'sma_200',
  'ema_20',
  'ema_50',
  'ema_200',
  'bb_upper_20',
  'bb_middle_20',
  'bb_lower_20',
  'prior_high_20',
  'prior_low_20',
] as const satisfies readonly (typeof KEY_FEATURES)[number][];

/** The prices v1 shows: open, high, low and close of the bars sent, and the key features that are prices. */
function prices(input: ReviewInput): number[] {
  const out = input.bars.slice(-RECENT_BARS).flatMap((b) => [b.open, b.high, b.low, b.close]);
  for (const name of PRICE_FEATURES) {
    const v = input.features[name];
    if (v != null) out.push(v);
  }
  return out.filter((p) => Number.isFinite(p) && p > 0);
}

/** Prompt v1: one system message with the rules, one user message with bars, features and signals. */
export const reviewPromptV1: ReviewPrompt = { version: 'review-v1', system, user, prices };
