import { checkPeriod } from '../rolling.ts';
import { wilderOscillator } from '../rsi/index.ts';
import type { KernelState } from '../state.ts';

/** Bars before CMO's first value (TA-Lib, default compatibility: period). @internal */
export function cmoLookback(period = 14): number {
  return period;
}

/** Chande momentum oscillator, TA-Lib CMO (default compatibility): 100 * (gain - loss) / (gain + loss). */
export function cmo(close: Float64Array, period = 14, state?: KernelState): Float64Array {
  // Metastock compatibility (one bar earlier) is not offered.
  checkPeriod('cmo', period, 2);
  return wilderOscillator(close, period, true, state);
}
