// Running state of the recursive kernels (EMAs, Wilder smoothing, TA-Lib's running sums), carried from one
// run to the next so that a daily run resumes them on a bounded tail of bars instead of recomputing every
// asset's whole history. A resumed kernel enters its loop with the variables the full pass had after the
// state's bar and takes the same steps from there, so its values are the full pass's bit for bit.

/**
 * The values recursive kernels carry from bar to bar, read and written in call order. Computing from the
 * first bar, a kernel only records its variables after its last bar (`put`); resuming, it first reads them
 * back (`take`) and loops from bar `at + 1`. A run makes the same kernel calls in the same order as the run
 * that recorded the state (the feature catalogue and a version key guarantee it), so each kernel reads back
 * exactly what it recorded.
 */
export class KernelState {
  /** The values recorded after the last bar, in call order: the next run's stored state. */
  readonly saved: number[] = [];
  private read = 0;

  /**
   * `stored`: the state recorded after bar `at` of the arrays the kernels now receive (null to compute from
   * the first bar, recording only).
   */
  constructor(
    private readonly stored: Float64Array | null = null,
    readonly at = -1,
  ) {}

  /** True when kernels resume from the stored state at bar `at + 1`. */
  get resuming(): boolean {
    return this.stored !== null;
  }

  /** The next stored value (resuming only). */
  take(): number {
    if (!this.stored || this.read >= this.stored.length) {
      throw new RangeError('kernel state: read past the stored values (kernels changed since it was stored)');
    }
    return this.stored[this.read++]!;
  }

  /** Records a value for the next run; chainable. */
  put(value: number): this {
    this.saved.push(value);
    return this;
  }

  /**
   * Keeps the last `count` values of a series a later step reads back (an ADX 13 bars ago, an SMA 5 bars
   * ago): resuming, restores them at bars at-count+1..at; then records the series' last `count` values.
   * Called once the series is computed.
   */
  keep(series: Float64Array, count: number): void {
    if (this.stored) for (let j = this.at - count + 1; j <= this.at; j++) series[j] = this.take();
    for (let j = series.length - count; j < series.length; j++) this.put(series[j]!);
  }

  /** Throws unless every stored value was read: a state of another shape never passes for this one. */
  finish(): void {
    if (this.stored && this.read !== this.stored.length) {
      throw new RangeError(
        `kernel state: ${this.stored.length - this.read} stored values left unread (kernels changed since it was stored)`,
      );
    }
  }
}

/** The first bar a kernel's loop computes: `at + 1` when resuming, else `first` (its full pass' start). */
export function resumeFrom(state: KernelState | undefined, first: number): number {
  return state?.resuming ? state.at + 1 : first;
}
