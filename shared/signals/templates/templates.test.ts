import { describe, expect, it } from 'vitest';
import { type EvalRow, type Evidence, evaluateTemplate } from '../evaluate.ts';
import { templateLookback } from '../inputs.ts';
import { parseTemplate } from '../schema.ts';
import { BUILTIN_TEMPLATES } from './index.ts';

/** An asset's rows, oldest first, today last; ranks (if any) aligned with them. */
interface Case {
  history: EvalRow[];
  ranks?: Record<string, (number | null)[]>;
}

/** `n` copies of a row: days whose exact values do not matter beyond holding a condition. */
const repeat = (n: number, row: EvalRow): EvalRow[] => Array.from({ length: n }, () => row);

/** The last `n` rows of a case, ranks cut to match. */
function last(c: Case, n: number): Case {
  const ranks = Object.fromEntries(Object.entries(c.ranks ?? {}).map(([k, v]) => [k, v.slice(-n)]));
  return { history: c.history.slice(-n), ranks };
}

/**
 * Hand-checked cases, one entry per built-in template: a history where it fires (with the strength
 * worked out by hand from its terms and the evidence it must record) and a near miss where it must not.
 */
const CASES: Record<string, { fires: Case & { strength: number; evidence: Evidence }; nearMiss: Case }> = {
  rsi_oversold: {
    // 50 + 50 * (22 - 30) / (10 - 30) = 50 + 20
    fires: {
      history: [{ rsi_14: 22, close: 95.5, stoch_k_14: 12, dist_sma_200: -0.08 }],
      strength: 70,
      evidence: { rsi_14: 22, close: 95.5, stoch_k_14: 12, dist_sma_200: -0.08 },
    },
    nearMiss: { history: [{ rsi_14: 30, close: 95.5 }] },
  },
  rsi_overbought: {
    // 50 + 50 * (78 - 70) / (90 - 70) = 50 + 20
    fires: {
      history: [{ rsi_14: 78, close: 130, stoch_k_14: 91, dist_sma_200: 0.22 }],
      strength: 70,
      evidence: { rsi_14: 78, close: 130, stoch_k_14: 91, dist_sma_200: 0.22 },
    },
    nearMiss: { history: [{ rsi_14: 70, close: 130 }] },
  },
  trend_breakdown: {
    // close 101 -> 98 through sma_50 100 -> 99.5, below sma_200; 50 + 30 * 0.6 / 1.5 + 20 * 0.05 / 0.1 = 50 + 12 + 10
    fires: {
      history: [
        { close: 101, sma_50: 100, sma_200: 103.2 },
        {
          close: 98,
          sma_50: 99.5,
          sma_200: 103.16,
          dist_sma_50: -0.0151,
          dist_sma_200: -0.05,
          rvol_20: 1.6,
        },
      ],
      strength: 72,
      evidence: { close: 98, sma_50: 99.5, sma_200: 103.16, dist_sma_50: -0.0151, rvol_20: 1.6 },
    },
    // the same cross, but in an uptrend: sma_50 above sma_200 and close above sma_200
    nearMiss: {
      history: [
        { close: 101, sma_50: 100, sma_200: 96.9 },
        { close: 98, sma_50: 99.5, sma_200: 97, dist_sma_200: 0.0103, rvol_20: 1.6 },
      ],
    },
  },
  breakout_participation: {
    // 40 + 40 * (2.1 - 1.5) / 1.5 + 20 * (-0.05 + 0.2) / 0.2 = 40 + 16 + 15
    fires: {
      history: [{ close: 105, prior_high_20: 103, rvol_20: 2.1, volume: 2_100_000, dist_high_252: -0.05 }],
      strength: 71,
      evidence: { close: 105, prior_high_20: 103, rvol_20: 2.1, volume: 2_100_000, dist_high_252: -0.05 },
    },
    // the breakout happens on volume just short of 1.5x average
    nearMiss: {
      history: [{ close: 105, prior_high_20: 103, rvol_20: 1.49, volume: 1_490_000, dist_high_252: -0.05 }],
    },
  },
  golden_cross: {
    // sma_50 99.8 -> 100.1 through sma_200 100; 60 + 20 * 0.04 / 0.1 + 20 * (20 - 15) / 20 = 60 + 8 + 5
    fires: {
      history: [
        { sma_50: 99.8, sma_200: 100 },
        { sma_50: 100.1, sma_200: 100, close: 104, dist_sma_200: 0.04, adx_14: 20 },
      ],
      strength: 73,
      evidence: { sma_50: 100.1, sma_200: 100, close: 104, dist_sma_200: 0.04, adx_14: 20 },
    },
    // sma_50 was already above sma_200 yesterday
    nearMiss: {
      history: [
        { sma_50: 100.05, sma_200: 100 },
        { sma_50: 100.1, sma_200: 100, close: 104, dist_sma_200: 0.04, adx_14: 20 },
      ],
    },
  },
  death_cross: {
    // sma_50 100.2 -> 99.9 through sma_200 100; 60 + 20 * 0.07 / 0.1 + 20 * (30 - 15) / 20 = 60 + 14 + 15
    fires: {
      history: [
        { sma_50: 100.2, sma_200: 100 },
        { sma_50: 99.9, sma_200: 100, close: 93, dist_sma_200: -0.07, adx_14: 30 },
      ],
      strength: 89,
      evidence: { sma_50: 99.9, sma_200: 100, close: 93, dist_sma_200: -0.07, adx_14: 30 },
    },
    // sma_50 only touches sma_200
    nearMiss: {
      history: [
        { sma_50: 100.2, sma_200: 100 },
        { sma_50: 100, sma_200: 100, close: 93, dist_sma_200: -0.07, adx_14: 30 },
      ],
    },
  },
  macd_bullish_cross: {
    // macd -0.5 -> -0.1 through signal -0.3 -> -0.2; 50 + 25 * 0.3 + 25 * (52 - 45) / 20 = 50 + 7.5 + 8.75
    fires: {
      history: [
        { macd: -0.5, macd_signal: -0.3 },
        { macd: -0.1, macd_signal: -0.2, macd_hist: 0.1, rsi_14: 52, rvol_20: 1.3, close: 50 },
      ],
      strength: 66.25,
      evidence: { macd: -0.1, macd_signal: -0.2, macd_hist: 0.1, rsi_14: 52, rvol_20: 1.3, close: 50 },
    },
    // macd rises to meet its signal line but does not cross it
    nearMiss: {
      history: [
        { macd: -0.5, macd_signal: -0.3 },
        { macd: -0.2, macd_signal: -0.2, macd_hist: 0, rsi_14: 52, rvol_20: 1.3, close: 50 },
      ],
    },
  },
  macd_bearish_cross: {
    // macd 0.4 -> 0.2 through signal 0.3 -> 0.25; 50 + 25 * 0.8 + 25 * (47 - 55) / (35 - 55) = 50 + 20 + 10
    fires: {
      history: [
        { macd: 0.4, macd_signal: 0.3 },
        { macd: 0.2, macd_signal: 0.25, macd_hist: -0.05, rsi_14: 47, rvol_20: 1.8, close: 50 },
      ],
      strength: 80,
      evidence: { macd: 0.2, macd_signal: 0.25, macd_hist: -0.05, rsi_14: 47, rvol_20: 1.8, close: 50 },
    },
    // macd was already below its signal line yesterday
    nearMiss: {
      history: [
        { macd: 0.28, macd_signal: 0.3 },
        { macd: 0.2, macd_signal: 0.25, macd_hist: -0.05, rsi_14: 47, rvol_20: 1.8, close: 50 },
      ],
    },
  },
  bollinger_squeeze: {
    // 50 + 30 * (0.045 - 0.06) / (0.03 - 0.06) + 20 * (16 - 20) / (10 - 20) = 50 + 15 + 8
    fires: {
      history: [
        {
          bb_width_20: 0.045,
          adx_14: 16,
          bb_upper_20: 102.25,
          bb_lower_20: 97.75,
          close: 100.5,
          natr_14: 1.8,
        },
      ],
      strength: 73,
      evidence: {
        bb_width_20: 0.045,
        adx_14: 16,
        bb_upper_20: 102.25,
        bb_lower_20: 97.75,
        close: 100.5,
        natr_14: 1.8,
      },
    },
    // bands are tight but the market is trending
    nearMiss: { history: [{ bb_width_20: 0.045, adx_14: 21, close: 100.5 }] },
  },
  strong_uptrend: {
    // 50 + 30 * (35 - 25) / 25 + 20 * 0.15 / 0.3 = 50 + 12 + 10
    fires: {
      history: [
        {
          adx_14: 35,
          plus_di_14: 30,
          minus_di_14: 12,
          close: 120,
          sma_50: 110,
          sma_200: 100,
          ret_60: 0.15,
        },
      ],
      strength: 72,
      evidence: {
        adx_14: 35,
        plus_di_14: 30,
        minus_di_14: 12,
        close: 120,
        sma_50: 110,
        sma_200: 100,
        ret_60: 0.15,
      },
    },
    // everything holds except the close, which slipped under sma_50
    nearMiss: {
      history: [
        {
          adx_14: 35,
          plus_di_14: 30,
          minus_di_14: 12,
          close: 109,
          sma_50: 110,
          sma_200: 100,
          ret_60: 0.15,
        },
      ],
    },
  },
  stoch_bullish_cross: {
    // %K 8 -> 16 through %D 11; 50 + 30 * (11 - 20) / (5 - 20) + 20 * (31 - 40) / (25 - 40) = 50 + 18 + 12
    fires: {
      history: [
        { stoch_k_14: 8, stoch_d_14: 11 },
        { stoch_k_14: 16, stoch_d_14: 11, rsi_14: 31, close: 40 },
      ],
      strength: 80,
      evidence: { stoch_k_14: 16, stoch_d_14: 11, rsi_14: 31, close: 40 },
    },
    // the same cross just above the oversold zone
    nearMiss: {
      history: [
        { stoch_k_14: 18, stoch_d_14: 23 },
        { stoch_k_14: 26, stoch_d_14: 22, rsi_14: 38, close: 40 },
      ],
    },
  },
  new_52w_high: {
    // 50 + 30 * (1.5 - 1) / 2 + 20 * 0.08 / 0.2 = 50 + 7.5 + 8
    fires: {
      history: [{ close: 250, dist_high_252: 0, rvol_20: 1.5, ret_20: 0.08 }],
      strength: 65.5,
      evidence: { close: 250, dist_high_252: 0, rvol_20: 1.5, ret_20: 0.08 },
    },
    // closes 0.2% under the high
    nearMiss: { history: [{ close: 249.5, dist_high_252: -0.002, rvol_20: 1.5, ret_20: 0.08 }] },
  },
  supertrend_flip_up: {
    // direction -1 -> +1; 50 + 25 * (23 - 15) / 20 + 25 * (1.6 - 1) / 1 = 50 + 10 + 15
    fires: {
      history: [
        { supertrend_dir_10: -1 },
        { close: 52, supertrend_10: 48.5, supertrend_dir_10: 1, adx_14: 23, rvol_20: 1.6 },
      ],
      strength: 75,
      evidence: { close: 52, supertrend_10: 48.5, supertrend_dir_10: 1, adx_14: 23, rvol_20: 1.6 },
    },
    // already up yesterday: no flip
    nearMiss: {
      history: [
        { supertrend_dir_10: 1 },
        { close: 52, supertrend_10: 48.5, supertrend_dir_10: 1, adx_14: 23, rvol_20: 1.6 },
      ],
    },
  },
  supertrend_flip_down: {
    // direction +1 -> -1; 50 + 25 * (27 - 15) / 20 + 25 * (1.2 - 1) / 1 = 50 + 15 + 5
    fires: {
      history: [
        { supertrend_dir_10: 1 },
        { close: 47, supertrend_10: 50.2, supertrend_dir_10: -1, adx_14: 27, rvol_20: 1.2 },
      ],
      strength: 70,
      evidence: { close: 47, supertrend_10: 50.2, supertrend_dir_10: -1, adx_14: 27, rvol_20: 1.2 },
    },
    // the series' first day with a direction: nothing to flip from
    nearMiss: {
      history: [
        { supertrend_dir_10: null },
        { close: 47, supertrend_10: 50.2, supertrend_dir_10: -1, adx_14: 27, rvol_20: 1.2 },
      ],
    },
  },
  adx_trend_start: {
    // ADX 18 -> 26.2 over 5 days (+8.2), 24 -> 26.2 through 25, +DI 28 > -DI 14;
    // 50 + 30 * (35 - 20) / 30 + 20 * 0.05 / 0.1 = 50 + 15 + 10
    fires: {
      history: [
        { adx_14: 18 },
        { adx_14: 19 },
        { adx_14: 20.5 },
        { adx_14: 22 },
        { adx_14: 24 },
        { adx_14: 26.2, plus_di_14: 28, minus_di_14: 14, dx_14: 35, ret_20: 0.05, close: 61 },
      ],
      strength: 75,
      evidence: { adx_14: 26.2, plus_di_14: 28, minus_di_14: 14, dx_14: 35, close: 61 },
    },
    // the same cross after a slow drift: ADX only 3.5 points higher than 5 days ago
    nearMiss: {
      history: [
        { adx_14: 22 },
        { adx_14: 23 },
        { adx_14: 23.5 },
        { adx_14: 24 },
        { adx_14: 24.5 },
        { adx_14: 25.5, plus_di_14: 28, minus_di_14: 14, dx_14: 35, ret_20: 0.05, close: 61 },
      ],
    },
  },
  sustained_uptrend: {
    // close > sma_50 > sma_200 for 20 days after a day that broke it;
    // 50 + 25 * 0.015 / 0.03 + 25 * 0.1 / 0.2 = 50 + 12.5 + 12.5
    fires: {
      history: [
        { close: 104, sma_50: 105, sma_200: 100 },
        ...repeat(19, { close: 110, sma_50: 105, sma_200: 100 }),
        { close: 110, sma_50: 105, sma_200: 100, slope_sma_50: 0.015, dist_sma_200: 0.1 },
      ],
      strength: 75,
      evidence: { close: 110, sma_50: 105, sma_200: 100, slope_sma_50: 0.015, dist_sma_200: 0.1 },
    },
    // the 21st day in a row: it fired the day before
    nearMiss: {
      history: [
        ...repeat(20, { close: 110, sma_50: 105, sma_200: 100 }),
        { close: 110, sma_50: 105, sma_200: 100, slope_sma_50: 0.015, dist_sma_200: 0.1 },
      ],
    },
  },
  rsi2_oversold_uptrend: {
    // 50 + 30 * (4 - 10) / (0 - 10) + 20 * 0.05 / 0.1 = 50 + 18 + 10
    fires: {
      history: [{ rsi_2: 4, close: 105, sma_200: 100, dist_sma_200: 0.05 }],
      strength: 78,
      evidence: { rsi_2: 4, close: 105, sma_200: 100, dist_sma_200: 0.05 },
    },
    // as oversold, but under the 200-day: a falling knife, not a pullback
    nearMiss: { history: [{ rsi_2: 4, close: 98, sma_200: 100, dist_sma_200: -0.02 }] },
  },
  rsi2_overbought_downtrend: {
    // 50 + 30 * (96 - 90) / 10 + 20 * -0.1 / -0.1 = 50 + 18 + 20
    fires: {
      history: [{ rsi_2: 96, close: 90, sma_200: 100, dist_sma_200: -0.1 }],
      strength: 88,
      evidence: { rsi_2: 96, close: 90, sma_200: 100, dist_sma_200: -0.1 },
    },
    // RSI(2) exactly 90 is not above 90
    nearMiss: { history: [{ rsi_2: 90, close: 90, sma_200: 100, dist_sma_200: -0.1 }] },
  },
  stoch_bearish_cross: {
    // %K 92 -> 84 through %D 88 -> 89; 50 + 30 * (89 - 80) / 15 + 20 * (69 - 60) / 15 = 50 + 18 + 12
    fires: {
      history: [
        { stoch_k_14: 92, stoch_d_14: 88 },
        { stoch_k_14: 84, stoch_d_14: 89, rsi_14: 69, close: 40 },
      ],
      strength: 80,
      evidence: { stoch_k_14: 84, stoch_d_14: 89, rsi_14: 69, close: 40 },
    },
    // the same cross just below the overbought zone
    nearMiss: {
      history: [
        { stoch_k_14: 85, stoch_d_14: 79 },
        { stoch_k_14: 76, stoch_d_14: 78, rsi_14: 62, close: 40 },
      ],
    },
  },
  roc_thrust: {
    // ROC 8 -> 12 through 10, close above sma_50; 50 + 25 * 2 / 10 + 25 * 0.5 = 50 + 5 + 12.5
    fires: {
      history: [{ roc_10: 8 }, { roc_10: 12, close: 110, sma_50: 100, rvol_20: 1.5 }],
      strength: 67.5,
      evidence: { roc_10: 12, close: 110, sma_50: 100, rvol_20: 1.5 },
    },
    // ROC was already above 10 yesterday
    nearMiss: { history: [{ roc_10: 10.5 }, { roc_10: 12, close: 110, sma_50: 100, rvol_20: 1.5 }] },
  },
  bb_oversold_uptrend: {
    // 50 + 25 * -0.12 / -0.3 + 25 * (31 - 40) / (25 - 40) = 50 + 10 + 15
    fires: {
      history: [
        { close: 101, bb_lower_20: 102.5, bb_pctb_20: -0.12, zscore_20: -2.5, sma_200: 95, rsi_14: 31 },
      ],
      strength: 75,
      evidence: {
        close: 101,
        bb_lower_20: 102.5,
        bb_pctb_20: -0.12,
        zscore_20: -2.5,
        sma_200: 95,
        rsi_14: 31,
      },
    },
    // close just inside the lower band
    nearMiss: {
      history: [
        { close: 103, bb_lower_20: 102.5, bb_pctb_20: 0.02, zscore_20: -1.9, sma_200: 95, rsi_14: 35 },
      ],
    },
  },
  keltner_squeeze: {
    // squeeze on for 6 days after a day without; 50 + 30 * (0.05 - 0.08) / (0.03 - 0.08) + 20 * (15 - 20) / (10 - 20) = 50 + 18 + 10
    fires: {
      history: [
        { squeeze_20: 0 },
        ...repeat(5, { squeeze_20: 1 }),
        { squeeze_20: 1, bb_width_20: 0.05, kc_upper_20: 104, kc_lower_20: 96, adx_14: 15, close: 100 },
      ],
      strength: 78,
      evidence: {
        squeeze_20: 1,
        bb_width_20: 0.05,
        kc_upper_20: 104,
        kc_lower_20: 96,
        adx_14: 15,
        close: 100,
      },
    },
    // on for 5 days only
    nearMiss: {
      history: [
        { squeeze_20: 1 },
        { squeeze_20: 0 },
        ...repeat(4, { squeeze_20: 1 }),
        { squeeze_20: 1, bb_width_20: 0.05, kc_upper_20: 104, kc_lower_20: 96, adx_14: 15, close: 100 },
      ],
    },
  },
  squeeze_release_up: {
    // squeeze 1 -> 0 with momentum up; 50 + 25 * 0.4 + 25 * 0.03 / 0.05 = 50 + 10 + 15
    fires: {
      history: [
        { squeeze_20: 1 },
        {
          squeeze_20: 0,
          mom_10: 2.5,
          close: 104,
          kc_middle_20: 101,
          bb_width_20: 0.07,
          rvol_20: 1.4,
          ret_5: 0.03,
        },
      ],
      strength: 75,
      evidence: { close: 104, kc_middle_20: 101, mom_10: 2.5, bb_width_20: 0.07, rvol_20: 1.4 },
    },
    // the squeeze releases to the downside
    nearMiss: {
      history: [
        { squeeze_20: 1 },
        { squeeze_20: 0, mom_10: -1.5, close: 99, kc_middle_20: 101, bb_width_20: 0.07, rvol_20: 1.4 },
      ],
    },
  },
  atr_expansion: {
    // ATR 2.0 -> 2.7 over 10 days (+35%), range 5% of the close >= 1.5 x 3%;
    // 50 + 25 * (2 - 1) / 2 + 25 * (3 - 2) / 4 = 50 + 12.5 + 6.25
    fires: {
      history: [
        { atr_14: 2 },
        ...repeat(9, {}),
        { atr_14: 2.7, natr_14: 3, range_pct: 0.05, rvol_20: 2, close: 90 },
      ],
      strength: 68.75,
      evidence: { atr_14: 2.7, natr_14: 3, range_pct: 0.05, rvol_20: 2, close: 90 },
    },
    // a wide day, but the ATR is only 25% higher than 10 days ago
    nearMiss: {
      history: [{ atr_14: 2 }, ...repeat(9, {}), { atr_14: 2.5, natr_14: 3, range_pct: 0.05, rvol_20: 2 }],
    },
  },
  obv_bullish_divergence: {
    // close 100 -> 92 (-8%) while OBV 1.0M -> 1.2M over 20 days; 50 + 30 * 0.1 / 0.2 + 20 * (38 - 50) / (30 - 50) = 50 + 15 + 12
    fires: {
      history: [
        { close: 100, obv: 1_000_000 },
        ...repeat(19, {}),
        { close: 92, obv: 1_200_000, obv_slope_20: 8_000, cmf_20: 0.1, rsi_14: 38 },
      ],
      strength: 77,
      evidence: { close: 92, obv: 1_200_000, obv_slope_20: 8_000, cmf_20: 0.1, rsi_14: 38 },
    },
    // OBV fell with the price: no divergence
    nearMiss: {
      history: [
        { close: 100, obv: 1_000_000 },
        ...repeat(19, {}),
        { close: 92, obv: 950_000, cmf_20: 0.1, rsi_14: 38 },
      ],
    },
  },
  cmf_accumulation: {
    // CMF above 0.1 for 5 days after a day at 0.05; 50 + 30 * (0.2 - 0.1) / 0.2 + 20 * 0.5 = 50 + 15 + 10
    fires: {
      history: [
        { cmf_20: 0.05 },
        { cmf_20: 0.12 },
        { cmf_20: 0.15 },
        { cmf_20: 0.14 },
        { cmf_20: 0.18 },
        { cmf_20: 0.2, close: 55, sma_50: 52, ad: 3_400_000, rvol_20: 1.5 },
      ],
      strength: 75,
      evidence: { cmf_20: 0.2, close: 55, sma_50: 52, ad: 3_400_000, rvol_20: 1.5 },
    },
    // one day of the five at 0.09
    nearMiss: {
      history: [
        { cmf_20: 0.05 },
        { cmf_20: 0.12 },
        { cmf_20: 0.15 },
        { cmf_20: 0.09 },
        { cmf_20: 0.18 },
        { cmf_20: 0.2, close: 55, sma_50: 52, ad: 3_400_000, rvol_20: 1.5 },
      ],
    },
  },
  volume_surge: {
    // 50 + 30 * (4.2 - 3) / 3 + 20 * (0.05 - 0.02) / 0.06 = 50 + 12 + 10
    fires: {
      history: [{ volume: 4_200_000, volume_sma_20: 1_000_000, rvol_20: 4.2, ret_1: 0.05, close: 31.5 }],
      strength: 72,
      evidence: { volume: 4_200_000, volume_sma_20: 1_000_000, rvol_20: 4.2, ret_1: 0.05, close: 31.5 },
    },
    // the same volume on a down day
    nearMiss: {
      history: [{ volume: 4_200_000, volume_sma_20: 1_000_000, rvol_20: 4.2, ret_1: -0.03, close: 29.1 }],
    },
  },
  new_52w_low: {
    // 50 + 30 * (2 - 1) / 2 + 20 * -0.1 / -0.2 = 50 + 15 + 10
    fires: {
      history: [{ close: 18, dist_low_252: 0, rvol_20: 2, ret_20: -0.1 }],
      strength: 75,
      evidence: { close: 18, dist_low_252: 0, rvol_20: 2, ret_20: -0.1 },
    },
    // closes 0.3% above the low
    nearMiss: { history: [{ close: 18.05, dist_low_252: 0.003, rvol_20: 2, ret_20: -0.1 }] },
  },
  momentum_leader: {
    // ranked 0.93 in the universe; 50 + 25 * (0.15 - 0.05) / 0.2 + 25 * (30 - 20) / 20 = 50 + 12.5 + 12.5
    fires: {
      history: [{ ret_20: 0.15, ret_60: 0.3, close: 80, sma_50: 72, adx_14: 30 }],
      ranks: { ret_20: [0.93] },
      strength: 75,
      evidence: { ret_20: 0.15, ret_60: 0.3, close: 80, sma_50: 72, adx_14: 30 },
    },
    // ranked 0.88: strong, but not top decile
    nearMiss: {
      history: [{ ret_20: 0.15, ret_60: 0.3, close: 80, sma_50: 72, adx_14: 30 }],
      ranks: { ret_20: [0.88] },
    },
  },
  momentum_laggard: {
    // ranked 0.04; 50 + 25 * (-0.13 + 0.05) / -0.2 + 25 * (26 - 20) / 20 = 50 + 10 + 7.5
    fires: {
      history: [{ ret_20: -0.13, ret_60: -0.2, close: 40, sma_50: 46, adx_14: 26 }],
      ranks: { ret_20: [0.04] },
      strength: 67.5,
      evidence: { ret_20: -0.13, ret_60: -0.2, close: 40, sma_50: 46, adx_14: 26 },
    },
    // as weak a month, but the close is back above its 50-day SMA
    nearMiss: {
      history: [{ ret_20: -0.13, ret_60: -0.2, close: 47, sma_50: 46, adx_14: 26 }],
      ranks: { ret_20: [0.04] },
    },
  },
  persistent_leader: {
    // ranked >= 0.8 on each of 10 days after a day at 0.75; 50 + 30 * (0.25 - 0.1) / 0.3 + 20 * 0.1 / 0.2 = 50 + 15 + 10
    fires: {
      history: [...repeat(10, {}), { ret_60: 0.25, rel_strength_60: 0.1, close: 120 }],
      ranks: { ret_60: [0.75, 0.82, 0.85, 0.8, 0.9, 0.95, 0.97, 0.9, 0.88, 0.86, 0.91] },
      strength: 75,
      evidence: { ret_60: 0.25, rel_strength_60: 0.1, close: 120 },
    },
    // slipped to 0.79 on one of the 10 days
    nearMiss: {
      history: [...repeat(10, {}), { ret_60: 0.25, rel_strength_60: 0.1, close: 120 }],
      ranks: { ret_60: [0.75, 0.82, 0.85, 0.8, 0.9, 0.79, 0.97, 0.9, 0.88, 0.86, 0.91] },
    },
  },
};

