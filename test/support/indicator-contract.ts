// The contract every indicator kernel meets, registered by each indicator's test (as trading-signals'
// testIndicatorContract): aligned output, NaN exactly inside the lookback, never ±Infinity, pure.
import { describe, expect, it } from 'vitest';
import type { BarSeries } from '../../shared/domain/market.ts';
import { mulberry32 } from './random.ts';

/** The price and volume columns an indicator reads. */
export type Ohlcv = Omit<BarSeries, 'dates'>;

/** An indicator configured for the contract: how to run it and where its output starts. */
export interface IndicatorUnderTest {
  name: string;
  /** Runs the indicator; multi-output indicators return their series by name. */
  run: (bars: Ohlcv) => Float64Array | Readonly<Record<string, Float64Array>>;
  /** Bars before the first value (TA-Lib's lookback), one number for all outputs or one per output. */
  lookback: number | Readonly<Record<string, number>>;
}

/** Deterministic random-walk bars: positive, OHLC-consistent, varying volume. */
export function randomWalkBars(length: number, seed = 42): Ohlcv {
  const rand = mulberry32(seed);
  const bars = emptyBars(length);
  let prev = 100;
  for (let i = 0; i < length; i++) {
    const open = prev;
    const close = open * (1 + (rand() - 0.5) * 0.04);
    bars.open[i] = open;
    bars.close[i] = close;
    bars.high[i] = Math.max(open, close) * (1 + rand() * 0.01);
    bars.low[i] = Math.min(open, close) * (1 - rand() * 0.01);
    bars.volume[i] = Math.round(1e6 * (0.5 + rand()));
    prev = close;
  }
  return bars;
}

/** Bars with every price equal (a halted stock, a stablecoin) and the given volume. */
export function flatBars(length: number, price = 100.37, volume = 1e6): Ohlcv {
  const bars = emptyBars(length);
  for (const col of [bars.open, bars.high, bars.low, bars.close]) col.fill(price);
  bars.volume.fill(volume);
  return bars;
}

function emptyBars(length: number): Ohlcv {
  return {
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
}

function outputs(result: ReturnType<IndicatorUnderTest['run']>): [string, Float64Array][] {
  return result instanceof Float64Array ? [['value', result]] : Object.entries(result);
}

function lookbackOf(ind: IndicatorUnderTest, output: string): number {
  if (typeof ind.lookback === 'number') return ind.lookback;
  const lb = ind.lookback[output];
  if (lb === undefined) throw new Error(`${ind.name}: no lookback for output ${output}`);
  return lb;
}

function copy(bars: Ohlcv): Ohlcv {
  return {
    open: bars.open.slice(),
    high: bars.high.slice(),
    low: bars.low.slice(),
    close: bars.close.slice(),
    volume: bars.volume.slice(),
  };
}

/** Registers the contract suite for one indicator. */
export function testIndicatorContract(ind: IndicatorUnderTest): void {
  describe(`${ind.name} meets the indicator contract`, () => {
    const walk = randomWalkBars(400);
    const degenerate: [string, Ohlcv][] = [
      ['flat prices', flatBars(400)],
      ['zero volume', { ...randomWalkBars(400, 7), volume: new Float64Array(400) }],
      ['flat prices and zero volume', flatBars(400, 100.37, 0)],
      ['a single bar', randomWalkBars(1)],
      ['no bars', randomWalkBars(0)],
    ];

    it('returns series exactly as long as the input', () => {
      for (const length of [0, 1, 2, 30, 400]) {
        for (const [name, series] of outputs(ind.run(randomWalkBars(length)))) {
          expect(series.length, `${name} for ${length} bars`).toBe(length);
        }
      }
    });

    it('is NaN exactly before its lookback and finite from there on', () => {
      for (const [name, series] of outputs(ind.run(walk))) {
        const lookback = lookbackOf(ind, name);
        const firstFinite = series.findIndex((v) => Number.isFinite(v));
        expect(firstFinite, `${name}: first value`).toBe(lookback);
        expect(series.slice(lookback).every(Number.isFinite), `${name}: finite after the lookback`).toBe(
          true,
        );
      }
    });

    it.each(degenerate)('never returns ±Infinity on %s', (_, bars) => {
      for (const [name, series] of outputs(ind.run(bars))) {
        expect(
          series.some((v) => v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY),
          name,
        ).toBe(false);
      }
    });

    it('leaves its input arrays unchanged', () => {
      const before = copy(walk);
      ind.run(walk);
      expect(walk).toEqual(before);
    });
  });
}
