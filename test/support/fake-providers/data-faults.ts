import type { RawBar } from '../../../shared/domain/market.ts';

// Test support: bad data a fake provider serves inside an otherwise normal 200 response, the way
// real market-data servers misbehave. Each fault is anchored at a fixture bar (symbol, date) and
// applies to every response that carries that bar.

/** A date no test runs on or after: a bar dated then is in the future. */
export const FUTURE_DATE = '2099-01-05';

/** A bar as a fake serves it: values may be anything a broken server sends. */
export type FakeBar = Omit<RawBar, 'open' | 'high' | 'low' | 'close' | 'volume'> & {
  open: unknown;
  high: unknown;
  low: unknown;
  close: unknown;
  volume: unknown;
};

/** One kind of bad data. */
export type FaultKind =
  /** The bar twice, identical. */
  | { kind: 'identical-duplicate' }
  /** The bar, then a second copy of its date with another close (a revised value sent alongside). */
  | { kind: 'conflicting-duplicate' }
  /** The bar, and a copy dated FUTURE_DATE. */
  | { kind: 'future' }
  /** The bar with one field replaced by a value that is not a number ("NaN", "", null, "abc"). */
  | { kind: 'non-number'; field: 'open' | 'high' | 'low' | 'close' | 'volume'; value: unknown };

/** Bad data at the fixture bar of `symbol` on `date`. */
export type DataFault = { symbol: string; date: string } & FaultKind;

/** The close the conflicting copy carries: 1% above the real one, with the high raised to stay consistent. */
export function conflictingCopy(bar: RawBar): RawBar {
  const close = Math.round(bar.close * 1.01 * 10_000) / 10_000;
  return { ...bar, close, high: Math.max(bar.high, close) };
}

/** A symbol's bars of one response with the faults applied, in order. */
export function applyDataFaults(bars: readonly RawBar[], faults: readonly DataFault[] = []): FakeBar[] {
  return bars.flatMap((bar): FakeBar[] => {
    const fault = faults.find((f) => f.symbol === bar.symbol && f.date === bar.date);
    if (!fault) return [bar];
    switch (fault.kind) {
      case 'identical-duplicate':
        return [bar, { ...bar }];
      case 'conflicting-duplicate':
        return [bar, conflictingCopy(bar)];
      case 'future':
        return [bar, { ...bar, date: FUTURE_DATE }];
      default:
        return [{ ...bar, [fault.field]: fault.value }];
    }
  });
}
