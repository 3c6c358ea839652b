// The feature catalogue: one entry per `daily_features` column, in column order. The migration
// (supabase/migrations/20261122000100_core_schema.sql) and this list must agree; a test holds them together.
import type { FeatureDef } from './types.ts';

const DEFS = [
  {
    name: 'ret_1',
    description: 'Return over the last bar: close / previous close - 1.',
    category: 'returns',
    unit: 'fraction',
    lookback: 1,
  },
  {
    name: 'ret_5',
    description: 'Return over the last 5 bars: close / close 5 bars ago - 1.',
    category: 'returns',
    unit: 'fraction',
    lookback: 5,
  },
  {
    name: 'ret_20',
    description: 'Return over the last 20 bars (about a month of trading days).',
    category: 'returns',
    unit: 'fraction',
    lookback: 20,
  },
  {
    name: 'ret_60',
    description: 'Return over the last 60 bars (about a quarter of trading days).',
    category: 'returns',
    unit: 'fraction',
    lookback: 60,
  },
  {
    name: 'log_ret_1',
    description: 'Log return over the last bar: ln(close / previous close).',
    category: 'returns',
    unit: 'log return',
    lookback: 1,
  },
  {
    name: 'sma_20',
    description: 'Simple moving average of the close over 20 bars.',
    category: 'trend',
    unit: 'price',
    lookback: 19,
  },
  {
    name: 'sma_50',
    description: 'Simple moving average of the close over 50 bars.',
    category: 'trend',
    unit: 'price',
    lookback: 49,
  },
  {
    name: 'sma_200',
    description: 'Simple moving average of the close over 200 bars, the classic long-term trend line.',
    category: 'trend',
    unit: 'price',
    lookback: 199,
  },
  {
    name: 'ema_20',
    description: 'Exponential moving average of the close, 20 bars (TA-Lib, seeded with the 20-bar SMA).',
    category: 'trend',
    unit: 'price',
    lookback: 19,
  },
  {
    name: 'ema_50',
    description: 'Exponential moving average of the close, 50 bars (TA-Lib, seeded with the 50-bar SMA).',
    category: 'trend',
    unit: 'price',
    lookback: 49,
  },
  {
    name: 'ema_200',
    description: 'Exponential moving average of the close, 200 bars (TA-Lib, seeded with the 200-bar SMA).',
    category: 'trend',
    unit: 'price',
    lookback: 199,
  },
  {
    name: 'dist_sma_20',
    description: 'How far the close is above (+) or below (-) its 20-bar SMA: close / sma_20 - 1.',
    category: 'trend',
    unit: 'fraction',
    lookback: 19,
  },
  {
    name: 'dist_sma_50',
    description: 'How far the close is above (+) or below (-) its 50-bar SMA: close / sma_50 - 1.',
    category: 'trend',
    unit: 'fraction',
    lookback: 49,
  },
  {
    name: 'dist_sma_200',
    description: 'How far the close is above (+) or below (-) its 200-bar SMA: close / sma_200 - 1.',
    category: 'trend',
    unit: 'fraction',
    lookback: 199,
  },
  {
    name: 'rsi_14',
    description: "Wilder's 14-bar RSI: above 70 is commonly read as overbought, below 30 as oversold.",
    category: 'momentum',
    unit: 'index 0-100',
    lookback: 14,
  },
  {
    name: 'macd',
    description: 'MACD line: 12-bar EMA minus 26-bar EMA of the close (TA-Lib MACD 12/26/9).',
    category: 'momentum',
    unit: 'price',
    lookback: 33,
  },
  {
    name: 'macd_signal',
    description: 'MACD signal line: 9-bar EMA of the MACD line.',
    category: 'momentum',
    unit: 'price',
    lookback: 33,
  },
  {
    name: 'macd_hist',
    description: 'MACD histogram: MACD line minus signal line; a sign change is a MACD crossover.',
    category: 'momentum',
    unit: 'price',
    lookback: 33,
  },
  {
    name: 'atr_14',
    description: 'Average true range over 14 bars (Wilder): the typical daily high-low swing, gaps included.',
    category: 'volatility',
    unit: 'price',
    lookback: 14,
  },
  {
    name: 'natr_14',
    description: 'ATR(14) as a percentage of the close, comparable across assets.',
    category: 'volatility',
    unit: 'percent',
    lookback: 14,
  },
  {
    name: 'bb_upper_20',
    description: 'Upper Bollinger band: 20-bar SMA plus 2 standard deviations of the close.',
    category: 'volatility',
    unit: 'price',
    lookback: 19,
  },
  {
    name: 'bb_middle_20',
    description: 'Middle Bollinger band: the 20-bar SMA of the close.',
    category: 'volatility',
    unit: 'price',
    lookback: 19,
  },
  {
    name: 'bb_lower_20',
    description: 'Lower Bollinger band: 20-bar SMA minus 2 standard deviations of the close.',
    category: 'volatility',
    unit: 'price',
    lookback: 19,
  },
  {
    name: 'bb_pctb_20',
    description: 'Bollinger %B: where the close sits in the bands, 0 at the lower band and 1 at the upper.',
    category: 'volatility',
    unit: 'ratio',
    lookback: 19,
  },
  {
    name: 'bb_width_20',
    description: 'Bollinger band width relative to the middle band; low values flag a volatility squeeze.',
    category: 'volatility',
    unit: 'ratio',
    lookback: 19,
  },
  {
    name: 'adx_14',
    description:
      'Average directional index over 14 bars: trend strength regardless of direction; above 25 is trending.',
    category: 'trend',
    unit: 'index 0-100',
    lookback: 27,
  },
  {
    name: 'plus_di_14',
    description: 'Plus directional indicator (+DI, 14 bars): strength of upward moves.',
    category: 'trend',
    unit: 'index 0-100',
    lookback: 14,
  },
  {
    name: 'minus_di_14',
    description: 'Minus directional indicator (-DI, 14 bars): strength of downward moves.',
    category: 'trend',
    unit: 'index 0-100',
    lookback: 14,
  },
  {
    name: 'stoch_k_14',
    description:
      'Slow stochastic %K (14, 3, 3): where the close sits in the 14-bar high-low range, smoothed.',
    category: 'momentum',
    unit: 'index 0-100',
    lookback: 17,
  },
  {
    name: 'stoch_d_14',
    description: 'Slow stochastic %D: 3-bar average of %K, its signal line.',
    category: 'momentum',
    unit: 'index 0-100',
    lookback: 17,
  },
  {
    name: 'cci_20',
    description:
      'Commodity channel index over 20 bars: distance of the typical price from its mean, in mean deviations.',
    category: 'momentum',
    unit: 'index',
    lookback: 19,
  },
  {
    name: 'willr_14',
    description: 'Williams %R over 14 bars: 0 at the period high, -100 at the period low.',
    category: 'momentum',
    unit: 'index -100-0',
    lookback: 13,
  },
  {
    name: 'mfi_14',
    description: 'Money flow index over 14 bars: a volume-weighted RSI of the typical price.',
    category: 'volume',
    unit: 'index 0-100',
    lookback: 14,
  },
  {
    name: 'roc_10',
    description: 'Rate of change over 10 bars, in percent.',
    category: 'momentum',
    unit: 'percent',
    lookback: 10,
  },
  {
    name: 'aroon_up_25',
    description: 'Aroon up (25 bars): 100 on the day of a new 25-bar high, falling as that high ages.',
    category: 'trend',
    unit: 'index 0-100',
    lookback: 25,
  },
  {
    name: 'aroon_down_25',
    description: 'Aroon down (25 bars): 100 on the day of a new 25-bar low, falling as that low ages.',
    category: 'trend',
    unit: 'index 0-100',
    lookback: 25,
  },
  {
    name: 'obv',
    description:
      'On-balance volume: running total adding volume on up closes and subtracting it on down closes.',
    category: 'volume',
    unit: 'shares',
    lookback: 0,
  },
  {
    name: 'rvol_20',
    description: "Relative volume: today's volume divided by the average volume of the previous 20 bars.",
    category: 'volume',
    unit: 'ratio',
    lookback: 20,
  },
  {
    name: 'dollar_vol_20',
    description: 'Average traded value (close x volume) over the last 20 bars: a liquidity measure.',
    category: 'volume',
    unit: 'currency',
    lookback: 19,
  },
  {
    name: 'prior_high_20',
    description: 'Highest high of the 20 bars before today; a close above it is a 20-bar breakout.',
    category: 'price_structure',
    unit: 'price',
    lookback: 20,
  },
  {
    name: 'prior_low_20',
    description: 'Lowest low of the 20 bars before today; a close below it is a 20-bar breakdown.',
    category: 'price_structure',
    unit: 'price',
    lookback: 20,
  },
  {
    name: 'dist_high_252',
    description:
      'Distance of the close from the 252-bar (about 1 year) high: 0 at the high, negative below it.',
    category: 'price_structure',
    unit: 'fraction',
    lookback: 251,
  },
  {
    name: 'dist_low_252',
    description:
      'Distance of the close from the 252-bar (about 1 year) low: 0 at the low, positive above it.',
    category: 'price_structure',
    unit: 'fraction',
    lookback: 251,
  },
  {
    name: 'vol_20',
    description:
      'Annualised volatility: sample standard deviation of the last 20 daily log returns, annualised.',
    category: 'volatility',
    unit: 'fraction',
    lookback: 20,
  },
] as const satisfies readonly FeatureDef[];

/** Name of a catalogue feature, which is also its `daily_features` column. */
export type FeatureName = (typeof DEFS)[number]['name'];

/** Every feature, in `daily_features` column order. */
export const FEATURES: readonly FeatureDef[] = DEFS;

/** Feature names in column order, e.g. for building the insert column list. */
export const FEATURE_NAMES: FeatureName[] = DEFS.map((d) => d.name);