describe('built-in templates', () => {
  it('have unique ids', () => {
    const ids = BUILTIN_TEMPLATES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('number at least 25', () => {
    expect(BUILTIN_TEMPLATES.length).toBeGreaterThanOrEqual(25);
  });

  it('cases cover exactly the built-in templates', () => {
    expect(Object.keys(CASES).sort()).toEqual(BUILTIN_TEMPLATES.map((t) => t.id).sort());
  });

  for (const t of BUILTIN_TEMPLATES) {
    describe(t.id, () => {
      const cases = CASES[t.id];

      it('validates', () => {
        expect(parseTemplate(JSON.parse(JSON.stringify(t)))).toEqual(t);
      });

      it('has hand-checked cases', () => {
        expect(cases, `add a fires/nearMiss case for ${t.id} to CASES`).toBeDefined();
      });

      it('fires on its case with the hand-checked strength and evidence', () => {
        const c = cases!.fires;
        expect(evaluateTemplate(t, c.history, c.ranks)).toEqual({
          fired: true,
          strength: c.strength,
          evidence: c.evidence,
        });
      });

      it('does not fire on its near miss', () => {
        const c = cases!.nearMiss;
        expect(evaluateTemplate(t, c.history, c.ranks).fired).toBe(false);
      });

      it('needs exactly templateLookback + 1 rows of history', () => {
        const rows = templateLookback(t) + 1;
        const enough = last(cases!.fires, rows);
        expect(evaluateTemplate(t, enough.history, enough.ranks).fired).toBe(true);
        if (rows === 1) return;
        const short = last(cases!.fires, rows - 1);
        expect(evaluateTemplate(t, short.history, short.ranks).fired).toBe(false);
      });
    });
  }
});
