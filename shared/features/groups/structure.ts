import { candleParts, gap } from '../../indicators/candle/index.ts';
import { channelPosition } from '../../indicators/donchian/index.ts';
import { drawdown } from '../../indicators/drawdown/index.ts';
import { max } from '../../indicators/max/index.ts';
import { midpoint } from '../../indicators/midpoint/index.ts';
import { midprice } from '../../indicators/midprice/index.ts';
import { min } from '../../indicators/min/index.ts';
import { streak } from '../../indicators/streak/index.ts';
import { defineGroup, distance, feature, previousBar, ratio } from '../define.ts';

/** Breakout levels, channel position, distance from highs and lows. */
export const structureGroup = defineGroup(
  [
    feature(
      'prior_high_20',
      'price_structure',
      'price',
      20,
      'Highest high of the 20 bars before today; a close above it is a 20-bar breakout.',
    ),
    feature(
      'prior_low_20',
      'price_structure',
      'price',
      20,
      'Lowest low of the 20 bars before today; a close below it is a 20-bar breakdown.',
    ),
    feature(
      'dc_upper_20',
      'price_structure',
      'price',
      19,
      'Upper Donchian channel (20): highest high of the last 20 bars including today.',
    ),
    feature(
      'dc_lower_20',
      'price_structure',
      'price',
      19,
      'Lower Donchian channel (20): lowest low of the last 20 bars including today.',
    ),
    feature(
      'dc_pos_20',
      'price_structure',
      'ratio 0-1',
      19,
      'Position of the close in the 20-bar Donchian channel: 0 at the low, 1 at the high.',
    ),
    feature(
      'dc_upper_55',
      'price_structure',
      'price',
      54,
      "Upper Donchian channel (55): the turtle traders' breakout level.",
    ),
    feature(
      'dc_lower_55',
      'price_structure',
      'price',
      54,
      'Lower Donchian channel (55): lowest low of the last 55 bars.',
    ),
    feature(
      'dc_pos_55',
      'price_structure',
      'ratio 0-1',
      54,
      'Position of the close in the 55-bar Donchian channel: 0 at the low, 1 at the high.',
    ),
    feature(
      'midprice_14',
      'price_structure',
      'price',
      13,
      'Midpoint of the 14-bar range: (highest high + lowest low) / 2 (TA-Lib MIDPRICE).',
    ),
    feature(
      'midpoint_14',
      'price_structure',
      'price',
      13,
      'Midpoint of the closes of the last 14 bars: (highest close + lowest close) / 2 (TA-Lib MIDPOINT).',
    ),
    feature(
      'dist_high_252',
      'price_structure',
      'fraction',
      251,
      'Distance of the close from the 252-bar (about 1 year) high: 0 at the high, negative below it.',
    ),
    feature(
      'dist_low_252',
      'price_structure',
      'fraction',
      251,
      'Distance of the close from the 252-bar (about 1 year) low: 0 at the low, positive above it.',
    ),
    feature(
      'drawdown_ath',
      'price_structure',
      'fraction',
      0,
      'Drawdown from the highest close so far (all stored history): 0 at a new high, negative below.',
    ),
  ],
  (input) => {
    const { close } = input.bars;
    // The Donchian channel's upper and lower lines are MAX(high) and MIN(low); its middle is not a feature.
    // Window extremes are window-local: a daily run computes only its windows (20 + 1: the prior bar's too).
    const extremes = (period: number, lookback = period - 1) =>
      input.windowed(lookback, (s) => ({
        upper: max(input.tail('high', s), period),
        lower: min(input.tail('low', s), period),
      }));
    const dc20 = extremes(20, 20);
    const dc55 = extremes(55);
    const year = extremes(252);
    return {
      prior_high_20: previousBar(dc20.upper),
      prior_low_20: previousBar(dc20.lower),
      dc_upper_20: dc20.upper,
      dc_lower_20: dc20.lower,
      dc_pos_20: channelPosition(close, dc20.upper, dc20.lower),
      dc_upper_55: dc55.upper,
      dc_lower_55: dc55.lower,
      dc_pos_55: channelPosition(close, dc55.upper, dc55.lower),
      midprice_14: input.windowed(13, (s) => midprice(input.tail('high', s), input.tail('low', s), 14)),
      midpoint_14: input.windowed(13, (s) => midpoint(input.tail('close', s), 14)),
      dist_high_252: distance(close, year.upper),
      dist_low_252: distance(close, year.lower),
      drawdown_ath: drawdown(close, input.state),
    };
  },
);

/** The bar itself: gap, body and wicks, range, and runs of up or down closes. */
export const candleGroup = defineGroup(
  [
    feature('gap', 'candle', 'fraction', 1, 'Opening gap: open / previous close - 1.'),
    feature(
      'candle_body',
      'candle',
      'ratio -1-1',
      0,
      "Candle body as a signed share of the bar's range: (close - open) / (high - low); + on up bars.",
    ),
    feature(
      'candle_upper_wick',
      'candle',
      'ratio 0-1',
      0,
      'Upper wick as a share of the range: (high - max(open, close)) / (high - low).',
    ),
    feature(
      'candle_lower_wick',
      'candle',
      'ratio 0-1',
      0,
      'Lower wick as a share of the range: (min(open, close) - low) / (high - low).',
    ),
    feature('range_pct', 'candle', 'fraction', 0, "The bar's high-low range as a fraction of the close."),
    feature(
      'streak',
      'candle',
      'bars',
      1,
      'Consecutive closes up (+n) or down (-n); 0 after an unchanged close.',
    ),
  ],
  (input) => {
    const { open, high, low, close } = input.bars;
    const parts = candleParts(open, high, low, close);
    return {
      gap: gap(open, close),
      candle_body: parts.body,
      candle_upper_wick: parts.upperWick,
      candle_lower_wick: parts.lowerWick,
      range_pct: rangePct(high, low, close),
      streak: streak(close, input.state),
    };
  },
);

function rangePct(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const out = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) out[i] = ratio(high[i]! - low[i]!, close[i]!);
  return out;
}
