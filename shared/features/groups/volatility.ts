import { bbands } from '../../indicators/bbands/index.ts';
import { keltner } from '../../indicators/keltner/index.ts';
import { natrOfAtr } from '../../indicators/natr/index.ts';
import { stddev } from '../../indicators/stddev/index.ts';
import {
  closeLogReturns,
  garmanKlass,
  parkinson,
  realizedVolOfReturns,
} from '../../indicators/volatility/index.ts';
import { zscore } from '../../indicators/zscore/index.ts';
import { defineGroup, feature } from '../define.ts';

// TA-Lib's stddev is sqrt(mean(x²) - mean²) from running sums; on a flat window rounding leaves the bands up
// to ~3e-7 of the price apart instead of 0 (measured after 5,000 bars of SPY). Bands narrower than this
// fraction of the middle band count as collapsed; a one-tick move in 20 bars is still wider.
const COLLAPSED_BAND_WIDTH = 1e-5;

/** Ranges, bands, squeezes and realised-volatility estimators. */
export const volatilityGroup = defineGroup(
  [
    feature(
      'atr_14',
      'volatility',
      'price',
      14,
      'Average true range over 14 bars (Wilder): the typical daily high-low swing, gaps included.',
    ),
    feature(
      'natr_14',
      'volatility',
      'percent',
      14,
      'ATR(14) as a percentage of the close, comparable across assets.',
    ),
    feature(
      'bb_upper_20',
      'volatility',
      'price',
      19,
      'Upper Bollinger band: 20-bar SMA plus 2 standard deviations of the close.',
    ),
    feature('bb_middle_20', 'volatility', 'price', 19, 'Middle Bollinger band: the 20-bar SMA of the close.'),
    feature(
      'bb_lower_20',
      'volatility',
      'price',
      19,
      'Lower Bollinger band: 20-bar SMA minus 2 standard deviations of the close.',
    ),
    feature(
      'bb_pctb_20',
      'volatility',
      'ratio',
      19,
      'Bollinger %B: where the close sits in the bands, 0 at the lower band and 1 at the upper.',
    ),
    feature(
      'bb_width_20',
      'volatility',
      'ratio',
      19,
      'Bollinger band width relative to the middle band; low values flag a volatility squeeze.',
    ),
    feature('kc_upper_20', 'volatility', 'price', 19, 'Upper Keltner channel: 20-bar EMA plus 2 x ATR(10).'),
    feature(
      'kc_middle_20',
      'volatility',
      'price',
      19,
      'Middle Keltner channel: the 20-bar EMA of the close.',
    ),
    feature('kc_lower_20', 'volatility', 'price', 19, 'Lower Keltner channel: 20-bar EMA minus 2 x ATR(10).'),
    feature(
      'squeeze_20',
      'volatility',
      'flag 0/1',
      19,
      'Squeeze: 1 while the Bollinger bands (20, 2) sit inside the Keltner channel (20, 2 ATR), else 0.',
    ),
    feature(
      'vol_10',
      'volatility',
      'fraction',
      10,
      'Annualised volatility from the last 10 daily log returns (sample standard deviation).',
    ),
    feature(
      'vol_20',
      'volatility',
      'fraction',
      20,
      'Annualised volatility: sample standard deviation of the last 20 daily log returns, annualised.',
    ),
    feature(
      'vol_60',
      'volatility',
      'fraction',
      60,
      'Annualised volatility from the last 60 daily log returns (sample standard deviation).',
    ),
    feature(
      'parkinson_20',
      'volatility',
      'fraction',
      19,
      'Parkinson volatility (20 bars, annualised): estimated from the high-low range alone.',
    ),
    feature(
      'garman_klass_20',
      'volatility',
      'fraction',
      19,
      'Garman-Klass volatility (20 bars, annualised): uses open, high, low and close.',
    ),
    feature(
      'stddev_20',
      'volatility',
      'price',
      19,
      'Standard deviation of the close over 20 bars (population, as TA-Lib STDDEV).',
    ),
    feature(
      'zscore_20',
      'volatility',
      'std devs',
      19,
      'Z-score of the close against its 20-bar mean, in standard deviations.',
    ),
  ],
  (input) => {
    const { open, high, low, close } = input.bars;
    const ppy = input.opts.periodsPerYear;
    const st = input.state;
    const bands = bbands(close, 20, 2, st);
    const shape = bollingerShape(close, bands.upper, bands.middle, bands.lower);
    const kc = keltner(high, low, close, 20, 10, 2, st);
    // realizedVol(close, period) for three periods over one pass of log returns.
    const volReturns = closeLogReturns(close);
    return {
      atr_14: input.atr(14),
      natr_14: natrOfAtr(input.atr(14), close, 14),
      bb_upper_20: bands.upper,
      bb_middle_20: bands.middle,
      bb_lower_20: bands.lower,
      bb_pctb_20: shape.pctb,
      bb_width_20: shape.width,
      kc_upper_20: kc.upper,
      kc_middle_20: kc.middle,
      kc_lower_20: kc.lower,
      squeeze_20: squeeze(bands.upper, bands.lower, kc.upper, kc.lower),
      vol_10: realizedVolOfReturns(volReturns, 10, ppy, st),
      vol_20: realizedVolOfReturns(volReturns, 20, ppy, st),
      vol_60: realizedVolOfReturns(volReturns, 60, ppy, st),
      parkinson_20: parkinson(high, low, 20, ppy, st),
      garman_klass_20: garmanKlass(open, high, low, close, 20, ppy, st),
      stddev_20: stddev(close, 20, 1, st),
      zscore_20: zscore(close, 20, st),
    };
  },
);

function bollingerShape(
  close: Float64Array,
  upper: Float64Array,
  middle: Float64Array,
  lower: Float64Array,
): { pctb: Float64Array; width: Float64Array } {
  const n = close.length;
  const pctb = new Float64Array(n);
  const width = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mid = middle[i]!;
    if (Number.isNaN(mid)) {
      pctb[i] = Number.NaN;
      width[i] = Number.NaN;
      continue;
    }
    const span = upper[i]! - lower[i]!;
    if (span > COLLAPSED_BAND_WIDTH * mid) {
      pctb[i] = (close[i]! - lower[i]!) / span;
      width[i] = span / mid;
    } else {
      // Collapsed bands: no position inside them, and no width.
      pctb[i] = Number.NaN;
      width[i] = 0;
    }
  }
  return { pctb, width };
}

/** 1 where the Bollinger bands lie inside the Keltner channel, 0 where not, NaN where either is undefined. */
function squeeze(bbUpper: Float64Array, bbLower: Float64Array, kcUpper: Float64Array, kcLower: Float64Array) {
  const out = new Float64Array(bbUpper.length);
  for (let i = 0; i < out.length; i++) {
    const inside = bbUpper[i]! < kcUpper[i]! && bbLower[i]! > kcLower[i]!;
    // Any NaN makes the sum NaN: undefined, not "no squeeze".
    out[i] = Number.isNaN(bbUpper[i]! + bbLower[i]! + kcUpper[i]! + kcLower[i]!)
      ? Number.NaN
      : inside
        ? 1
        : 0;
  }
  return out;
}
