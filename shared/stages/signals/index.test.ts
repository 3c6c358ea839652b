import { describe, expect, it } from 'vitest';
import { addDays, tradingDays } from '../../calendar/index.ts';
import { planSignalJobs } from './index.ts';

const ids = (n: number) => Array.from({ length: n }, (_, k) => k + 1);

describe('planSignalJobs', () => {
  it('evaluates a one-day run in one job per 2,500 assets', () => {
    expect(planSignalJobs(ids(12), 'equity', '2026-11-20', '2026-11-20')).toEqual([
      { asset_ids: ids(12), from: '2026-11-20', to: '2026-11-20' },
    ]);
    const jobs = planSignalJobs(ids(12_000), 'equity', '2026-11-20', '2026-11-20');
    expect(jobs.map((j) => j.asset_ids.length)).toEqual([2500, 2500, 2500, 2500, 2000]);
  });

  it('splits a history run into windows of trading days that tile [from, to] exactly', () => {
    const [from, to] = ['2013-02-08', '2018-02-07'];
    const jobs = planSignalJobs(ids(500), 'equity', from, to);
    // 500 assets: 25 trading days per job, about 12,500 asset-days.
    expect(jobs).toHaveLength(Math.ceil(tradingDays('equity', from, to).length / 25));
    expect(jobs[0]!.from).toBe(from);
    expect(jobs.at(-1)!.to).toBe(to);
    for (const [k, job] of jobs.entries()) {
      expect(job.asset_ids).toHaveLength(500);
      expect(tradingDays('equity', job.from, job.to).length).toBeLessThanOrEqual(25);
      if (k > 0) expect(job.from).toBe(addDays(jobs[k - 1]!.to, 1));
    }
  });

  it('keeps one job for a range without trading days, so that its facts are still replaced', () => {
    expect(planSignalJobs(ids(3), 'equity', '2026-11-21', '2026-11-22')).toEqual([
      { asset_ids: ids(3), from: '2026-11-21', to: '2026-11-22' },
    ]);
  });
});
