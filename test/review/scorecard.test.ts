import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReviewHorizonStats, ReviewScorecard } from '../../shared/api/contracts/scorecards.ts';
import { createContext } from '../../shared/config.ts';
import { reviewScorecard } from '../../shared/review/scorecard.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import { AS, TEST_KEYS } from '../support/auth.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// A constructed market with known answers. Stored days t0..t29 are the weekdays from 2026-01-05.
//   equity UP:    close 100·1.01^i, high = close·1.005, low = close·0.995  → h-day return U(h) = 1.01^h − 1
//   equity DOWN:  close 100·0.99^i, same wicks                            → D(h) = 0.99^h − 1
//   crypto FLAT:  close 100, high 101, low 99                             → 0
//   crypto WIDE:  as FLAT, but t1 spans 80-120 (touches a 90 stop and a 110 target on one bar)
// Valid reviews (model m1 unless noted), with the plan each walks into:
//   #1 UP   t0  bullish 0.90 long  stop 95 / target 103   → target on t3 (high 103.54)
//   #2 DOWN t0  bearish 0.70 short stop 103 / target 97   → target on t3 (low 96.54)
//   #3 UP   t1  bearish 0.10 short stop 102.5 / target 99 → stop on t2 (high 102.52)
//   #4 DOWN t0  bullish 0.30 long  stop 98 / target 104   → stop on t2 (low 97.52) (m3: a second view of #2's day)
//   #5 FLAT t0  neutral 0.50, no plan
//   #6 FLAT t0  bullish 0.50 long  stop 95 / target 110, 5 days (m2) → neither
//   #7 UP   t27 bullish 0.55 long  stop 50 / target 1000  → open: 2 later bars of 10
//   #8 WIDE t0  bullish 0.50 long  stop 90 / target 110 (m2) → both on t1: stop first, same bar
// plus an invalid review (ignored). Facts on reviewed asset-days: UP t0 bullish and bearish, DOWN t0
// bearish, FLAT t0 neutral (not directional); DOWN t5 bullish is on an unreviewed day.

