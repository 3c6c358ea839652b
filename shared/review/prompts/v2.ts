import type { ReviewPrompt } from '../prompt.ts';
import { DEFAULT_MAX_ENTRY_ATR } from '../reviewer.ts';
import type { ReviewInput } from '../types.ts';
import { reviewPromptV1 } from './v1.ts';

// Frozen once shipped, like v1. v2 sends v1's facts (rendered by v1, which never changes), the entry
// limit the grounding check applies, and the asset's data-quality flags on the dates shown.

const MAX_REASON_CHARS = 200;

/** The answer instructions v2's system prompt ends with (v3 repeats them word for word). */
export const ANSWER_INSTRUCTIONS = `Answer with one JSON object matching the schema:
- direction: bullish, bearish or neutral, from the balance of signals and features.
- attention_score 0-100: how much a trader should look at this asset today.
- confidence 0-1: how strongly the data supports the direction; conflicting evidence lowers it.
- setup_type: short snake_case label such as breakout, breakdown, mean_reversion, trend_continuation, range.
- summary: one paragraph citing the specific numbers behind the view.
- levels: support strictly below the last close, resistance strictly above it.
- trade_plan: side long, short or none. For long: stop below the entry zone, targets above it.
  For short: stop above the entry zone, targets below it. The entry zone must lie within the entry
  zone limit given in the user message (a multiple of atr_14) of the last close. Up to 3 targets,
  nearest first. horizon_days in trading days.
  With side none: entry_zone null, stop null, targets empty, horizon_days null.
  invalidation: the price action that proves the idea wrong.
- risks and catalysts: short sentences grounded in the data.
Data-quality flags mark bars that were rejected, flagged as implausible, disputed between providers or
missing. When the view rests on a flagged date, lower the confidence and name the flag under risks.
If the evidence is mixed, say neutral with side none rather than forcing a trade.`;

const system = `You are a disciplined technical analyst reviewing one asset for a daily shortlist.
Use ONLY the numbers in the user message: the recent daily bars, the computed features, the signals
that fired and the data-quality flags. Do not use outside knowledge of the asset, news, fundamentals or
later prices. Every price you give (levels, entry zone, stop, targets) must be derivable from those numbers.

${ANSWER_INSTRUCTIONS}`;

/** The data-quality flag lines v2 ends its user message with (v3 too). */
export function qualityFlagLines(input: ReviewInput): string[] {
  const flags = input.quality ?? [];
  return [
    flags.length > 0 ? 'Data-quality flags on the dates shown:' : 'Data-quality flags: none',
    ...flags.map((f) => `- ${f.date} ${f.kind}: ${f.reason.replace(/\s+/g, ' ').slice(0, MAX_REASON_CHARS)}`),
  ];
}

function user(input: ReviewInput): string {
  return [
    reviewPromptV1.user(input),
    '',
    `Entry zone limit: within ${input.maxEntryAtr ?? DEFAULT_MAX_ENTRY_ATR} ATR (atr_14) of the last close.`,
    '',
    ...qualityFlagLines(input),
  ].join('\n');
}

/** Prompt v2: v1's facts plus the configured entry limit and the data-quality flags. @internal */
export const reviewPromptV2: ReviewPrompt = {
  version: 'review-v2',
  system,
  user,
  prices: reviewPromptV1.prices,
};
