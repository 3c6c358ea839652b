import { ema } from '../ema/index.ts';
import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import { sma } from '../sma/index.ts';

/** The moving average APO and PPO smooth with (TA-Lib MAType SMA or EMA). */
export type OscillatorMaType = 'sma' | 'ema';

/** The fast and slow moving averages of a price oscillator, each computed from the first bar. */
export interface OscillatorAverages {
  fast: Float64Array;
  slow: Float64Array;
  /** First bar where both are defined. */
  begin: number;
}

/** Bars before APO's first value (TA-Lib, SMA or EMA: max(fast, slow) - 1). @internal */
export function apoLookback(fast = 12, slow = 26): number {
  return Math.max(fast, slow) - 1;
}

/** Absolute price oscillator, TA-Lib APO: fast MA - slow MA of the close. @internal */
export function apo(
  close: Float64Array,
  fast = 12,
  slow = 26,
  maType: OscillatorMaType = 'sma',
): Float64Array {
  const mas = oscillatorAverages('apo', close, fast, slow, maType);
  return apoOfAverages(mas.fast, mas.slow, mas.begin + 1);
}

/**
 * APO from its two moving averages already computed over the whole series (the fast and the slow period's
 * SMA or EMA of the close, as oscillatorAverages computes them): apo's values.
 */
export function apoOfAverages(fastMa: Float64Array, slowMa: Float64Array, slowPeriod: number): Float64Array {
  const begin = slowPeriod - 1;
  const out = nanPrefixArray(fastMa.length, begin);
  for (let i = begin; i < fastMa.length; i++) out[i] = fastMa[i]! - slowMa[i]!;
  return out;
}

/** Validates APO/PPO periods and computes their two averages; periods given in the wrong order are swapped. */
export function oscillatorAverages(
  name: string,
  close: Float64Array,
  fast: number,
  slow: number,
  maType: OscillatorMaType,
): OscillatorAverages {
  // TA-Lib computes both MAs over the whole call range, so each EMA is seeded on its own first `period` bars
  // (unlike MACD, whose fast EMA is seeded where the slow one is).
  checkPeriod(`${name} fast`, fast, 2);
  checkPeriod(`${name} slow`, slow, 2);
  const fastPeriod = Math.min(fast, slow);
  const slowPeriod = Math.max(fast, slow);
  const average = maType === 'ema' ? ema : sma;
  return {
    fast: average(close, fastPeriod),
    slow: average(close, slowPeriod),
    begin: slowPeriod - 1,
  };
}