const DATES = (() => {
  const out: string[] = [];
  for (let d = new Date('2026-01-05T00:00:00Z'); out.length < 30; d.setUTCDate(d.getUTCDate() + 1)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
})();
const t = (i: number) => DATES[i]!;
const U = (h: number) => 1.01 ** h - 1;
const D = (h: number) => 0.99 ** h - 1;

type Bar = { close: number; high: number; low: number };
const MARKET: Record<string, { type: 'equity' | 'crypto'; bar: (i: number) => Bar }> = {
  UP: { type: 'equity', bar: (i) => wicks(100 * 1.01 ** i) },
  DOWN: { type: 'equity', bar: (i) => wicks(100 * 0.99 ** i) },
  FLAT: { type: 'crypto', bar: () => ({ close: 100, high: 101, low: 99 }) },
  WIDE: { type: 'crypto', bar: (i) => ({ close: 100, high: i === 1 ? 120 : 101, low: i === 1 ? 80 : 99 }) },
};
function wicks(close: number): Bar {
  return { close, high: close * 1.005, low: close * 0.995 };
}

type Plan = {
  side: 'long' | 'short' | 'none';
  stop: number | null;
  targets: number[];
  horizon_days: number | null;
};
const REVIEWS: [string, number, string, number, Plan, string?][] = [
  ['UP', 0, 'bullish', 0.9, { side: 'long', stop: 95, targets: [103, 106], horizon_days: 10 }],
  ['DOWN', 0, 'bearish', 0.7, { side: 'short', stop: 103, targets: [97], horizon_days: 10 }],
  ['UP', 1, 'bearish', 0.1, { side: 'short', stop: 102.5, targets: [99], horizon_days: 10 }],
  ['DOWN', 0, 'bullish', 0.3, { side: 'long', stop: 98, targets: [104], horizon_days: null }, 'm3'],
  ['FLAT', 0, 'neutral', 0.5, { side: 'none', stop: null, targets: [], horizon_days: null }],
  ['FLAT', 0, 'bullish', 0.5, { side: 'long', stop: 95, targets: [110], horizon_days: 5 }, 'm2'],
  ['UP', 27, 'bullish', 0.55, { side: 'long', stop: 50, targets: [1000], horizon_days: 10 }],
  ['WIDE', 0, 'bullish', 0.5, { side: 'long', stop: 90, targets: [110], horizon_days: 10 }, 'm2'],
];

function stats(h: number, n: number, hit: number | null, mean: number | null, adjusted: number | null) {
  return { horizon: h, n, hit_rate: hit, mean, adjusted_mean: adjusted };
}

function expectStats(actual: ReviewHorizonStats[], expected: ReviewHorizonStats[]) {
  expect(actual.map((s) => [s.horizon, s.n])).toEqual(expected.map((s) => [s.horizon, s.n]));
  actual.forEach((s, i) => {
    const e = expected[i]!;
    for (const key of ['hit_rate', 'mean', 'adjusted_mean'] as const) {
      if (e[key] === null) expect(s[key], `${key} at ${s.horizon}`).toBeNull();
      else expect(s[key], `${key} at ${s.horizon}`).toBeCloseTo(e[key], 12);
    }
  });
}

describe('reviewScorecard on a constructed market', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { sql } = db;
    const ids: Record<string, number> = {};
    for (const [symbol, m] of Object.entries(MARKET)) {
      const [row] = await sql<{ id: number }[]>`
        insert into assets (symbol, asset_type) values (${symbol}, ${m.type}) returning id`;
      ids[symbol] = row!.id;
      const bars = DATES.map((date, i) => {
        const b = m.bar(i);
        return { asset_id: row!.id, date, open: b.close, ...b, volume: 1000, source: 'test' };
      });
      await sql`insert into daily_bars ${sql(bars, 'asset_id', 'date', 'open', 'high', 'low', 'close', 'volume', 'source')}`;
    }
    const reviews = [...REVIEWS, ['UP', 2, 'bullish', 0.9, REVIEWS[0]![4], 'm1', 'invalid'] as const].map(
      ([symbol, day, direction, confidence, plan, model, status]) => ({
        asset_id: ids[symbol]!,
        as_of_date: t(day),
        model: model ?? 'm1',
        prompt_version: 'review-v2',
        status: status ?? 'valid',
        direction,
        confidence,
        review: sql.json({ direction, confidence, trade_plan: { ...plan, entry_zone: null } }),
        input_hash: `${symbol}-${day}-${model}`,
      }),
    );
    await sql`
      insert into asset_ai_reviews ${sql(reviews, 'asset_id', 'as_of_date', 'model', 'prompt_version', 'status', 'direction', 'confidence', 'review', 'input_hash')}`;
    for (const [id, direction] of [
      ['t_bull', 'bullish'],
      ['t_bear', 'bearish'],
      ['t_flat', 'neutral'],
    ] as const) {
      await sql`
        insert into signal_templates (id, version, name, description, direction, definition)
        values (${id}, 1, ${id}, 'test', ${direction}, '{}')`;
    }
    const facts: [string, number, string, string][] = [
      ['UP', 0, 't_bull', 'bullish'],
      ['UP', 0, 't_bear', 'bearish'],
      ['DOWN', 0, 't_bear', 'bearish'],
      ['FLAT', 0, 't_flat', 'neutral'],
      ['DOWN', 5, 't_bull', 'bullish'],
    ];
    for (const [symbol, day, template, direction] of facts) {
      await sql`
        insert into daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
        values (${ids[symbol]!}, ${t(day)}, ${template}, 1, ${direction}, 50, '{}')`;
    }
  });
  afterAll(() => db.drop());

  it('scores bullish and bearish verdicts by hit rate and mean forward return, leaving out missing horizons', async () => {
    const card = await reviewScorecard(db.sql);
    expect(card).toMatchObject({ reviews: 8, neutral: 1, directional: { n: 7 } });
    const [bullish, bearish] = card.verdicts;
    // Bullish: #1 UP, #4 DOWN, #6 FLAT, #7 UP (1 day only), #8 WIDE.
    expect(bullish!.n).toBe(5);
    expectStats(bullish!.horizons, [
      stats(1, 5, 2 / 5, (2 * U(1) + D(1)) / 5, (2 * U(1) + D(1)) / 5),
      stats(5, 4, 1 / 4, (U(5) + D(5)) / 4, (U(5) + D(5)) / 4),
      stats(20, 4, 1 / 4, (U(20) + D(20)) / 4, (U(20) + D(20)) / 4),
    ]);
    // Bearish: #2 DOWN (right), #3 UP (wrong); adjusted returns are negated.
    expect(bearish!.n).toBe(2);
    expectStats(
      bearish!.horizons,
      [1, 5, 20].map((h) => stats(h, 2, 1 / 2, (D(h) + U(h)) / 2, -(D(h) + U(h)) / 2)),
    );
  });

  it('buckets directional reviews by confidence', async () => {
    const { calibration } = await reviewScorecard(db.sql);
    expect(calibration.map((b) => [b.low, b.high, b.n])).toEqual([
      [0, 0.2, 1],
      [0.2, 0.4, 1],
      [0.4, 0.6, 3],
      [0.6, 0.8, 1],
      [0.8, 1, 1],
    ]);
    const at = (b: number, h: number) => calibration[b]!.horizons.find((s) => s.horizon === h)!;
    expect(at(0, 5)).toMatchObject({ n: 1, hit_rate: 0 });
    expect(at(0, 5).adjusted_mean).toBeCloseTo(-U(5), 12);
    expect(at(1, 5).adjusted_mean).toBeCloseTo(D(5), 12);
    expect(at(2, 1)).toMatchObject({ n: 3 });
    expect(at(2, 1).hit_rate).toBeCloseTo(1 / 3, 12);
    expect(at(2, 1).adjusted_mean).toBeCloseTo(U(1) / 3, 12);
    expect(at(2, 5)).toMatchObject({ n: 2, hit_rate: 0, adjusted_mean: 0 });
    expect(at(3, 20)).toMatchObject({ n: 1, hit_rate: 1 });
    expect(at(3, 20).adjusted_mean).toBeCloseTo(-D(20), 12);
    expect(at(4, 20).adjusted_mean).toBeCloseTo(U(20), 12);
  });

  it('walks each plan forward: stop or first target first, neither within its horizon, or still open', async () => {
    const { plans } = await reviewScorecard(db.sql);
    expect(plans).toEqual({
      n: 7,
      not_triggered: 0,
      stop_first: 3,
      target_first: 2,
      neither: 1,
      open: 1,
      same_bar: 1,
    });
  });

  it("compares the reviews with the same asset-days' directional signal facts", async () => {
    const card = await reviewScorecard(db.sql);
    // Facts: UP t0 bullish (+U), UP t0 bearish (−U), DOWN t0 bearish (−D); the neutral and the
    // unreviewed day's facts are out.
    expect(card.baseline.facts).toBe(3);
    expectStats(
      card.baseline.horizons,
      [1, 5, 20].map((h) => stats(h, 3, 2 / 3, (2 * U(h) + D(h)) / 3, -D(h) / 3)),
    );
    // Directional adjusted returns at 1 day: U, D, 0, U, 0 (bullish) and −D, −U (bearish).
    expectStats(card.directional.horizons.slice(0, 1), [
      stats(1, 7, 3 / 7, (3 * U(1) + 2 * D(1)) / 7, U(1) / 7),
    ]);
    expect(card.edge[0]!.hit_rate).toBeCloseTo(3 / 7 - 2 / 3, 12);
    expect(card.edge[0]!.adjusted_mean).toBeCloseTo(U(1) / 7 + D(1) / 3, 12);
  });

  it('filters by asset type, model and date range', async () => {
    const crypto = await reviewScorecard(db.sql, { asset_type: 'crypto' });
    expect(crypto).toMatchObject({ reviews: 3, neutral: 1, baseline: { facts: 0 } });
    expect(crypto.plans).toMatchObject({ n: 2, stop_first: 1, neither: 1, same_bar: 1 });
    const m2 = await reviewScorecard(db.sql, { model: 'm2' });
    expect(m2).toMatchObject({ model: 'm2', reviews: 2, neutral: 0 });
    const later = await reviewScorecard(db.sql, { from: t(1), to: t(29) });
    expect(later.verdicts.map((v) => v.n)).toEqual([1, 1]);
    expect(later.plans).toMatchObject({ n: 2, stop_first: 1, open: 1 });
    const none = await reviewScorecard(db.sql, { from: t(28) });
    expect(none).toMatchObject({ reviews: 0, directional: { n: 0 }, baseline: { facts: 0 } });
    expect(none.edge[0]).toEqual({ horizon: 1, hit_rate: null, adjusted_mean: null });
  });

  it('is served by control-api at GET /scorecards/reviews', async () => {
    const app = createApp(createContext({ DATABASE_URL: db.url, ...TEST_KEYS }, { sql: db.sql }));
    const res = await app.request('/control-api/scorecards/reviews?asset_type=crypto&model=m2', {
      headers: AS.reader,
    });
    expect(res.status).toBe(200);
    const body = ReviewScorecard.parse(await res.json());
    expect(body).toMatchObject({ asset_type: 'crypto', model: 'm2', reviews: 2 });
    const bad = await app.request(`/control-api/scorecards/reviews?from=${t(5)}&to=${t(1)}`, {
      headers: AS.reader,
    });
    expect(bad.status).toBe(400);
  });
});

