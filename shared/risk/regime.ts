import type { RiskDecision } from './types.ts';

/** Entry thresholds and size in each regime. */
export interface RegimeConfig {
  /** Minimum composite score for a new entry when the benchmark is above its 200-day average. */
  entryThreshold: number;
  /** The stricter minimum when it is below. */
  riskOffEntryThreshold: number;
  /** Size multiplier of entries when below (default 0.5). */
  riskOffSizeMultiplier: number;
}

/** The defaults: any positive score enters in risk-on, 0.25 in risk-off, at half size. */
export const DEFAULT_REGIME: RegimeConfig = {
  entryThreshold: 0,
  riskOffEntryThreshold: 0.25,
  riskOffSizeMultiplier: 0.5,
};

/** The market regime of a day and what it implies for entries. */
export interface Regime extends RiskDecision {
  riskOff: boolean;
  entryThreshold: number;
}

/**
 * Market regime from the benchmark (SPY) close and its 200-day simple average at the same close: strictly
 * below is risk-off (stricter entries, smaller size). Without an average (fewer than 200 bars) the regime is
 * unknown and treated as risk-on, which the reason says.
 */
export function marketRegime(
  benchmark: { symbol: string; close: number | null; sma200: number | null },
  config: RegimeConfig = DEFAULT_REGIME,
): Regime {
  const { symbol, close, sma200 } = benchmark;
  if (close === null || sma200 === null || !Number.isFinite(close) || !Number.isFinite(sma200)) {
    return {
      rule: 'regime',
      allow: true,
      riskOff: false,
      entryThreshold: config.entryThreshold,
      sizeMultiplier: 1,
      reason: `${symbol} has no 200-day average yet: regime unknown, normal entries`,
    };
  }
  const riskOff = close < sma200;
  return {
    rule: 'regime',
    allow: true,
    riskOff,
    entryThreshold: riskOff ? config.riskOffEntryThreshold : config.entryThreshold,
    sizeMultiplier: riskOff ? config.riskOffSizeMultiplier : 1,
    reason: riskOff
      ? `${symbol} ${close} below its 200-day average ${sma200.toFixed(2)}: entries need a score above ` +
        `${config.riskOffEntryThreshold}, size x${config.riskOffSizeMultiplier}`
      : `${symbol} ${close} at or above its 200-day average ${sma200.toFixed(2)}: normal entries`,
  };
}
