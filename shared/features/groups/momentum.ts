import { apoOfAverages } from '../../indicators/apo/index.ts';
import { bop } from '../../indicators/bop/index.ts';
import { cci } from '../../indicators/cci/index.ts';
import { cmo } from '../../indicators/cmo/index.ts';
import { macd } from '../../indicators/macd/index.ts';
import { mom } from '../../indicators/mom/index.ts';
import { ppoOfAverages } from '../../indicators/ppo/index.ts';
import { roc } from '../../indicators/roc/index.ts';
import { rsi } from '../../indicators/rsi/index.ts';
import { stoch } from '../../indicators/stoch/index.ts';
import { stochRsiOfRsi } from '../../indicators/stochrsi/index.ts';
import { ultosc } from '../../indicators/ultosc/index.ts';
import { willr } from '../../indicators/willr/index.ts';
import { defineGroup, feature } from '../define.ts';

/** Oscillators and rates of change. */
export const momentumGroup = defineGroup(
  [
    feature(
      'rsi_2',
      'momentum',
      'index 0-100',
      2,
      "Wilder's 2-bar RSI: a short-term mean-reversion gauge; below 10 is deeply oversold.",
    ),
    feature(
      'rsi_14',
      'momentum',
      'index 0-100',
      14,
      "Wilder's 14-bar RSI: above 70 is commonly read as overbought, below 30 as oversold.",
    ),
    feature(
      'macd',
      'momentum',
      'price',
      33,
      'MACD line: 12-bar EMA minus 26-bar EMA of the close (TA-Lib MACD 12/26/9).',
    ),
    feature('macd_signal', 'momentum', 'price', 33, 'MACD signal line: 9-bar EMA of the MACD line.'),
    feature(
      'macd_hist',
      'momentum',
      'price',
      33,
      'MACD histogram: MACD line minus signal line; a sign change is a MACD crossover.',
    ),
    feature(
      'ppo_12_26',
      'momentum',
      'percent',
      25,
      'Percentage price oscillator: (EMA 12 - EMA 26) / EMA 26 in percent; a MACD comparable across assets.',
    ),
    feature(
      'apo_12_26',
      'momentum',
      'price',
      25,
      'Absolute price oscillator: EMA 12 - EMA 26 of the close in price, each EMA seeded on its own first bars (TA-Lib APO).',
    ),
    feature(
      'stoch_k_14',
      'momentum',
      'index 0-100',
      17,
      'Slow stochastic %K (14, 3, 3): where the close sits in the 14-bar high-low range, smoothed.',
    ),
    feature(
      'stoch_d_14',
      'momentum',
      'index 0-100',
      17,
      'Slow stochastic %D: 3-bar average of %K, its signal line.',
    ),
    feature(
      'stochrsi_k_14',
      'momentum',
      'index 0-100',
      29,
      'Stochastic RSI %K (14, 14, 3): where RSI 14 sits in its own 14-bar range (TA-Lib STOCHRSI).',
    ),
    feature(
      'stochrsi_d_14',
      'momentum',
      'index 0-100',
      29,
      'Stochastic RSI %D: 3-bar average of the stochastic RSI %K.',
    ),
    feature(
      'willr_14',
      'momentum',
      'index -100-0',
      13,
      'Williams %R over 14 bars: 0 at the period high, -100 at the period low.',
    ),
    feature(
      'cci_20',
      'momentum',
      'index',
      19,
      'Commodity channel index over 20 bars: distance of the typical price from its mean, in mean deviations.',
    ),
    feature('roc_10', 'momentum', 'percent', 10, 'Rate of change over 10 bars, in percent.'),
    feature('roc_20', 'momentum', 'percent', 20, 'Rate of change over 20 bars, in percent.'),
    feature('mom_10', 'momentum', 'price', 10, 'Momentum: close minus the close 10 bars ago, in price.'),
    feature(
      'cmo_14',
      'momentum',
      'index -100-100',
      14,
      'Chande momentum oscillator (14): up moves minus down moves over their sum, in percent.',
    ),
    feature(
      'ultosc_7_14_28',
      'momentum',
      'index 0-100',
      28,
      'Ultimate oscillator (7, 14, 28): buying pressure averaged over three horizons.',
    ),
    feature(
      'bop',
      'momentum',
      'ratio -1-1',
      0,
      'Balance of power: (close - open) / (high - low); who controlled the bar.',
    ),
  ],
  (input) => {
    const { open, high, low, close } = input.bars;
    const st = input.state;
    const macdOut = macd(close, 12, 26, 9, st);
    const stochOut = stoch(high, low, close, 14, 3, 3, st);
    const rsi14 = rsi(close, 14, st);
    // STOCHRSI(14, 14, 3) of that same RSI; PPO and APO(12, 26, EMA) of the EMAs the trend group shares.
    const stochRsiOut = stochRsiOfRsi(rsi14, 14, 14, 3, st);
    return {
      rsi_2: rsi(close, 2, st),
      rsi_14: rsi14,
      macd: macdOut.macd,
      macd_signal: macdOut.signal,
      macd_hist: macdOut.hist,
      ppo_12_26: ppoOfAverages(input.ema(12), input.ema(26), 26),
      apo_12_26: apoOfAverages(input.ema(12), input.ema(26), 26),
      stoch_k_14: stochOut.k,
      stoch_d_14: stochOut.d,
      stochrsi_k_14: stochRsiOut.k,
      stochrsi_d_14: stochRsiOut.d,
      willr_14: input.windowed(13, (s) =>
        willr(input.tail('high', s), input.tail('low', s), input.tail('close', s), 14),
      ),
      // CCI's ring is summed in slot order (bar index modulo 20): its windows start at a multiple of 20.
      cci_20: input.windowed(
        19,
        (s) => cci(input.tail('high', s), input.tail('low', s), input.tail('close', s), 20),
        20,
      ),
      roc_10: roc(close, 10),
      roc_20: roc(close, 20),
      mom_10: mom(close, 10),
      cmo_14: cmo(close, 14, st),
      ultosc_7_14_28: ultosc(high, low, close, 7, 14, 28, st),
      bop: bop(open, high, low, close),
    };
  },
);
