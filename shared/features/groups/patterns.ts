import {
  bearFlag,
  bullFlag,
  doubleTop,
  flagLookback,
  inverseHeadShoulders,
} from '../../indicators/patterns/index.ts';
import { defineGroup, feature } from '../define.ts';

const FLAG_LOOKBACK = flagLookback();

/** Chart patterns: 1 on the bar a pattern completes, 0 otherwise (definitions in indicators/patterns). */
export const patternGroup = defineGroup(
  [
    feature(
      'pattern_double_top',
      'pattern',
      'flag 0/1',
      60,
      'Double top completed today: two highs within 3% and the first close below the low between them (bearish).',
    ),
    feature(
      'pattern_inv_head_shoulders',
      'pattern',
      'flag 0/1',
      90,
      'Inverse head and shoulders completed today: the first close above the neckline after the right shoulder (bullish).',
    ),
    feature(
      'pattern_bull_flag',
      'pattern',
      'flag 0/1',
      FLAG_LOOKBACK,
      'Bull flag breakout today: an 8%+ pole, a 3-15 bar flag drifting down, a close above the flag (bullish).',
    ),
    feature(
      'pattern_bear_flag',
      'pattern',
      'flag 0/1',
      FLAG_LOOKBACK,
      'Bear flag breakdown today: an 8%+ falling pole, a 3-15 bar flag drifting up, a close below the flag (bearish).',
    ),
  ],
  (input) => {
    // Each detector reads only its lookback's bars (window-local): a daily run computes just its windows.
    const run = (
      lookback: number,
      detect: (h: Float64Array, l: Float64Array, c: Float64Array) => Float64Array,
    ) =>
      input.windowed(lookback, (s) =>
        detect(input.tail('high', s), input.tail('low', s), input.tail('close', s)),
      );
    return {
      pattern_double_top: run(60, doubleTop),
      pattern_inv_head_shoulders: run(90, inverseHeadShoulders),
      pattern_bull_flag: run(FLAG_LOOKBACK, bullFlag),
      pattern_bear_flag: run(FLAG_LOOKBACK, bearFlag),
    };
  },
);
