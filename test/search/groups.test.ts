import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/providers/demo/generate.ts';
import { ALGORITHMS, paramValues } from '../../shared/search/algorithms/index.ts';
import { evaluateVariation, prepareDataset, variationStats } from '../../shared/search/evaluate.ts';
import { runTasks, TimeBank } from '../../shared/search/groups/budget.ts';
import {
  buildGroupSpace,
  exploreTask,
  type GroupCandidate,
  type GroupSpace,
  groupTasks,
  mergeGroups,
} from '../../shared/search/groups/discover.ts';
import { leaveOneDayOut, selectGroups } from '../../shared/search/groups/select.ts';
import { variationKey } from '../../shared/search/optimize.ts';
import { type PruneCandidate, prune, robustScore } from '../../shared/search/prune.ts';
import { syntheticDataset } from './seed.ts';

const data = prepareDataset(syntheticDataset(400, 'search-groups'));

/** `perAlgorithm` variations of each of the first `algorithms` algorithms, from grid points spread over the grid. */
function candidates(algorithms: number, perAlgorithm: number): PruneCandidate[] {
  const out: PruneCandidate[] = [];
  for (const algorithm of ALGORITHMS.slice(0, algorithms))
    for (let v = 0; v < perAlgorithm; v++) {
      const values = paramValues(
        algorithm.params,
        algorithm.params.map((p) => Math.floor(((v + 1) / (perAlgorithm + 1)) * ((p.max - p.min) / p.step))),
      );
      const result = evaluateVariation(data, algorithm, values);
      const params = Object.fromEntries(algorithm.params.map((p, k) => [p.name, values[k]!]));
      out.push({
        key: variationKey(algorithm.id, params),
        algorithm: algorithm.id,
        params,
        daily: Array.from(result.daily),
        buys: Array.from(result.buys),
        stats: variationStats(result),
      });
    }
  return out;
}

