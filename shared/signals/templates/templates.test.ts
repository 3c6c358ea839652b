import { describe, expect, it } from 'vitest';
import { type Evidence, evaluateTemplate, type Row } from '../evaluate.ts';
import { parseTemplate } from '../schema.ts';
import { BUILTIN_TEMPLATES } from './index.ts';

interface Day {
  today: Row;
  previous: Row | null;
}

/**
 * Hand-checked cases, one entry per built-in template: a day pair where it fires (with the strength
 * worked out by hand from its terms and the evidence it must record) and a near miss where it must not.
 */
const CASES: Record<string, { fires: Day & { strength: number; evidence: Evidence }; nearMiss: Day }> = {
  rsi_oversold: {
    // 50 + 50 * (22 - 30) / (10 - 30) = 50 + 20
    fires: {
      today: { rsi_14: 22, close: 95.5, stoch_k_14: 12, dist_sma_200: -0.08 },
      previous: null,
      strength: 70,
      evidence: { rsi_14: 22, close: 95.5, stoch_k_14: 12, dist_sma_200: -0.08 },
    },
    nearMiss: { today: { rsi_14: 30, close: 95.5 }, previous: null },
  },
  rsi_overbought: {
    // 50 + 50 * (78 - 70) / (90 - 70) = 50 + 20
    fires: {
      today: { rsi_14: 78, close: 130, stoch_k_14: 91, dist_sma_200: 0.22 },
      previous: null,
      strength: 70,
      evidence: { rsi_14: 78, close: 130, stoch_k_14: 91, dist_sma_200: 0.22 },
    },
    nearMiss: { today: { rsi_14: 70, close: 130 }, previous: null },
  },
  trend_breakdown: {
    // close 101 -> 98 through sma_50 100 -> 99.5, below sma_200; 50 + 30 * 0.6 / 1.5 + 20 * 0.05 / 0.1 = 50 + 12 + 10
    fires: {
      today: {
        close: 98,
        sma_50: 99.5,
        sma_200: 103.16,
        dist_sma_50: -0.0151,
        dist_sma_200: -0.05,
        rvol_20: 1.6,
      },
      previous: { close: 101, sma_50: 100, sma_200: 103.2 },
      strength: 72,
      evidence: { close: 98, sma_50: 99.5, sma_200: 103.16, dist_sma_50: -0.0151, rvol_20: 1.6 },
    },
    // the same cross, but in an uptrend: sma_50 above sma_200 and close above sma_200
    nearMiss: {
      today: { close: 98, sma_50: 99.5, sma_200: 97, dist_sma_200: 0.0103, rvol_20: 1.6 },
      previous: { close: 101, sma_50: 100, sma_200: 96.9 },
    },
  },
  breakout_participation: {
    // 40 + 40 * (2.1 - 1.5) / 1.5 + 20 * (-0.05 + 0.2) / 0.2 = 40 + 16 + 15
    fires: {
      today: { close: 105, prior_high_20: 103, rvol_20: 2.1, volume: 2_100_000, dist_high_252: -0.05 },
      previous: null,
      strength: 71,
      evidence: { close: 105, prior_high_20: 103, rvol_20: 2.1, volume: 2_100_000, dist_high_252: -0.05 },
    },
    // the breakout happens on volume just short of 1.5x average
    nearMiss: {
      today: { close: 105, prior_high_20: 103, rvol_20: 1.49, volume: 1_490_000, dist_high_252: -0.05 },
      previous: null,
    },
  },
  golden_cross: {
    // sma_50 99.8 -> 100.1 through sma_200 100; 60 + 20 * 0.04 / 0.1 + 20 * (20 - 15) / 20 = 60 + 8 + 5
    fires: {
      today: { sma_50: 100.1, sma_200: 100, close: 104, dist_sma_200: 0.04, adx_14: 20 },
      previous: { sma_50: 99.8, sma_200: 100 },
      strength: 73,
      evidence: { sma_50: 100.1, sma_200: 100, close: 104, dist_sma_200: 0.04, adx_14: 20 },
    },
    // sma_50 was already above sma_200 yesterday
    nearMiss: {
      today: { sma_50: 100.1, sma_200: 100, close: 104, dist_sma_200: 0.04, adx_14: 20 },
      previous: { sma_50: 100.05, sma_200: 100 },
    },
  },
  death_cross: {
    // sma_50 100.2 -> 99.9 through sma_200 100; 60 + 20 * 0.07 / 0.1 + 20 * (30 - 15) / 20 = 60 + 14 + 15
    fires: {
      today: { sma_50: 99.9, sma_200: 100, close: 93, dist_sma_200: -0.07, adx_14: 30 },
      previous: { sma_50: 100.2, sma_200: 100 },
      strength: 89,
      evidence: { sma_50: 99.9, sma_200: 100, close: 93, dist_sma_200: -0.07, adx_14: 30 },
    },
    // sma_50 only touches sma_200
    nearMiss: {
      today: { sma_50: 100, sma_200: 100, close: 93, dist_sma_200: -0.07, adx_14: 30 },
      previous: { sma_50: 100.2, sma_200: 100 },
    },
  },
  macd_bullish_cross: {
    // macd -0.5 -> -0.1 through signal -0.3 -> -0.2; 50 + 25 * 0.3 + 25 * (52 - 45) / 20 = 50 + 7.5 + 8.75
    fires: {
      today: { macd: -0.1, macd_signal: -0.2, macd_hist: 0.1, rsi_14: 52, rvol_20: 1.3, close: 50 },
      previous: { macd: -0.5, macd_signal: -0.3 },
      strength: 66.25,
      evidence: { macd: -0.1, macd_signal: -0.2, macd_hist: 0.1, rsi_14: 52, rvol_20: 1.3, close: 50 },
    },
    // macd rises to meet its signal line but does not cross it
    nearMiss: {
      today: { macd: -0.2, macd_signal: -0.2, macd_hist: 0, rsi_14: 52, rvol_20: 1.3, close: 50 },
      previous: { macd: -0.5, macd_signal: -0.3 },
    },
  },
  macd_bearish_cross: {
    // macd 0.4 -> 0.2 through signal 0.3 -> 0.25; 50 + 25 * 0.8 + 25 * (47 - 55) / (35 - 55) = 50 + 20 + 10
    fires: {
      today: { macd: 0.2, macd_signal: 0.25, macd_hist: -0.05, rsi_14: 47, rvol_20: 1.8, close: 50 },
      previous: { macd: 0.4, macd_signal: 0.3 },
      strength: 80,
      evidence: { macd: 0.2, macd_signal: 0.25, macd_hist: -0.05, rsi_14: 47, rvol_20: 1.8, close: 50 },
    },
    // macd was already below its signal line yesterday
    nearMiss: {
      today: { macd: 0.2, macd_signal: 0.25, macd_hist: -0.05, rsi_14: 47, rvol_20: 1.8, close: 50 },
      previous: { macd: 0.28, macd_signal: 0.3 },
    },
  },
  bollinger_squeeze: {
    // 50 + 30 * (0.045 - 0.06) / (0.03 - 0.06) + 20 * (16 - 20) / (10 - 20) = 50 + 15 + 8
    fires: {
      today: {
        bb_width_20: 0.045,
        adx_14: 16,
        bb_upper_20: 102.25,
        bb_lower_20: 97.75,
        close: 100.5,
        natr_14: 1.8,
      },
      previous: null,
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
    nearMiss: { today: { bb_width_20: 0.045, adx_14: 21, close: 100.5 }, previous: null },
  },
  strong_uptrend: {
    // 50 + 30 * (35 - 25) / 25 + 20 * 0.15 / 0.3 = 50 + 12 + 10
    fires: {
      today: {
        adx_14: 35,
        plus_di_14: 30,
        minus_di_14: 12,
        close: 120,
        sma_50: 110,
        sma_200: 100,
        ret_60: 0.15,
      },
      previous: null,
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
      today: {
        adx_14: 35,
        plus_di_14: 30,
        minus_di_14: 12,
        close: 109,
        sma_50: 110,
        sma_200: 100,
        ret_60: 0.15,
      },
      previous: null,
    },
  },
  stoch_bullish_cross: {
    // %K 8 -> 16 through %D 11; 50 + 30 * (11 - 20) / (5 - 20) + 20 * (31 - 40) / (25 - 40) = 50 + 18 + 12
    fires: {
      today: { stoch_k_14: 16, stoch_d_14: 11, rsi_14: 31, close: 40 },
      previous: { stoch_k_14: 8, stoch_d_14: 11 },
      strength: 80,
      evidence: { stoch_k_14: 16, stoch_d_14: 11, rsi_14: 31, close: 40 },
    },
    // the same cross just above the oversold zone
    nearMiss: {
      today: { stoch_k_14: 26, stoch_d_14: 22, rsi_14: 38, close: 40 },
      previous: { stoch_k_14: 18, stoch_d_14: 23 },
    },
  },
  new_52w_high: {
    // 50 + 30 * (1.5 - 1) / 2 + 20 * 0.08 / 0.2 = 50 + 7.5 + 8
    fires: {
      today: { close: 250, dist_high_252: 0, rvol_20: 1.5, ret_20: 0.08 },
      previous: null,
      strength: 65.5,
      evidence: { close: 250, dist_high_252: 0, rvol_20: 1.5, ret_20: 0.08 },
    },
    // closes 0.2% under the high
    nearMiss: { today: { close: 249.5, dist_high_252: -0.002, rvol_20: 1.5, ret_20: 0.08 }, previous: null },
  },
};

describe('built-in templates', () => {
  it('have unique ids', () => {
    const ids = BUILTIN_TEMPLATES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
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
        expect(evaluateTemplate(t, c.today, c.previous)).toEqual({
          fired: true,
          strength: c.strength,
          evidence: c.evidence,
        });
      });

      it('does not fire on its near miss', () => {
        const c = cases!.nearMiss;
        expect(evaluateTemplate(t, c.today, c.previous).fired).toBe(false);
      });
    });
  }
});
