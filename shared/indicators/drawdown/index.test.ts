// Reference: a hand-worked example of drawdown from the running peak, close / max(close so far) - 1.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { drawdown, drawdownLookback } from './index.ts';

testIndicatorContract({ name: 'drawdown', run: (b) => drawdown(b.close), lookback: drawdownLookback() });

describe('drawdown', () => {
  it('measures each close against the highest close so far (worked example)', () => {
    // Peaks 100, 110, 110, 121, 121: 0, 0, 99/110 - 1 = -0.1, 0, 108.9/121 - 1 = -0.1.
    const out = drawdown(new Float64Array([100, 110, 99, 121, 108.9]));
    const expected = [0, 0, -0.1, 0, -0.1];
    for (let i = 0; i < expected.length; i++) expect(out[i]).toBeCloseTo(expected[i]!, 12);
  });

  it('is NaN until the peak is positive and keeps the peak across a missing close', () => {
    const out = drawdown(new Float64Array([0, 5, Number.NaN, 4]));
    expect(Number.isNaN(out[0])).toBe(true);
    expect(out[1]).toBe(0);
    expect(Number.isNaN(out[2])).toBe(true);
    expect(out[3]).toBeCloseTo(-0.2, 12);
  });
});
