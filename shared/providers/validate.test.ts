import { describe, expect, it } from 'vitest';
import type { RawBar } from '../domain/market.ts';
import { validateBar } from './validate.ts';

// AAPL 2013-02-08 from the Kaggle all_stocks_5yr file.
const good: RawBar = {
  symbol: 'AAPL',
  date: '2013-02-08',
  open: 67.7142,
  high: 68.4014,
  low: 66.8928,
  close: 67.8542,
  volume: 158168416,
};

const broken = (patch: Record<string, unknown>): RawBar => ({ ...good, ...patch }) as RawBar;

describe('validateBar', () => {
  it('accepts a consistent bar, including zero volume and a flat bar', () => {
    expect(validateBar(good)).toBeNull();
    expect(validateBar({ ...good, volume: 0 })).toBeNull();
    expect(validateBar({ ...good, open: 5, high: 5, low: 5, close: 5 })).toBeNull();
    expect(validateBar({ ...good, date: '1900-01-01' })).toBeNull();
  });

  it.each([
    [{ high: 10, close: 12, open: 9.5, low: 9 }, 'high 10 is below close 12'],
    [{ high: 10, open: 12, close: 9, low: 8 }, 'high 10 is below open 12'],
    [{ high: 8, low: 9, open: 8.5, close: 8.5 }, 'high 8 is below low 9'],
    [{ low: 11, open: 10, close: 12, high: 13 }, 'low 11 is above open 10'],
    [{ low: 11, open: 12, close: 10.5, high: 13 }, 'low 11 is above close 10.5'],
    // LNT 2016-05-19 in all_stocks_5yr: a bad close far below the day's low.
    [{ open: 35.35, high: 35.91, low: 35.35, close: 17.87 }, 'low 35.35 is above close 17.87'],
  ])('rejects OHLC inconsistency %o', (patch, reason) => {
    expect(validateBar(broken(patch))).toBe(reason);
  });

  it.each([
    [{ open: undefined }, 'non_numeric: missing open'],
    [{ close: null }, 'non_numeric: missing close'],
    [{ volume: '12' }, 'non_numeric: volume "12" is not a number'],
    [{ high: Number.NaN }, 'non_numeric: high is NaN, not a finite number'],
    [{ low: Number.NEGATIVE_INFINITY }, 'non_numeric: low is -Infinity, not a finite number'],
    [{ low: 0 }, 'non-positive price: low is 0'],
    [{ open: -1 }, 'non-positive price: open is -1'],
    [{ volume: -5 }, 'negative volume -5'],
    [{ date: '08/02/2013' }, 'date "08/02/2013" is not YYYY-MM-DD'],
    [{ date: '2013-02-30' }, 'date 2013-02-30 is not a real calendar date'],
    // PostgreSQL would store year 0000 as 1 BC; the API refuses dates before 1900 as well.
    [{ date: '0000-01-01' }, 'date 0000-01-01 is before 1900-01-01, the earliest date stored'],
    [{ date: '1899-12-31' }, 'date 1899-12-31 is before 1900-01-01, the earliest date stored'],
    [{ date: '' }, 'missing date'],
    [{ symbol: ' ' }, 'missing symbol'],
  ])('explains %o', (patch, reason) => {
    expect(validateBar(broken(patch))).toBe(reason);
  });
});
