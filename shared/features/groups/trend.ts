import { adx } from '../../indicators/adx/index.ts';
import { adxrOfAdx } from '../../indicators/adxr/index.ts';
import { aroonWithOsc } from '../../indicators/aroon/index.ts';
import { demaOfEma } from '../../indicators/dema/index.ts';
import { ichimoku } from '../../indicators/ichimoku/index.ts';
import { kama } from '../../indicators/kama/index.ts';
import { linearReg, linearRegSlope, tsf } from '../../indicators/linearreg/index.ts';
import { linRegR2 } from '../../indicators/linreg-r2/index.ts';
import { minusDm } from '../../indicators/minusdm/index.ts';
import { plusDm } from '../../indicators/plusdm/index.ts';
import { sar } from '../../indicators/sar/index.ts';
import { supertrend } from '../../indicators/supertrend/index.ts';
import { temaOfEma } from '../../indicators/tema/index.ts';
import { trix } from '../../indicators/trix/index.ts';
import { wma } from '../../indicators/wma/index.ts';
import { defineGroup, distance, feature, returns } from '../define.ts';

/** Bars over which the slope of a moving average is measured. */
const SLOPE_BARS = 5;

const sma = <const N extends number>(n: N, extra = '') =>
  feature(
    `sma_${n}` as `sma_${N}`,
    'trend',
    'price',
    n - 1,
    `Simple moving average of the close over ${n} bars${extra}.`,
  );
const ema = <const N extends number>(n: N) =>
  feature(
    `ema_${n}` as `ema_${N}`,
    'trend',
    'price',
    n - 1,
    `Exponential moving average of the close, ${n} bars (TA-Lib, seeded with the ${n}-bar SMA).`,
  );
const wmaDef = <const N extends number>(n: N) =>
  feature(
    `wma_${n}` as `wma_${N}`,
    'trend',
    'price',
    n - 1,
    `Linearly weighted moving average of the close over ${n} bars.`,
  );