/** Every group (≥ 2 members, one per algorithm) by brute force over the picks, scored as the discovery scores. */
function bruteForce(members: PruneCandidate[], minPicks: number, minPositive: number, top: number) {
  const picks = members.map((m) => {
    const a = ALGORITHMS.find((x) => x.id === m.algorithm)!;
    return evaluateVariation(
      data,
      a,
      a.params.map((p) => m.params[p.name]!),
    ).picks;
  });
  const found: GroupCandidate[] = [];
  const n = members.length;
  const walk = (from: number, chosen: number[]) => {
    if (chosen.length >= 2) {
      const daily: number[] = [];
      const counts: number[] = [];
      for (let d = 0; d < 5; d++) {
        let c = 0;
        let s = 0;
        for (let k = 0; k < data.tickers.length; k++)
          if (chosen.every((m) => picks[m]![k]! & (1 << d))) {
            c++;
            s += data.sessionReturns[k * 5 + d]!;
          }
        counts.push(c);
        daily.push(c ? s / c : 0);
      }
      if (counts.some((c) => c < minPicks)) return;
      const mean = daily.reduce((a, b) => a + b, 0) / 5;
      const std = Math.sqrt(daily.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
      if (daily.filter((r) => r > 0).length >= minPositive)
        found.push({
          members: [...chosen],
          daily,
          picks: counts,
          score: robustScore(
            mean,
            std,
            counts.reduce((a, b) => a + b, 0),
            5,
          ),
        });
    }
    for (let m = from; m < n; m++) {
      if (chosen.some((c) => members[c]!.algorithm === members[m]!.algorithm)) continue;
      walk(m + 1, [...chosen, m]);
    }
  };
  walk(0, []);
  return mergeGroups([found], top);
}

describe('group discovery', () => {
  const members = candidates(5, 3);
  const space = buildGroupSpace(data, members);
  const options = { minPicksPerDay: 2, minPositiveDays: 2, top: 25 };

  it('packs picks into per-day bitsets and aligns the returns', () => {
    expect(space.words).toBe(Math.ceil(400 / 32));
    expect(space.keys).toEqual(members.map((m) => m.key));
    expect(Array.from(space.algorithmOf)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
  });

  it('finds exactly the best groups a brute force over all combinations finds', () => {
    const tasks = groupTasks(space, options);
    const lists = tasks.map((t) => exploreTask(space, t, options, () => false));
    expect(lists.every((l) => l.complete)).toBe(true);
    const merged = mergeGroups(
      lists.map((l) => l.groups),
      25,
    );
    const expected = bruteForce(members, 2, 2, 25);
    expect(expected.length).toBeGreaterThan(3);
    expect(merged.map((g) => g.members)).toEqual(expected.map((g) => g.members));
    merged.forEach((g, i) => {
      expect(g.picks).toEqual(expected[i]!.picks);
      for (const [d, r] of g.daily.entries()) expect(r).toBeCloseTo(expected[i]!.daily[d]!, 12);
      expect(g.score).toBeCloseTo(expected[i]!.score, 12);
    });
  });

  it('prunes exactly: a tighter minimum of picks keeps the same groups as filtering the looser result', () => {
    const loose = runTasks(
      space,
      groupTasks(space, { ...options, top: 10_000 }),
      { ...options, top: 10_000 },
      Infinity,
      () => performance.now(),
    );
    const tight = runTasks(
      space,
      groupTasks(space, { ...options, minPicksPerDay: 6, top: 10_000 }),
      { ...options, minPicksPerDay: 6, top: 10_000 },
      Infinity,
      () => performance.now(),
    );
    expect(tight.evaluations).toBeLessThan(loose.evaluations);
    expect(tight.groups.map((g) => g.members)).toEqual(
      loose.groups.filter((g) => Math.min(...g.picks) >= 6).map((g) => g.members),
    );
  });

  it('splitting the tasks among workers and merging gives the same groups as one walk', () => {
    const tasks = groupTasks(space, options);
    const whole = runTasks(space, tasks, options, Infinity, () => performance.now());
    const parts = [0, 1, 2, 3].map((p) =>
      runTasks(
        space,
        tasks.filter((_, t) => t % 4 === p),
        options,
        Infinity,
        () => performance.now(),
      ),
    );
    expect(
      mergeGroups(
        parts.map((p) => p.groups),
        25,
      ),
    ).toEqual(whole.groups);
    expect(parts.reduce((s, p) => s + p.evaluations, 0)).toBe(whole.evaluations);
  });

  it('stops a task at its deadline and keeps the best groups found so far', () => {
    // Dense random picks (60% of 256 tickers each day): the subtrees hold thousands of groups.
    const rng = createRng('dense-space');
    const wide: GroupSpace = {
      tickers: 256,
      words: 8,
      days: 5,
      keys: Array.from({ length: 32 }, (_, m) => `a${m >> 2}:v=${m & 3}`),
      algorithmOf: Int32Array.from({ length: 32 }, (_, m) => m >> 2),
      bits: Uint32Array.from({ length: 32 * 5 * 8 }, () => {
        let w = 0;
        for (let b = 0; b < 32; b++) if (rng.uniform() < 0.6) w |= 1 << b;
        return w >>> 0;
      }),
      returns: Float64Array.from({ length: 5 * 256 }, () => 0.02 * rng.normal()),
    };
    const loose = { minPicksPerDay: 1, minPositiveDays: 0, top: 25 };
    const tasks = groupTasks(wide, loose);
    let clock = 0;
    // Every look at the fake clock costs 1 µs: a 0.5 ms budget (500 looks, one per 1,024 evaluations
    // inside a walk) cuts the walk short.
    const cut = runTasks(wide, tasks, loose, 0.5, () => (clock += 0.001));
    const whole = runTasks(wide, tasks, loose, Infinity, () => 0);
    expect(whole.stoppedBy).toBe('complete');
    expect(cut.stoppedBy).toBe('budget');
    expect(cut.cut).toBeGreaterThan(0);
    expect(cut.evaluations).toBeLessThan(whole.evaluations);
    expect(cut.groups.length).toBe(25);
  });
});

describe('resumable walks', () => {
  it('a task cut at every stop check and resumed each time judges the same groups as one walk', () => {
    const rng = createRng('resume-space');
    const dense: GroupSpace = {
      tickers: 128,
      words: 4,
      days: 5,
      keys: Array.from({ length: 24 }, (_, m) => `a${m >> 2}:v=${m & 3}`),
      algorithmOf: Int32Array.from({ length: 24 }, (_, m) => m >> 2),
      bits: Uint32Array.from({ length: 24 * 5 * 4 }, () => {
        let w = 0;
        for (let b = 0; b < 32; b++) if (rng.uniform() < 0.7) w |= 1 << b;
        return w >>> 0;
      }),
      returns: Float64Array.from({ length: 5 * 128 }, () => 0.02 * rng.normal()),
    };
    const options = { minPicksPerDay: 8, minPositiveDays: 2, top: 40 };
    for (const task of groupTasks(dense, options).slice(0, 6)) {
      const whole = exploreTask(dense, task, options, () => false);
      const lists = [];
      let evaluations = 0;
      let pieces = 0;
      let resume: number[] | undefined = [];
      while (resume) {
        // Stop at the first check of every piece: the walk goes on 1,024 evaluations at a time.
        const piece = exploreTask(dense, task, options, () => true, resume);
        lists.push(piece.groups);
        evaluations += piece.evaluations;
        resume = piece.resume;
        pieces++;
      }
      expect(evaluations).toBe(whole.evaluations);
      expect(pieces).toBe(Math.ceil(whole.evaluations / 1024));
      expect(mergeGroups(lists, 40)).toEqual(whole.groups);
    }
  });
});

describe('time bank', () => {
  it('gives each task a fair share, returns unused time and hands it to the tasks still running', () => {
    const bank = new TimeBank(0, 100, 2, 4);
    expect(bank.start(0, 0)).toBe(50); // 200 worker-ms over 4 tasks
    expect(bank.start(1, 0)).toBe(50);
    bank.finish(0, 10); // 40 ms back
    expect(bank.start(2, 10)).toBe(10 + 140 / 2);
    expect(bank.start(3, 10)).toBe(10 + 70); // the rest
    bank.finish(2, 20); // 60 back, nothing waits: the running tasks share it
    const changes = bank.rebalance(20);
    expect(changes.map((c) => c.task).sort()).toEqual([1, 3]);
    for (const c of changes) expect(c.deadline).toBeLessThanOrEqual(100);
    expect(changes.find((c) => c.task === 1)!.deadline).toBe(80);
  });

  it('never sets a deadline past the global end', () => {
    const bank = new TimeBank(1000, 60, 8, 1);
    expect(bank.start(0, 1000)).toBe(1060);
  });
});

describe('pruner', () => {
  it('gates, keeps the best per algorithm by the robust score, and skips near-copies', () => {
    const all = candidates(4, 12);
    const picks = new Map(
      all.map((c) => {
        const a = ALGORITHMS.find((x) => x.id === c.algorithm)!;
        return [
          c.key,
          evaluateVariation(
            data,
            a,
            a.params.map((p) => c.params[p.name]!),
          ).picks,
        ];
      }),
    );
    const opts = { perAlgorithm: 3, minBuysPerDay: 2, minPositiveDays: 2, worstDay: -0.05 };
    const r = prune(all, 400, (c) => picks.get(c.key)!, opts);
    expect(r.candidates).toBe(48);
    expect(r.kept.length).toBeGreaterThan(0);
    for (const k of r.kept) {
      expect(Math.min(...k.candidate.buys)).toBeGreaterThanOrEqual(2);
      expect(Math.max(...k.candidate.buys)).toBeLessThanOrEqual(200);
      expect(k.candidate.daily.filter((x) => x > 0).length).toBeGreaterThanOrEqual(2);
      expect(k.worstDay).toBeGreaterThanOrEqual(-0.05);
    }
    const refused = Object.values(r.refused).reduce((a, b) => a + b, 0);
    // Every candidate is kept, refused by one gate, or left out beyond the per-algorithm count.
    expect(r.kept.length + refused).toBeLessThanOrEqual(48);
    for (const id of new Set(r.kept.map((k) => k.candidate.algorithm))) {
      const mine = r.kept.filter((k) => k.candidate.algorithm === id);
      expect(mine.length).toBeLessThanOrEqual(3);
      expect(mine.map((k) => k.rank)).toEqual(mine.map((_, i) => i + 1));
      for (let i = 1; i < mine.length; i++) expect(mine[i - 1]!.score).toBeGreaterThanOrEqual(mine[i]!.score);
    }
    // The same candidates in another order give the same result.
    const again = prune([...all].reverse(), 400, (c) => picks.get(c.key)!, opts);
    expect(again.kept.map((k) => k.candidate.key)).toEqual(r.kept.map((k) => k.candidate.key));
  });
});

describe('final selection', () => {
  it('rejects a bad worst day and a week carried by one day, and picks the highest deflated Sharpe', () => {
    const keys = ['a:x=1', 'b:x=1', 'c:x=1'];
    const g = (members: number[], daily: number[], score: number): GroupCandidate => ({
      members,
      daily,
      picks: [5, 5, 5, 5, 5],
      score,
    });
    const ranked = selectGroups(
      [
        g([0, 1], [0.01, 0.01, 0.01, -0.05, 0.02], 3), // worst day −5%
        g([0, 2], [0.08, -0.01, -0.01, -0.005, -0.01], 2), // carried by one day
        g([1, 2], [0.004, 0.006, 0.005, 0.003, 0.004], 1),
        g([0, 1, 2], [0.01, 0.002, 0.012, -0.004, 0.001], 0.5),
      ],
      keys,
      { trials: 500, sharpeVariance: 0.3 },
    );
    expect(ranked[0]!.rejected).toMatch(/worst day/);
    expect(ranked[1]!.rejected).toMatch(/leave-one-day-out/);
    expect(ranked[2]!.selected).toBe(true);
    expect(ranked.filter((r) => r.selected)).toHaveLength(1);
    expect(ranked[2]!.key).toBe('b:x=1 & c:x=1');
    expect(ranked[2]!.algorithms).toEqual(['b', 'c']);
    expect(ranked[2]!.dsr).toBeGreaterThan(ranked[3]!.dsr);
    expect(leaveOneDayOut([0.08, -0.01, -0.01, -0.005, -0.01])).toBeCloseTo(-0.00875, 12);
  });

  it('counts more trials as a lower deflated Sharpe', () => {
    const one = selectGroups(
      [{ members: [0, 1], daily: [0.01, 0.004, 0.006, 0.003, 0.008], picks: [4, 4, 4, 4, 4], score: 1 }],
      ['a:x', 'b:x'],
      { trials: 10, sharpeVariance: 0.3 },
    );
    const many = selectGroups(
      [{ members: [0, 1], daily: [0.01, 0.004, 0.006, 0.003, 0.008], picks: [4, 4, 4, 4, 4], score: 1 }],
      ['a:x', 'b:x'],
      { trials: 10_000, sharpeVariance: 0.3 },
    );
    expect(many[0]!.dsr).toBeLessThan(one[0]!.dsr);
  });
});
