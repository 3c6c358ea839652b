import { nanPrefixArray } from '../rolling.ts';
import { type KernelState, resumeFrom } from '../state.ts';

/** Bars before streak's first value (1: it needs the previous close). @internal */
export function streakLookback(): number {
  return 1;
}

/** Close streak: +n after n higher closes in a row, -n after n lower ones, 0 if unchanged; NaN on bar 0. */
export function streak(close: Float64Array, state?: KernelState): Float64Array {
  // A NaN close (or one after it) gives NaN and restarts the count.
  const out = nanPrefixArray(close.length, 1);
  let run = state?.resuming ? state.take() : 0;
  for (let i = resumeFrom(state, 1); i < close.length; i++) {
    const c = close[i]!;
    const prev = close[i - 1]!;
    if (c > prev) run = run > 0 ? run + 1 : 1;
    else if (c < prev) run = run < 0 ? run - 1 : -1;
    else if (c === prev) run = 0;
    else {
      run = 0;
      out[i] = Number.NaN;
      continue;
    }
    out[i] = run;
  }
  state?.put(run);
  return out;
}
