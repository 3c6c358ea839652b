// The indicators our kernels share with the peers, each called with the same parameters on the same series.
// A case's label is also its name in talib-harness.c, which prints the TA-Lib C timings under it.
import type * as TechnicalIndicators from 'technicalindicators';
import type { BarSeries } from '../../shared/domain/market.ts';
import { adx } from '../../shared/indicators/adx/index.ts';
import { aroon } from '../../shared/indicators/aroon/index.ts';
import { atr } from '../../shared/indicators/atr/index.ts';
import { bbands } from '../../shared/indicators/bbands/index.ts';
import { cci } from '../../shared/indicators/cci/index.ts';
import { ema } from '../../shared/indicators/ema/index.ts';
import { macd } from '../../shared/indicators/macd/index.ts';
import { max } from '../../shared/indicators/max/index.ts';
import { mfi } from '../../shared/indicators/mfi/index.ts';
import { min } from '../../shared/indicators/min/index.ts';
import { natr } from '../../shared/indicators/natr/index.ts';
import { obv } from '../../shared/indicators/obv/index.ts';
import { roc } from '../../shared/indicators/roc/index.ts';
import { rsi } from '../../shared/indicators/rsi/index.ts';
import { sma } from '../../shared/indicators/sma/index.ts';
import { stddev } from '../../shared/indicators/stddev/index.ts';
import { stoch } from '../../shared/indicators/stoch/index.ts';
import { trange } from '../../shared/indicators/trange/index.ts';
import { willr } from '../../shared/indicators/willr/index.ts';
import { wma } from '../../shared/indicators/wma/index.ts';
import type { PlainSeries } from './data.ts';

export type TiLib = typeof TechnicalIndicators;

/** One technicalindicators computation: what is timed, and its outputs for the agreement check. */
export interface TiCall {
  run: (lib: TiLib, p: PlainSeries) => unknown;
  /**
   * Outputs in the same order as ours, each holding the values of the last bars (technicalindicators
   * drops the lookback); undefined for an output it does not compute.
   */
  outputs: (lib: TiLib, p: PlainSeries) => (number[] | undefined)[];
  /** How its definition differs from TA-Lib's, where it does. */
  note?: string;
  /** Largest relative difference that still counts as the same computation (default TI_TOLERANCE). */
  tolerance?: number;
}

/** The talib binding's `execute` parameters, apart from the index range. */
interface TalibCall {
  name: string;
  params: (p: PlainSeries) => Record<string, number[] | number>;
}

export interface IndicatorCase {
  label: string;
  /** Our kernel's outputs, in TA-Lib's output order. */
  ours: (s: BarSeries) => Float64Array[];
  talib: TalibCall;
  ti?: TiCall;
  /** What our kernel computes beyond the peers' function, which its time includes. */
  extra?: string;
}

function tiCall<R>(
  run: (lib: TiLib, p: PlainSeries) => R,
  outputs: (r: R) => (number[] | undefined)[],
  differs: { note?: string; tolerance?: number } = {},
): TiCall {
  return { run, outputs: (lib, p) => outputs(run(lib, p)), ...differs };
}

const single = (r: number[]) => [r];
const orNaN = (v: number | undefined) => v ?? Number.NaN;

