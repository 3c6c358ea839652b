// Reference: a hand-worked example of the close streak (consecutive higher closes count up, lower closes
// down).
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { streak, streakLookback } from './index.ts';

testIndicatorContract({ name: 'streak', run: (b) => streak(b.close), lookback: streakLookback() });

describe('streak', () => {
  const nan = Number.NaN;

  it('counts higher closes up and lower closes down, resetting on an unchanged close (worked example)', () => {
    // 10 -> 11 -> 12 up twice; 12 unchanged; 11, 10, 9 down three times; 10 up once.
    const out = streak(new Float64Array([10, 11, 12, 12, 11, 10, 9, 10]));
    expect(Array.from(out)).toEqual([nan, 1, 2, 0, -1, -2, -3, 1]);
  });

  it('gives NaN around a missing close and restarts after it', () => {
    const out = streak(new Float64Array([10, 11, nan, 11, 12, 13]));
    expect(Array.from(out)).toEqual([nan, 1, nan, nan, 1, 2]);
  });
});
