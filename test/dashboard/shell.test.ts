import { describe, expect, it } from 'vitest';
import { IDLE_POLL_MS, LIVE_POLL_MS, runInProgress, runPollInterval } from '../../dashboard/src/lib/runs.ts';
import { parseThemeChoice, resolveTheme } from '../../dashboard/src/lib/theme.ts';
import { parseRoute } from '../../dashboard/src/router.ts';

const jobs = (queued: number, running: number) => ({ queued, running, done: 3, failed: 0 });

describe('routes', () => {
  it('parses every page, keeping the query string for the page', () => {
    expect(parseRoute('')).toEqual({ page: 'today', query: '' });
    expect(parseRoute('#/screener?type=crypto&range=rsi_14::30')).toEqual({
      page: 'screener',
      query: 'type=crypto&range=rsi_14::30',
    });
    expect(parseRoute('#/pipeline/')).toEqual({ page: 'pipeline', query: '' });
    expect(parseRoute('#/reviews?date=2026-01-05').page).toBe('reviews');
    expect(parseRoute('#/asset/crypto/BTC%2DUSD')).toEqual({
      page: 'asset',
      assetType: 'crypto',
      symbol: 'BTC-USD',
      query: '',
    });
    expect(parseRoute('#/asset/bond/X')).toMatchObject({ page: 'not-found', path: '/asset/bond/X' });
    expect(parseRoute('#/asset/equity/%E0%A4%A')).toMatchObject({ page: 'not-found' });
  });
});

describe('live updates', () => {
  it('polls fast while a run has queued or running work, slowly otherwise', () => {
    expect(runInProgress({ status: 'running', jobs: jobs(0, 0) })).toBe(true);
    expect(runInProgress({ status: 'succeeded', jobs: jobs(1, 0) })).toBe(true);
    expect(runInProgress({ status: 'partial', jobs: jobs(0, 0) })).toBe(false);
    expect(
      runPollInterval([
        { status: 'succeeded', jobs: jobs(0, 0) },
        { status: 'running', jobs: jobs(0, 2) },
      ]),
    ).toBe(LIVE_POLL_MS);
    expect(runPollInterval([{ status: 'failed', jobs: jobs(0, 0) }])).toBe(IDLE_POLL_MS);
    expect(runPollInterval(undefined)).toBe(IDLE_POLL_MS);
  });
});

describe('theme', () => {
  it('follows the system unless the user chose', () => {
    expect(resolveTheme(parseThemeChoice(null), true)).toBe('dark');
    expect(resolveTheme(parseThemeChoice('light'), true)).toBe('light');
    expect(resolveTheme(parseThemeChoice('dark'), false)).toBe('dark');
    expect(parseThemeChoice('purple')).toBe('system');
  });
});
