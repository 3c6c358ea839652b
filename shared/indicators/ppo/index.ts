import { type OscillatorMaType, oscillatorAverages } from '../apo/index.ts';
import { isZero, nanPrefixArray } from '../rolling.ts';

/** Bars before PPO's first value (TA-Lib, SMA or EMA: max(fast, slow) - 1). */
export function ppoLookback(fast = 12, slow = 26): number {
  return Math.max(fast, slow) - 1;
}

/** Percentage price oscillator, TA-Lib PPO: 100 * (fast MA - slow MA) / slow MA; 0 where the slow MA is 0. */
export function ppo(
  close: Float64Array,
  fast = 12,
  slow = 26,
  maType: OscillatorMaType = 'sma',
): Float64Array {
  const mas = oscillatorAverages('ppo', close, fast, slow, maType);
  const out = nanPrefixArray(close.length, mas.begin);
  for (let i = mas.begin; i < close.length; i++) {
    const s = mas.slow[i]!;
    // TA-Lib's order: difference, divide by the slow MA, then scale to percent.
    out[i] = isZero(s) ? 0 : ((mas.fast[i]! - s) / s) * 100;
  }
  return out;
}
