import type { BarSeries } from '../domain/market.ts';
import { atr } from '../indicators/atr/index.ts';
import { ema } from '../indicators/ema/index.ts';
import { nanPrefixArray } from '../indicators/rolling.ts';
import { sma } from '../indicators/sma/index.ts';
import type { KernelState } from '../indicators/state.ts';
import type { FeatureCategory, FeatureDef, FeatureOptions } from './types.ts';

/** A catalogue entry whose name keeps its literal type (so group outputs are checked by name). */
export function feature<const N extends string>(
  name: N,
  category: FeatureCategory,
  unit: string,
  lookback: number,
  description: string,
): FeatureDef & { name: N; scope: 'asset' } {
  return { name, category, unit, lookback, description, scope: 'asset' };
}

/** A catalogue entry ranked across the universe for the day (computed after every asset's features). */
export function universeFeature<const N extends string>(
  name: N,
  category: FeatureCategory,
  unit: string,
  lookback: number,
  description: string,
): FeatureDef & { name: N; scope: 'universe' } {
  return { name, category, unit, lookback, description, scope: 'universe' };
}

/**
 * What a feature group computes from: the bars, the market options, and memoised intermediates that
 * several groups share (an SMA 20 is computed once per series, whoever asks first).
 */
export class FeatureInput {
  private readonly cache = new Map<string, Float64Array>();

  /**
   * `from`: the first bar whose values are wanted (a daily run's day); 0 for the whole series. `state`:
   * the recursive kernels' running state, recorded after the last bar and, when resuming, read back from
   * the bar before `from` (the bars are then a tail of the asset's history: `offset` bars precede them).
   */
  constructor(
    readonly bars: BarSeries,
    readonly opts: FeatureOptions,
    readonly from = 0,
    readonly state?: KernelState,
    readonly offset = 0,
  ) {}

  /**
   * Runs a window-local kernel only over the bars its windows from `from` on read. Such a kernel's value
   * at a bar is computed from that bar's own window alone (sums rebuilt per window, extremes, lags), never
   * from a running total or a recursion carried from the first bar, so the values from `from` on are
   * bit-identical to the whole series' and only the bars before `from - lookback` are skipped (NaN).
   * Kernels with running sums (TA-Lib's SMA, VAR, ...) or recursions (EMA, Wilder) must not come here:
   * their rounding depends on every earlier bar. `kernel(start)` computes over the bars from `start` on;
   * `align` keeps `start` a multiple of it, for a kernel whose arithmetic order follows the bar index
   * modulo its period (TA-Lib's CCI sums a circular buffer slot by slot).
   */
  windowed<T extends Float64Array | { [K in keyof T]: Float64Array }>(
    lookback: number,
    kernel: (start: number) => T,
    align = 1,
  ): T {
    // Aligned on the bar's index in the whole history, which a tail starts `offset` bars into.
    const start = Math.floor((this.offset + Math.max(0, this.from - lookback)) / align) * align - this.offset;
    if (start < 0) throw new RangeError(`windowed: the bars start after the window of bar ${this.from}`);
    if (start === 0) return kernel(0);
    const n = this.bars.close.length;
    const pad = (tail: Float64Array) => {
      const out = new Float64Array(n).fill(Number.NaN, 0, start);
      out.set(tail, start);
      return out;
    };
    const part = kernel(start);
    if (part instanceof Float64Array) return pad(part) as T;
    const out: Record<string, Float64Array> = {};
    for (const [k, v] of Object.entries(part)) out[k] = pad(v);
    return out as T;
  }

  /** The bars' `field` from `start` on (a view, no copy), for windowed kernels. */
  tail(field: 'open' | 'high' | 'low' | 'close' | 'volume', start: number): Float64Array {
    return this.bars[field].subarray(start);
  }

  /** Computes `make()` once per key. */
  memo(key: string, make: () => Float64Array): Float64Array {
    let value = this.cache.get(key);
    if (!value) {
      value = make();
      this.cache.set(key, value);
    }
    return value;
  }

  sma(period: number): Float64Array {
    return this.memo(`sma:${period}`, () => sma(this.bars.close, period, this.state));
  }

  ema(period: number): Float64Array {
    return this.memo(`ema:${period}`, () => ema(this.bars.close, period, this.state));
  }

  atr(period: number): Float64Array {
    return this.memo(`atr:${period}`, () =>
      atr(this.bars.high, this.bars.low, this.bars.close, period, this.state),
    );
  }

  /**
   * `series` with its last `count` values before `from` kept in the state (a step reading a recursive
   * kernel's value `count` bars back): resuming, they are restored. Call once per series and run.
   */
  kept(series: Float64Array, count: number): Float64Array {
    this.state?.keep(series, count);
    return series;
  }

  /** ln(close / previous close); NaN on the first bar and around non-positive prices. */
  logReturns(): Float64Array {
    return this.memo('logret', () => logReturns(this.bars.close));
  }

  /** close / close `bars` ago - 1 (returns()). */
  returns(bars: number): Float64Array {
    return this.memo(`ret:${bars}`, () => returns(this.bars.close, bars));
  }
}

/** A group of catalogue features and the function computing the asset-scoped ones. */
export interface FeatureGroup<D extends readonly FeatureDef[]> {
  defs: D;
  compute: (input: FeatureInput) => Record<AssetScoped<D[number]>['name'], Float64Array>;
}

type AssetScoped<F extends FeatureDef> = F extends { scope: 'universe' } ? never : F;

/** Declares a group; its compute must return exactly the group's asset-scoped features. */
export function defineGroup<const D extends readonly FeatureDef[]>(
  defs: D,
  compute: FeatureGroup<D>['compute'],
): FeatureGroup<D> {
  return { defs, compute };
}

/** a / b, or NaN where that is not a finite number (division by zero, 0/0, NaN inputs). */
export function ratio(a: number, b: number): number {
  const q = a / b;
  return Number.isFinite(q) ? q : Number.NaN;
}

/** close / close `bars` ago - 1. */
export function returns(close: Float64Array, bars: number): Float64Array {
  const out = nanPrefixArray(close.length, bars);
  for (let i = bars; i < close.length; i++) out[i] = ratio(close[i]!, close[i - bars]!) - 1;
  return out;
}

/** ln(close / close `bars` ago); NaN where a price is not positive. */
export function logReturns(close: Float64Array, bars = 1): Float64Array {
  const out = nanPrefixArray(close.length, bars);
  for (let i = bars; i < close.length; i++) {
    const r = ratio(close[i]!, close[i - bars]!);
    // ln(0) is -Infinity: a zero price has no log return.
    out[i] = r > 0 ? Math.log(r) : Number.NaN;
  }
  return out;
}

/** value / reference - 1, NaN where the reference is undefined or 0. */
export function distance(value: Float64Array, reference: Float64Array): Float64Array {
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = ratio(value[i]!, reference[i]!) - 1;
  return out;
}

/** The series shifted one bar later: each bar sees the previous bar's value (a window that excludes today). */
export function previousBar(series: Float64Array): Float64Array {
  const out = nanPrefixArray(series.length, 1);
  if (series.length > 1) out.set(series.subarray(0, series.length - 1), 1);
  return out;
}
