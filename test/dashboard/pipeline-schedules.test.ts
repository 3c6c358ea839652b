import { describe, expect, it } from 'vitest';
import { cronError, nextCronRun } from '../../dashboard/src/components/pipeline/cron.ts';

const at = (iso: string) => new Date(iso);

describe('cronError', () => {
  it('accepts the seeded schedules', () => {
    for (const expr of ['30 22 * * 1-5', '15 0 * * *', '* * * * *']) expect(cronError(expr)).toBeNull();
  });

  it('names the offending field', () => {
    expect(cronError('61 * * * *')).toMatch(/minute/);
    expect(cronError('* * * *')).toMatch(/5 fields/);
  });
});

describe('nextCronRun', () => {
  it('skips the weekend for a weekday schedule', () => {
    // 2026-01-02 is a Friday; after 22:30 the next weekday run is Monday the 5th.
    expect(nextCronRun('30 22 * * 1-5', at('2026-01-02T23:00:00Z'))?.toISOString()).toBe(
      '2026-01-05T22:30:00.000Z',
    );
  });

  it('is strictly after the given time, later the same day when it can be', () => {
    expect(nextCronRun('30 22 * * 1-5', at('2026-01-02T22:30:00Z'))?.toISOString()).toBe(
      '2026-01-05T22:30:00.000Z',
    );
    expect(nextCronRun('30 22 * * 1-5', at('2026-01-02T10:00:30Z'))?.toISOString()).toBe(
      '2026-01-02T22:30:00.000Z',
    );
  });

  it('fires the next minute for every-minute schedules', () => {
    expect(nextCronRun('* * * * *', at('2026-01-02T10:00:30Z'))?.toISOString()).toBe(
      '2026-01-02T10:01:00.000Z',
    );
  });

  it('picks the first hour and minute of a list on the next matching day', () => {
    expect(nextCronRun('0,30 9,17 * * *', at('2026-01-02T17:31:00Z'))?.toISOString()).toBe(
      '2026-01-03T09:00:00.000Z',
    );
  });

  it('reads restricted day-of-month and day-of-week as either, as cron does', () => {
    // The 15th or any Monday: from Friday the 2nd, Monday the 5th comes first.
    expect(nextCronRun('0 0 15 * 1', at('2026-01-02T00:00:00Z'))?.toISOString()).toBe(
      '2026-01-05T00:00:00.000Z',
    );
  });

  it('finds yearly schedules and gives up on impossible ones', () => {
    expect(nextCronRun('0 12 1 3 *', at('2026-03-01T12:00:00Z'))?.toISOString()).toBe(
      '2027-03-01T12:00:00.000Z',
    );
    expect(nextCronRun('0 0 30 2 *', at('2026-01-01T00:00:00Z'))).toBeNull();
    expect(nextCronRun('not cron', at('2026-01-01T00:00:00Z'))).toBeNull();
  });
});