export const INDICATOR_CASES: readonly IndicatorCase[] = [
  {
    label: 'SMA(20)',
    ours: (s) => [sma(s.close, 20)],
    talib: { name: 'SMA', params: (p) => ({ inReal: p.close, optInTimePeriod: 20 }) },
    ti: tiCall((lib, p) => lib.SMA.calculate({ period: 20, values: p.close }), single),
  },
  {
    label: 'EMA(20)',
    ours: (s) => [ema(s.close, 20)],
    talib: { name: 'EMA', params: (p) => ({ inReal: p.close, optInTimePeriod: 20 }) },
    ti: tiCall((lib, p) => lib.EMA.calculate({ period: 20, values: p.close }), single),
  },
  {
    label: 'WMA(20)',
    ours: (s) => [wma(s.close, 20)],
    talib: { name: 'WMA', params: (p) => ({ inReal: p.close, optInTimePeriod: 20 }) },
    ti: tiCall((lib, p) => lib.WMA.calculate({ period: 20, values: p.close }), single),
  },
  {
    label: 'RSI(14)',
    ours: (s) => [rsi(s.close, 14)],
    talib: { name: 'RSI', params: (p) => ({ inReal: p.close, optInTimePeriod: 14 }) },
    // Rounded to 2 decimals: up to 0.005 on a 0-100 scale.
    ti: tiCall((lib, p) => lib.RSI.calculate({ period: 14, values: p.close }), single, {
      note: 'rounds to 2 decimals',
      tolerance: 1e-3,
    }),
  },
  {
    label: 'MACD(12,26,9)',
    ours: (s) => {
      const m = macd(s.close, 12, 26, 9);
      return [m.macd, m.signal, m.hist];
    },
    talib: {
      name: 'MACD',
      params: (p) => ({ inReal: p.close, optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 }),
    },
    ti: tiCall(
      (lib, p) =>
        lib.MACD.calculate({
          values: p.close,
          fastPeriod: 12,
          slowPeriod: 26,
          signalPeriod: 9,
          SimpleMAOscillator: false,
          SimpleMASignal: false,
        }),
      (r) => [r.map((x) => orNaN(x.MACD)), r.map((x) => orNaN(x.signal)), r.map((x) => orNaN(x.histogram))],
    ),
  },
  {
    label: 'TRANGE',
    ours: (s) => [trange(s.high, s.low, s.close)],
    talib: { name: 'TRANGE', params: (p) => ({ high: p.high, low: p.low, close: p.close }) },
    ti: tiCall((lib, p) => lib.TrueRange.calculate({ high: p.high, low: p.low, close: p.close }), single),
  },
  {
    label: 'ATR(14)',
    ours: (s) => [atr(s.high, s.low, s.close, 14)],
    talib: {
      name: 'ATR',
      params: (p) => ({ high: p.high, low: p.low, close: p.close, optInTimePeriod: 14 }),
    },
    ti: tiCall(
      (lib, p) => lib.ATR.calculate({ high: p.high, low: p.low, close: p.close, period: 14 }),
      single,
    ),
  },
  {
    label: 'NATR(14)',
    ours: (s) => [natr(s.high, s.low, s.close, 14)],
    talib: {
      name: 'NATR',
      params: (p) => ({ high: p.high, low: p.low, close: p.close, optInTimePeriod: 14 }),
    },
  },
  {
    label: 'BBANDS(20,2)',
    ours: (s) => {
      const b = bbands(s.close, 20, 2);
      return [b.upper, b.middle, b.lower];
    },
    talib: {
      name: 'BBANDS',
      params: (p) => ({
        inReal: p.close,
        optInTimePeriod: 20,
        optInNbDevUp: 2,
        optInNbDevDn: 2,
        optInMAType: 0,
      }),
    },
    ti: tiCall(
      (lib, p) => lib.BollingerBands.calculate({ period: 20, stdDev: 2, values: p.close }),
      (r) => [r.map((x) => x.upper), r.map((x) => x.middle), r.map((x) => x.lower)],
    ),
  },
  {
    label: 'STDDEV(20)',
    ours: (s) => [stddev(s.close, 20)],
    talib: { name: 'STDDEV', params: (p) => ({ inReal: p.close, optInTimePeriod: 20, optInNbDev: 1 }) },
    ti: tiCall((lib, p) => lib.SD.calculate({ period: 20, values: p.close }), single),
  },
  {
    label: 'ADX(14)',
    ours: (s) => [adx(s.high, s.low, s.close, 14).adx],
    talib: {
      name: 'ADX',
      params: (p) => ({ high: p.high, low: p.low, close: p.close, optInTimePeriod: 14 }),
    },
    ti: tiCall(
      (lib, p) => lib.ADX.calculate({ high: p.high, low: p.low, close: p.close, period: 14 }),
      (r) => [r.map((x) => x.adx)],
    ),
    extra: 'ours also returns +DI, -DI and DX',
  },
  {
    label: 'STOCH(14,3,3)',
    ours: (s) => {
      const st = stoch(s.high, s.low, s.close, 14, 3, 3);
      return [st.k, st.d];
    },
    talib: {
      name: 'STOCH',
      params: (p) => ({
        high: p.high,
        low: p.low,
        close: p.close,
        optInFastK_Period: 14,
        optInSlowK_Period: 3,
        optInSlowK_MAType: 0,
        optInSlowD_Period: 3,
        optInSlowD_MAType: 0,
      }),
    },
    // technicalindicators has only the fast stochastic: its %D (SMA 3 of fast %K) is the slow %K.
    ti: tiCall(
      (lib, p) =>
        lib.Stochastic.calculate({ high: p.high, low: p.low, close: p.close, period: 14, signalPeriod: 3 }),
      (r) => [r.map((x) => orNaN(x.d)), undefined],
      { note: 'fast stochastic only: its %D is compared with our slow %K' },
    ),
  },
  {
    label: 'CCI(20)',
    ours: (s) => [cci(s.high, s.low, s.close, 20)],
    talib: {
      name: 'CCI',
      params: (p) => ({ high: p.high, low: p.low, close: p.close, optInTimePeriod: 20 }),
    },
    ti: tiCall(
      (lib, p) => lib.CCI.calculate({ high: p.high, low: p.low, close: p.close, period: 20 }),
      single,
    ),
  },
  {
    label: 'WILLR(14)',
    ours: (s) => [willr(s.high, s.low, s.close, 14)],
    talib: {
      name: 'WILLR',
      params: (p) => ({ high: p.high, low: p.low, close: p.close, optInTimePeriod: 14 }),
    },
    ti: tiCall(
      (lib, p) => lib.WilliamsR.calculate({ high: p.high, low: p.low, close: p.close, period: 14 }),
      single,
    ),
  },
  {
    label: 'MFI(14)',
    ours: (s) => [mfi(s.high, s.low, s.close, s.volume, 14)],
    talib: {
      name: 'MFI',
      params: (p) => ({ high: p.high, low: p.low, close: p.close, volume: p.volume, optInTimePeriod: 14 }),
    },
    ti: tiCall(
      (lib, p) =>
        lib.MFI.calculate({ high: p.high, low: p.low, close: p.close, volume: p.volume, period: 14 }),
      single,
      { note: 'counts an unchanged typical price as negative flow; rounds to 2 decimals' },
    ),
  },
  {
    label: 'ROC(10)',
    ours: (s) => [roc(s.close, 10)],
    talib: { name: 'ROC', params: (p) => ({ inReal: p.close, optInTimePeriod: 10 }) },
    ti: tiCall((lib, p) => lib.ROC.calculate({ period: 10, values: p.close }), single),
  },
  {
    label: 'AROON(25)',
    ours: (s) => {
      const a = aroon(s.high, s.low, 25);
      return [a.down, a.up];
    },
    talib: { name: 'AROON', params: (p) => ({ high: p.high, low: p.low, optInTimePeriod: 25 }) },
  },
  {
    label: 'OBV',
    ours: (s) => [obv(s.close, s.volume)],
    talib: { name: 'OBV', params: (p) => ({ inReal: p.close, volume: p.volume }) },
    ti: tiCall((lib, p) => lib.OBV.calculate({ close: p.close, volume: p.volume }), single, {
      note: "starts from 0, not from the first bar's volume",
    }),
  },
  {
    label: 'MAX(20)',
    ours: (s) => [max(s.high, 20)],
    talib: { name: 'MAX', params: (p) => ({ inReal: p.high, optInTimePeriod: 20 }) },
    ti: tiCall((lib, p) => lib.Highest.calculate({ period: 20, values: p.high }), single),
  },
  {
    label: 'MIN(20)',
    ours: (s) => [min(s.low, 20)],
    talib: { name: 'MIN', params: (p) => ({ inReal: p.low, optInTimePeriod: 20 }) },
    ti: tiCall((lib, p) => lib.Lowest.calculate({ period: 20, values: p.low }), single),
  },
];
