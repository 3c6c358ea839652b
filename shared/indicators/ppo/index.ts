import { type OscillatorMaType, oscillatorAverages } from '../apo/index.ts';
import { isZero, nanPrefixArray } from '../rolling.ts';

/** Bars before PPO's first value (TA-Lib, SMA or EMA: max(fast, slow) - 1). @internal */
export function ppoLookback(fast = 12, slow = 26): number {
  return Math.max(fast, slow) - 1;
}

/**
 * Percentage price oscillator, TA-Lib PPO: 100 * (fast MA - slow MA) / slow MA; 0 where the slow MA is 0.
 * @internal
 */
export function ppo(
  close: Float64Array,
  fast = 12,
  slow = 26,
  maType: OscillatorMaType = 'sma',
): Float64Array {
  const mas = oscillatorAverages('ppo', close, fast, slow, maType);
  return ppoOfAverages(mas.fast, mas.slow, mas.begin + 1);
}

/**
 * PPO from its two moving averages already computed over the whole series (the fast and the slow period's
 * SMA or EMA of the close, as oscillatorAverages computes them): ppo's values.
 */
export function ppoOfAverages(fastMa: Float64Array, slowMa: Float64Array, slowPeriod: number): Float64Array {
  const n = fastMa.length;
  const begin = slowPeriod - 1;
  const out = nanPrefixArray(n, begin);
  for (let i = begin; i < n; i++) {
    const s = slowMa[i]!;
    // TA-Lib's order: difference, divide by the slow MA, then scale to percent.
    out[i] = isZero(s) ? 0 : ((fastMa[i]! - s) / s) * 100;
  }
  return out;
}
