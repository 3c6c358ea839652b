import { describe, expect, it } from 'vitest';
import { pgDays } from './copy.ts';

describe('pgDays', () => {
  it('counts days from 2000-01-01 as PostgreSQL stores a date', () => {
    expect(pgDays('2000-01-01')).toBe(0);
    expect(pgDays('1999-12-31')).toBe(-1);
    expect(pgDays('2000-03-01')).toBe(60);
    expect(pgDays('2013-02-08')).toBe(4787);
  });

  it('keeps years below 100 where they are instead of moving them to the 1900s', () => {
    expect(pgDays('0050-01-01')).toBe(pgDays('1950-01-01') - 1900 * 365 - 460);
    expect(pgDays('0050-01-01')).toBeLessThan(pgDays('0100-01-01'));
  });
});