// One equity PULL whose bars after t0 (close 100) rise to 106, pull back to 94 and go flat:
//   t1 101-103, t2 103-105, t3 104-106, t4 100-104, t5 97-101, t6 94-98, t7.. 96-98.
// Plans with entry zones, and where each is walked from (a walk from t1 would call A and B target-first):
//   A long  zone 97.5-98.5 stop 95  target 105, 10 days → enters t5, stop t6               → stop first
//   B long  zone 90-91     stop 88  target 105,  5 days → never entered within 5 bars      → not triggered
//   C long  zone 99.5-100.5 stop 96 target 103.5, 5 days → enters t4, target on t4 itself   → target first
//   D short zone 104.5-105.5 stop 107 target 99, 10 days → enters t2, target t5             → target first
//   G long  zone 99.5-100.5 stop 90 target 120, 4 days  → enters t4, nothing by t7         → neither
//   E long  zone 80-81 (reviewed t27) stop 75 target 120 → 2 later bars, not entered       → open
describe('reviewScorecard: plans wait for their entry zone', () => {
  let db: TestDatabase;
  const RANGES: [number, number][] = [
    [99, 101],
    [101, 103],
    [103, 105],
    [104, 106],
    [100, 104],
    [97, 101],
    [94, 98],
  ];

  beforeAll(async () => {
    db = await createTestDatabase();
    const { sql } = db;
    const [asset] = await sql<{ id: number }[]>`
      insert into assets (symbol, asset_type) values ('PULL', 'equity') returning id`;
    const bars = DATES.map((date, i) => {
      const [low, high] = RANGES[i] ?? [96, 98];
      const close = i === 0 ? 100 : (low + high) / 2;
      return { asset_id: asset!.id, date, open: close, high, low, close, volume: 1000, source: 'test' };
    });
    await sql`insert into daily_bars ${sql(bars, 'asset_id', 'date', 'open', 'high', 'low', 'close', 'volume', 'source')}`;
    const plan = (side: string, zone: [number, number], stop: number, target: number, days: number) => ({
      side,
      entry_zone: { low: zone[0], high: zone[1] },
      stop,
      targets: [target],
      horizon_days: days,
    });
    const reviews = [
      ['A', 0, plan('long', [97.5, 98.5], 95, 105, 10)],
      ['B', 0, plan('long', [90, 91], 88, 105, 5)],
      ['C', 0, plan('long', [99.5, 100.5], 96, 103.5, 5)],
      ['D', 0, plan('short', [104.5, 105.5], 107, 99, 10)],
      ['G', 0, plan('long', [99.5, 100.5], 90, 120, 4)],
      ['E', 27, plan('long', [80, 81], 75, 120, 10)],
    ] as const;
    const rows = reviews.map(([model, day, trade_plan]) => {
      const direction = trade_plan.side === 'long' ? 'bullish' : 'bearish';
      return {
        asset_id: asset!.id,
        as_of_date: t(day),
        model,
        prompt_version: 'review-v3',
        status: 'valid',
        direction,
        confidence: 0.5,
        review: sql.json({ direction, confidence: 0.5, trade_plan }),
        input_hash: model,
      };
    });
    await sql`
      insert into asset_ai_reviews ${sql(rows, 'asset_id', 'as_of_date', 'model', 'prompt_version', 'status', 'direction', 'confidence', 'review', 'input_hash')}`;
  });
  afterAll(() => db.drop());

  it('walks stop and target only from the bar that reaches the entry zone, and counts plans never entered apart', async () => {
    const { plans } = await reviewScorecard(db.sql);
    expect(plans).toEqual({
      n: 6,
      not_triggered: 1,
      stop_first: 1,
      target_first: 2,
      neither: 1,
      open: 1,
      same_bar: 0,
    });
    const outcome = async (model: string) => {
      const p = (await reviewScorecard(db.sql, { model })).plans;
      return (['not_triggered', 'stop_first', 'target_first', 'neither', 'open'] as const).find(
        (k) => p[k] === 1,
      );
    };
    expect(await outcome('A')).toBe('stop_first');
    expect(await outcome('B')).toBe('not_triggered');
    expect(await outcome('C')).toBe('target_first');
    expect(await outcome('D')).toBe('target_first');
    expect(await outcome('G')).toBe('neither');
    expect(await outcome('E')).toBe('open');
  });
});
