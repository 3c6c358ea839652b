import type { SignalTemplate } from '../schema.ts';
import { bollingerSqueeze } from './bollinger_squeeze.ts';
import { breakoutParticipation } from './breakout_participation.ts';
import { deathCross } from './death_cross.ts';
import { goldenCross } from './golden_cross.ts';
import { macdBearishCross } from './macd_bearish_cross.ts';
import { macdBullishCross } from './macd_bullish_cross.ts';
import { new52wHigh } from './new_52w_high.ts';
import { rsiOverbought } from './rsi_overbought.ts';
import { rsiOversold } from './rsi_oversold.ts';
import { stochBullishCross } from './stoch_bullish_cross.ts';
import { strongUptrend } from './strong_uptrend.ts';
import { trendBreakdown } from './trend_breakdown.ts';

/** Every built-in template: a static registry, since bundled functions cannot scan files. */
export const BUILTIN_TEMPLATES: readonly SignalTemplate[] = [
  rsiOversold,
  rsiOverbought,
  trendBreakdown,
  breakoutParticipation,
  goldenCross,
  deathCross,
  macdBullishCross,
  macdBearishCross,
  bollingerSqueeze,
  strongUptrend,
  stochBullishCross,
  new52wHigh,
];
