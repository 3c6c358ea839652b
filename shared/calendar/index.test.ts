import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  isTradingDay,
  latestCompleteDay,
  latestTradingDay,
  previousTradingDay,
  todayUtc,
  tradingDays,
} from './index.ts';

const SPY_FILE = new URL('../../../shared/data/long_series/SPY_D.csv', import.meta.url);

describe('NYSE holidays', () => {
  // NYSE's published 2024 holiday schedule.
  it.each([
    ['2024-01-01', "New Year's Day"],
    ['2024-01-15', 'Martin Luther King Jr. Day'],
    ['2024-02-19', "Washington's Birthday"],
    ['2024-03-29', 'Good Friday'],
    ['2024-05-27', 'Memorial Day'],
    ['2024-06-19', 'Juneteenth'],
    ['2024-07-04', 'Independence Day'],
    ['2024-09-02', 'Labor Day'],
    ['2024-11-28', 'Thanksgiving'],
    ['2024-12-25', 'Christmas'],
  ])('closes on %s (%s)', (date) => {
    expect(isTradingDay('equity', date)).toBe(false);
  });

  it('has 252 trading days in 2024 and 250 in 2025', () => {
    expect(tradingDays('equity', '2024-01-01', '2024-12-31')).toHaveLength(252);
    // 2025 also lost Jan 9, the national day of mourning for President Carter.
    expect(tradingDays('equity', '2025-01-01', '2025-12-31')).toHaveLength(250);
  });

  it('moves Saturday holidays to Friday and Sunday holidays to Monday', () => {
    expect(isTradingDay('equity', '2021-12-24')).toBe(false); // Christmas on a Saturday
    expect(isTradingDay('equity', '2020-07-03')).toBe(false); // Independence Day on a Saturday
    expect(isTradingDay('equity', '2022-12-26')).toBe(false); // Christmas on a Sunday
    expect(isTradingDay('equity', '2022-06-20')).toBe(false); // Juneteenth on a Sunday
    expect(isTradingDay('equity', '2023-01-02')).toBe(false); // New Year's Day on a Sunday
  });

  it('does not close Friday Dec 31 for a Saturday New Year', () => {
    expect(isTradingDay('equity', '2021-12-31')).toBe(true);
    expect(isTradingDay('equity', '2010-12-31')).toBe(true);
  });

  it('observes Juneteenth only from 2022', () => {
    expect(isTradingDay('equity', '2021-06-18')).toBe(true);
    expect(isTradingDay('equity', '2023-06-19')).toBe(false);
  });

  it('follows Easter for Good Friday', () => {
    expect(isTradingDay('equity', '2008-03-21')).toBe(false);
    expect(isTradingDay('equity', '2019-04-19')).toBe(false);
    expect(isTradingDay('equity', '2025-04-18')).toBe(false);
    expect(isTradingDay('equity', '2026-04-03')).toBe(false);
  });

  it('knows the one-off closures', () => {
    for (const d of ['2001-09-11', '2004-06-11', '2007-01-02', '2012-10-29', '2018-12-05', '2025-01-09']) {
      expect(isTradingDay('equity', d)).toBe(false);
    }
  });
});

describe('crypto', () => {
  it('trades every calendar day', () => {
    expect(tradingDays('crypto', '2024-12-23', '2025-01-05')).toHaveLength(14);
    expect(isTradingDay('crypto', '2024-12-25')).toBe(true);
  });
});

describe('date arithmetic', () => {
  it('finds the latest and previous trading days across weekends and holidays', () => {
    expect(latestTradingDay('equity', '2024-03-31')).toBe('2024-03-28'); // Sunday after Good Friday
    expect(latestTradingDay('equity', '2024-04-01')).toBe('2024-04-01');
    expect(previousTradingDay('equity', '2024-04-01')).toBe('2024-03-28');
    expect(previousTradingDay('crypto', '2024-03-01')).toBe('2024-02-29');
  });

  it('adds days across month, leap-day and year boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -366)).toBe('2024-01-01');
  });

  it('returns ranges inclusive and empty when from > to', () => {
    expect(tradingDays('equity', '2024-07-01', '2024-07-05')).toEqual([
      '2024-07-01',
      '2024-07-02',
      '2024-07-03',
      '2024-07-05',
    ]);
    expect(tradingDays('equity', '2024-07-05', '2024-07-01')).toEqual([]);
  });

  it('reads today in UTC', () => {
    expect(todayUtc(new Date('2026-11-22T23:30:00-05:00'))).toBe('2026-11-23');
  });

  it('rejects malformed and impossible dates', () => {
    expect(() => isTradingDay('equity', '2024-1-5')).toThrow(/YYYY-MM-DD/);
    expect(() => addDays('2023-02-29', 1)).toThrow(/not a real calendar date/);
  });
});

describe.skipIf(!existsSync(SPY_FILE))('against the real SPY daily file (1999-11 to 2020-08)', () => {
  const dates = existsSync(SPY_FILE)
    ? readFileSync(SPY_FILE, 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[1] ?? '')
        .filter((d) => d >= '2001-01-01')
    : [];

  it('has a bar on no day the calendar calls closed', () => {
    expect(dates.filter((d) => !isTradingDay('equity', d))).toEqual([]);
  });

  it('has a bar on every day the calendar calls open', () => {
    const present = new Set(dates);
    const missing = tradingDays('equity', dates[0]!, dates.at(-1)!).filter((d) => !present.has(d));
    expect(missing).toEqual([]);
    expect(dates.length).toBeGreaterThan(4900);
  });
});

describe('latestCompleteDay', () => {
  it('is yesterday for crypto: the UTC day is the bar', () => {
    expect(latestCompleteDay('crypto', new Date('2026-11-22T00:19:00Z'))).toBe('2026-11-21');
  });

  it('is today for equities only after the close, else the previous trading day', () => {
    expect(latestCompleteDay('equity', new Date('2026-11-20T15:00:00Z'))).toBe('2026-11-19');
    expect(latestCompleteDay('equity', new Date('2026-11-20T22:00:00Z'))).toBe('2026-11-20');
    // Sunday and the Friday after Thanksgiving's Thursday holiday.
    expect(latestCompleteDay('equity', new Date('2026-11-22T12:00:00Z'))).toBe('2026-11-20');
    expect(latestCompleteDay('equity', new Date('2026-11-27T09:00:00Z'))).toBe('2026-11-25');
  });
});
