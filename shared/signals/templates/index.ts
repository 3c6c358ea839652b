import type { SignalTemplate } from '../schema.ts';
import { adxTrendStart } from './adx_trend_start.ts';
import { atrExpansion } from './atr_expansion.ts';
import { bbOversoldUptrend } from './bb_oversold_uptrend.ts';
import { bollingerSqueeze } from './bollinger_squeeze.ts';
import { breakoutParticipation } from './breakout_participation.ts';
import { cmfAccumulation } from './cmf_accumulation.ts';
import { deathCross } from './death_cross.ts';
import { goldenCross } from './golden_cross.ts';
import { keltnerSqueeze } from './keltner_squeeze.ts';
import { macdBearishCross } from './macd_bearish_cross.ts';
import { macdBullishCross } from './macd_bullish_cross.ts';
import { momentumLaggard } from './momentum_laggard.ts';
import { momentumLeader } from './momentum_leader.ts';
import { new52wHigh } from './new_52w_high.ts';
import { new52wLow } from './new_52w_low.ts';
import { obvBullishDivergence } from './obv_bullish_divergence.ts';
import { persistentLeader } from './persistent_leader.ts';
import { rocThrust } from './roc_thrust.ts';
import { rsiOverbought } from './rsi_overbought.ts';
import { rsiOversold } from './rsi_oversold.ts';
import { rsi2OverboughtDowntrend } from './rsi2_overbought_downtrend.ts';
import { rsi2OversoldUptrend } from './rsi2_oversold_uptrend.ts';
import { squeezeReleaseUp } from './squeeze_release_up.ts';
import { stochBearishCross } from './stoch_bearish_cross.ts';
import { stochBullishCross } from './stoch_bullish_cross.ts';
import { strongUptrend } from './strong_uptrend.ts';
import { supertrendFlipDown } from './supertrend_flip_down.ts';
import { supertrendFlipUp } from './supertrend_flip_up.ts';
import { sustainedUptrend } from './sustained_uptrend.ts';
import { trendBreakdown } from './trend_breakdown.ts';
import { volumeSurge } from './volume_surge.ts';

/** Every built-in template: a static registry, since bundled functions cannot scan files. */
export const BUILTIN_TEMPLATES: readonly SignalTemplate[] = [
  // The original system's three.
  rsiOversold,
  trendBreakdown,
  breakoutParticipation,
  // Trend.
  goldenCross,
  deathCross,
  strongUptrend,
  sustainedUptrend,
  adxTrendStart,
  supertrendFlipUp,
  supertrendFlipDown,
  // Momentum.
  rsiOverbought,
  macdBullishCross,
  macdBearishCross,
  stochBullishCross,
  stochBearishCross,
  rocThrust,
  // Mean reversion.
  rsi2OversoldUptrend,
  rsi2OverboughtDowntrend,
  bbOversoldUptrend,
  // Volatility squeeze and expansion.
  bollingerSqueeze,
  keltnerSqueeze,
  squeezeReleaseUp,
  atrExpansion,
  // Volume participation.
  volumeSurge,
  cmfAccumulation,
  obvBullishDivergence,
  // 52-week breakouts and breakdowns.
  new52wHigh,
  new52wLow,
  // Relative to the universe.
  momentumLeader,
  momentumLaggard,
  persistentLeader,
];
