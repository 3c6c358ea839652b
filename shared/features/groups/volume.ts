import { ad } from '../../indicators/ad/index.ts';
import { adoscOfAd } from '../../indicators/adosc/index.ts';
import { cmf } from '../../indicators/cmf/index.ts';
import { correl } from '../../indicators/correl/index.ts';
import { linearRegSlope } from '../../indicators/linearreg/index.ts';
import { mfi } from '../../indicators/mfi/index.ts';
import { obv } from '../../indicators/obv/index.ts';
import { nanPrefixArray } from '../../indicators/rolling.ts';
import { sma } from '../../indicators/sma/index.ts';
import { rollingVwap } from '../../indicators/vwap/index.ts';
import { defineGroup, distance, feature, ratio } from '../define.ts';

/** Volume flow, participation and liquidity. */
export const volumeGroup = defineGroup(
  [
    feature(
      'obv',
      'volume',
      'shares',
      0,
      'On-balance volume: running total adding volume on up closes and subtracting it on down closes.',
    ),
    feature(
      'obv_slope_20',
      'volume',
      'shares per bar',
      19,
      'Slope of the 20-bar least-squares line through OBV: is volume flowing in or out.',
    ),
    feature(
      'mfi_14',
      'volume',
      'index 0-100',
      14,
      'Money flow index over 14 bars: a volume-weighted RSI of the typical price.',
    ),
    feature(
      'cmf_20',
      'volume',
      'ratio -1-1',
      19,
      'Chaikin money flow (20 bars): volume-weighted position of closes within their bars.',
    ),
    feature(
      'ad',
      'volume',
      'shares',
      0,
      'Chaikin accumulation/distribution line: running total of money-flow volume.',
    ),
    feature(
      'adosc_3_10',
      'volume',
      'shares',
      9,
      'Chaikin A/D oscillator: 3-bar EMA minus 10-bar EMA of the A/D line.',
    ),
    feature(
      'vwap_20',
      'volume',
      'price',
      19,
      'Rolling 20-bar volume-weighted average of the typical price (high + low + close) / 3.',
    ),
    feature(
      'dist_vwap_20',
      'volume',
      'fraction',
      19,
      'Distance of the close from its 20-bar rolling VWAP: close / vwap_20 - 1.',
    ),
    feature('volume_sma_20', 'volume', 'shares', 19, 'Average volume over the last 20 bars.'),
    feature(
      'corr_close_volume_20',
      'volume',
      'ratio -1-1',
      19,
      'Correlation of close and volume over 20 bars (TA-Lib CORREL): positive when volume grows as price rises.',
    ),
    feature(
      'rvol_20',
      'volume',
      'ratio',
      20,
      "Relative volume: today's volume divided by the average volume of the previous 20 bars.",
    ),
    feature(
      'dollar_vol_20',
      'volume',
      'currency',
      19,
      'Average traded value (close x volume) over the last 20 bars: a liquidity measure.',
    ),
  ],
  (input) => {
    const { high, low, close, volume } = input.bars;
    const st = input.state;
    // The OBV slope's windows read the OBV of the 19 bars before the day: kept in the state.
    const obvLine = input.kept(obv(close, volume, st), 19);
    const adLine = ad(high, low, close, volume, st);
    const vwap = rollingVwap(high, low, close, volume, 20, st);
    return {
      obv: obvLine,
      // Window-local kernels (per-window sums): a daily run computes only its windows.
      obv_slope_20: input.windowed(19, (s) => linearRegSlope(obvLine.subarray(s), 20)),
      mfi_14: mfi(high, low, close, volume, 14, st),
      cmf_20: cmf(high, low, close, volume, 20, st),
      ad: adLine,
      adosc_3_10: adoscOfAd(adLine, 3, 10, st),
      vwap_20: vwap,
      dist_vwap_20: distance(close, vwap),
      volume_sma_20: sma(volume, 20, st),
      corr_close_volume_20: correl(close, volume, 20, st),
      rvol_20: input.windowed(20, (s) => relativeVolume(input.tail('volume', s), 20)),
      dollar_vol_20: input.windowed(19, (s) =>
        dollarVolume(input.tail('close', s), input.tail('volume', s), 20),
      ),
    };
  },
);

/** Today's volume over the mean volume of the `period` bars before today; NaN when that mean is 0. */
function relativeVolume(volume: Float64Array, period: number): Float64Array {
  const out = nanPrefixArray(volume.length, period);
  for (let i = period; i < volume.length; i++) {
    // Summed afresh per bar (period additions): a running sum could leave a residue after zero-volume days.
    let sum = 0;
    for (let j = i - period; j < i; j++) sum += volume[j]!;
    out[i] = sum === 0 ? Number.NaN : ratio(volume[i]!, sum / period);
  }
  return out;
}

/** Mean of close * volume over the last `period` bars including today. */
function dollarVolume(close: Float64Array, volume: Float64Array, period: number): Float64Array {
  const out = nanPrefixArray(close.length, period - 1);
  for (let i = period - 1; i < close.length; i++) {
    let sum = 0;
    for (let j = i - period + 1; j <= i; j++) sum += close[j]! * volume[j]!;
    out[i] = sum / period;
  }
  return out;
}
