import { describe, expect, it } from 'vitest';
import { cronMatches, parseCron } from './cron.ts';

describe('cron', () => {
  it('matches the daily equity schedule on weekdays at 22:30 UTC only', () => {
    const spec = parseCron('30 22 * * 1-5');
    expect(cronMatches(spec, new Date('2026-11-20T22:30:00Z'))).toBe(true); // Friday
    expect(cronMatches(spec, new Date('2026-11-21T22:30:00Z'))).toBe(false); // Saturday
    expect(cronMatches(spec, new Date('2026-11-20T22:31:00Z'))).toBe(false);
  });

  it('supports steps, lists and Sunday as 7', () => {
    expect(cronMatches(parseCron('*/15 * * * *'), new Date('2026-01-01T10:45:00Z'))).toBe(true);
    expect(cronMatches(parseCron('*/15 * * * *'), new Date('2026-01-01T10:46:00Z'))).toBe(false);
    expect(cronMatches(parseCron('0 0 * * 7'), new Date('2026-11-22T00:00:00Z'))).toBe(true);
    expect(cronMatches(parseCron('5,10 1 * * *'), new Date('2026-11-22T01:10:00Z'))).toBe(true);
  });

  it('ORs day-of-month and day-of-week when both are restricted, as cron does', () => {
    const spec = parseCron('0 12 1 * 1');
    expect(cronMatches(spec, new Date('2026-12-01T12:00:00Z'))).toBe(true); // the 1st, a Tuesday
    expect(cronMatches(spec, new Date('2026-11-23T12:00:00Z'))).toBe(true); // a Monday
    expect(cronMatches(spec, new Date('2026-11-24T12:00:00Z'))).toBe(false);
  });

  it('rejects malformed expressions with the field named', () => {
    expect(() => parseCron('* * *')).toThrow(/5 fields/);
    expect(() => parseCron('61 * * * *')).toThrow(/minute/);
    expect(() => parseCron('* * * 13 *')).toThrow(/month/);
  });
});
