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

/** Absolute price oscillator, TA-Lib APO: fast MA - slow MA of the close. */
export function apo(
  close: Float64Array,
  fast = 12,
  slow = 26,
  maType: OscillatorMaType = 'sma',
): Float64Array {
  const mas = oscillatorAverages('apo', close, fast, slow, maType);
  const out = nanPrefixArray(close.length, mas.begin);
  for (let i = mas.begin; i < close.length; i++) out[i] = mas.fast[i]! - mas.slow[i]!;
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