/** Moving averages, their distance and slope, directional movement, Aroon, PSAR, SuperTrend, Ichimoku. */
export const trendGroup = defineGroup(
  [
    sma(5),
    sma(10),
    sma(20),
    sma(50),
    sma(100),
    sma(200, ', the classic long-term trend line'),
    ema(5),
    ema(10),
    ema(12),
    ema(20),
    ema(26),
    ema(50),
    ema(100),
    ema(200),
    wmaDef(10),
    wmaDef(20),
    wmaDef(50),
    feature(
      'dema_10',
      'trend',
      'price',
      18,
      'Double exponential moving average of the close, 10 bars (less lag than an EMA).',
    ),
    feature('tema_10', 'trend', 'price', 27, 'Triple exponential moving average of the close, 10 bars.'),
    feature(
      'kama_10',
      'trend',
      'price',
      10,
      "Kaufman's adaptive moving average, 10 bars: fast in trends, slow in noise.",
    ),
    feature(
      'dist_sma_20',
      'trend',
      'fraction',
      19,
      'How far the close is above (+) or below (-) its 20-bar SMA: close / sma_20 - 1.',
    ),
    feature(
      'dist_sma_50',
      'trend',
      'fraction',
      49,
      'How far the close is above (+) or below (-) its 50-bar SMA: close / sma_50 - 1.',
    ),
    feature(
      'dist_sma_200',
      'trend',
      'fraction',
      199,
      'How far the close is above (+) or below (-) its 200-bar SMA: close / sma_200 - 1.',
    ),
    feature(
      'dist_ema_20',
      'trend',
      'fraction',
      19,
      'Distance of the close from its 20-bar EMA: close / ema_20 - 1.',
    ),
    feature(
      'dist_ema_50',
      'trend',
      'fraction',
      49,
      'Distance of the close from its 50-bar EMA: close / ema_50 - 1.',
    ),
    feature(
      'dist_ema_200',
      'trend',
      'fraction',
      199,
      'Distance of the close from its 200-bar EMA: close / ema_200 - 1.',
    ),
    feature(
      'slope_sma_20',
      'trend',
      'fraction',
      19 + SLOPE_BARS,
      'Slope of the 20-bar SMA: its change over the last 5 bars, as a fraction.',
    ),
    feature(
      'slope_sma_50',
      'trend',
      'fraction',
      49 + SLOPE_BARS,
      'Slope of the 50-bar SMA: its change over the last 5 bars, as a fraction.',
    ),
    feature(
      'slope_sma_200',
      'trend',
      'fraction',
      199 + SLOPE_BARS,
      'Slope of the 200-bar SMA: its change over the last 5 bars, as a fraction.',
    ),
    feature(
      'adx_14',
      'trend',
      'index 0-100',
      27,
      'Average directional index over 14 bars: trend strength regardless of direction; above 25 is trending.',
    ),
    feature(
      'adxr_14',
      'trend',
      'index 0-100',
      40,
      "ADX rating: average of today's ADX(14) and the ADX 13 bars ago; a steadier trend-strength reading.",
    ),
    feature(
      'dx_14',
      'trend',
      'index 0-100',
      14,
      'Directional movement index (14 bars): the unsmoothed spread between +DI and -DI.',
    ),
    feature(
      'plus_di_14',
      'trend',
      'index 0-100',
      14,
      'Plus directional indicator (+DI, 14 bars): strength of upward moves.',
    ),
    feature(
      'minus_di_14',
      'trend',
      'index 0-100',
      14,
      'Minus directional indicator (-DI, 14 bars): strength of downward moves.',
    ),
    feature(
      'plus_dm_14',
      'trend',
      'price',
      13,
      'Plus directional movement (+DM, 14 bars, Wilder-smoothed): the upward range extension behind +DI, in price.',
    ),
    feature(
      'minus_dm_14',
      'trend',
      'price',
      13,
      'Minus directional movement (-DM, 14 bars, Wilder-smoothed): the downward range extension behind -DI, in price.',
    ),
    feature(
      'aroon_up_25',
      'trend',
      'index 0-100',
      25,
      'Aroon up (25 bars): 100 on the day of a new 25-bar high, falling as that high ages.',
    ),
    feature(
      'aroon_down_25',
      'trend',
      'index 0-100',
      25,
      'Aroon down (25 bars): 100 on the day of a new 25-bar low, falling as that low ages.',
    ),
    feature(
      'aroon_osc_25',
      'trend',
      'index -100-100',
      25,
      'Aroon oscillator (25 bars): Aroon up minus Aroon down; positive in uptrends.',
    ),
    feature(
      'psar',
      'trend',
      'price',
      1,
      'Parabolic SAR (0.02, 0.2): trailing stop level; below the price in uptrends, above in downtrends.',
    ),
    feature(
      'psar_dist',
      'trend',
      'fraction',
      1,
      'Distance of the close from the parabolic SAR: positive when the SAR is below (uptrend).',
    ),
    feature(
      'supertrend_10',
      'trend',
      'price',
      10,
      'SuperTrend (10-bar ATR, multiplier 3): trailing band below the price in uptrends, above in downtrends.',
    ),
    feature(
      'supertrend_dir_10',
      'trend',
      'direction +1/-1',
      10,
      'SuperTrend direction: +1 while the close holds above the band, -1 after it breaks below.',
    ),
    feature(
      'ichimoku_tenkan',
      'trend',
      'price',
      8,
      'Ichimoku conversion line (tenkan-sen): midpoint of the 9-bar high-low range.',
    ),
    feature(
      'ichimoku_kijun',
      'trend',
      'price',
      25,
      'Ichimoku base line (kijun-sen): midpoint of the 26-bar high-low range.',
    ),
    feature(
      'ichimoku_span_a',
      'trend',
      'price',
      25,
      'Ichimoku leading span A as computed today (plotted 26 bars ahead): (tenkan + kijun) / 2.',
    ),
    feature(
      'ichimoku_span_b',
      'trend',
      'price',
      51,
      'Ichimoku leading span B as computed today (plotted 26 bars ahead): midpoint of the 52-bar range.',
    ),
    feature(
      'linreg_slope_20',
      'trend',
      'price per bar',
      19,
      'Slope of the 20-bar least-squares line through the closes, in price per bar.',
    ),
    feature(
      'linearreg_14',
      'trend',
      'price',
      13,
      "End point of the 14-bar least-squares line through the closes: today's fitted price, less noisy than the close.",
    ),
    feature(
      'tsf_14',
      'trend',
      'price',
      13,
      'Time series forecast (14 bars): the least-squares line through the closes extended one bar ahead.',
    ),
    feature(
      'linreg_r2_20',
      'trend',
      'ratio 0-1',
      19,
      'R-squared of the 20-bar least-squares line: 1 is a perfectly straight trend, 0 no trend.',
    ),
    feature(
      'trix_15',
      'trend',
      'percent',
      43,
      'TRIX (15): 1-bar rate of change of a triple-smoothed EMA, in percent; filters out small moves.',
    ),
  ],
  (input) => {
    const { high, low, close } = input.bars;
    // Recursive kernels take the state (input.state): a daily run resumes them from the previous day's.
    const st = input.state;
    const dmi = adx(high, low, close, 14, st);
    // Aroon, Ichimoku and the least-squares fits are window-local: a daily run computes only its windows.
    const aroonOut = input.windowed(25, (s) => aroonWithOsc(input.tail('high', s), input.tail('low', s), 25));
    const psar = sar(high, low, 0.02, 0.2, st);
    const trend = supertrend(high, low, close, 10, 3, st);
    const ichi = input.windowed(51, (s) => ichimoku(input.tail('high', s), input.tail('low', s), 9, 26, 52));
    return {
      sma_5: input.sma(5),
      sma_10: input.sma(10),
      sma_20: input.sma(20),
      sma_50: input.sma(50),
      sma_100: input.sma(100),
      sma_200: input.sma(200),
      ema_5: input.ema(5),
      ema_10: input.ema(10),
      ema_12: input.ema(12),
      ema_20: input.ema(20),
      ema_26: input.ema(26),
      ema_50: input.ema(50),
      ema_100: input.ema(100),
      ema_200: input.ema(200),
      wma_10: wma(close, 10, st),
      wma_20: wma(close, 20, st),
      wma_50: wma(close, 50, st),
      dema_10: demaOfEma(input.ema(10), 10, st),
      tema_10: temaOfEma(input.ema(10), 10, st),
      kama_10: kama(close, 10, st),
      dist_sma_20: distance(close, input.sma(20)),
      dist_sma_50: distance(close, input.sma(50)),
      dist_sma_200: distance(close, input.sma(200)),
      dist_ema_20: distance(close, input.ema(20)),
      dist_ema_50: distance(close, input.ema(50)),
      dist_ema_200: distance(close, input.ema(200)),
      slope_sma_20: returns(input.kept(input.sma(20), SLOPE_BARS), SLOPE_BARS),
      slope_sma_50: returns(input.kept(input.sma(50), SLOPE_BARS), SLOPE_BARS),
      slope_sma_200: returns(input.kept(input.sma(200), SLOPE_BARS), SLOPE_BARS),
      adx_14: dmi.adx,
      adxr_14: adxrOfAdx(dmi.adx, 14, st),
      dx_14: dmi.dx,
      plus_di_14: dmi.plusDi,
      minus_di_14: dmi.minusDi,
      plus_dm_14: plusDm(high, low, 14, st),
      minus_dm_14: minusDm(high, low, 14, st),
      aroon_up_25: aroonOut.up,
      aroon_down_25: aroonOut.down,
      aroon_osc_25: aroonOut.osc,
      psar,
      psar_dist: distance(close, psar),
      supertrend_10: trend.line,
      supertrend_dir_10: trend.direction,
      ichimoku_tenkan: ichi.tenkan,
      ichimoku_kijun: ichi.kijun,
      ichimoku_span_a: ichi.spanA,
      ichimoku_span_b: ichi.spanB,
      linreg_slope_20: input.windowed(19, (s) => linearRegSlope(input.tail('close', s), 20)),
      linearreg_14: input.windowed(13, (s) => linearReg(input.tail('close', s), 14)),
      tsf_14: input.windowed(13, (s) => tsf(input.tail('close', s), 14)),
      linreg_r2_20: input.windowed(19, (s) => linRegR2(input.tail('close', s), 20)),
      trix_15: trix(close, 15, st),
    };
  },
);
