import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import type { TemplateScorecard } from '../api/contracts/scorecards.ts';
import type { Sql } from '../db/client.ts';
import type { AssetType, Direction } from '../domain/market.ts';
import { templateScorecards } from './scorecard.ts';
import { createTemplate } from './store.ts';

// A constructed market with known answers. Stored trading days t0..t24 are weekdays from
// 2026-01-05, skipping the 2026-01-19 holiday (horizons count stored bars, not calendar days).
//   equity AAA: 100·1.02^t  → every h-day forward return is 1.02^h − 1
//   equity BBB: 100·0.99^t  → 0.99^h − 1
//   equity CCC: 100         → 0
//   crypto XXX: erratic before t10 (500 on t9), then 100·1.05^(t−10) → 1.05^h − 1 from t10 on
//   crypto YYY: 100         → 0
// The same-day mean over the equities is M_h = (A_h + B_h + 0) / 3 on every date; over crypto, X_h / 2.

const DATES = (() => {
  const out: string[] = [];
  for (let d = new Date('2026-01-05T00:00:00Z'); out.length < 35; d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && iso !== '2026-01-19') out.push(iso);
  }
  return out;
})();
const t = (i: number) => DATES[i]!;

const A = (h: number) => 1.02 ** h - 1;
const B = (h: number) => 0.99 ** h - 1;
const X = (h: number) => 1.05 ** h - 1;
const M = (h: number) => (A(h) + B(h)) / 3;

const CLOSES: Record<string, (i: number) => number> = {
  AAA: (i) => 100 * 1.02 ** i,
  BBB: (i) => 100 * 0.99 ** i,
  CCC: () => 100,
  XXX: (i) => (i >= 10 ? 100 * 1.05 ** (i - 10) : i === 9 ? 500 : 50 + i),
  YYY: () => 100,
};

async function insertBars(
  sql: Sql,
  ids: Record<string, number>,
  symbols: string[],
  from: number,
  to: number,
) {
  const rows = symbols.flatMap((s) =>
    DATES.slice(from, to + 1).map((date, k) => {
      const close = CLOSES[s]!(from + k);
      return {
        asset_id: ids[s]!,
        date,
        open: close,
        high: close,
        low: close,
        close,
        volume: 1000,
        source: 'test',
      };
    }),
  );
  await sql`
    insert into daily_bars ${sql(rows, 'asset_id', 'date', 'open', 'high', 'low', 'close', 'volume', 'source')}
    on conflict (asset_id, date) do update set open = excluded.open, high = excluded.high,
      low = excluded.low, close = excluded.close`;
}

const template = (id: string, direction: Direction, asset_types: AssetType[]) => ({
  id,
  name: id,
  description: 'test template',
  direction,
  asset_types,
  when: { left: { feature: 'close' }, op: '>', right: { value: 0 } },
  strength: { base: 50, terms: [] },
  evidence: [],
});

describe('templateScorecards on a constructed market', () => {
  let db: TestDatabase;
  let ids: Record<string, number>;

  const card = async (tpl: string, type: AssetType, opts: Parameters<typeof templateScorecards>[1] = {}) => {
    const { items } = await templateScorecards(db.sql, opts);
    return items.find((c) => c.template === tpl && c.asset_type === type);
  };
  const horizon = (c: TemplateScorecard | undefined, h: number) => c!.horizons.find((x) => x.horizon === h)!;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { sql } = db;
    const assets = await sql<{ id: number; symbol: string }[]>`
      insert into assets (symbol, asset_type) values
        ('AAA', 'equity'), ('BBB', 'equity'), ('CCC', 'equity'), ('XXX', 'crypto'), ('YYY', 'crypto')
      returning id, symbol`;
    ids = Object.fromEntries(assets.map((a) => [a.symbol, a.id]));
    await insertBars(sql, ids, Object.keys(CLOSES), 0, 24);
    await createTemplate(sql, template('test_bull', 'bullish', ['equity', 'crypto']));
    await createTemplate(sql, template('test_bear', 'bearish', ['equity']));
    await createTemplate(sql, template('test_flat', 'neutral', ['equity']));
    const facts: [string, string, number, Direction][] = [
      ['test_bull', 'AAA', 0, 'bullish'],
      ['test_bull', 'BBB', 0, 'bullish'],
      ['test_bull', 'AAA', 22, 'bullish'], // only t23 after it: in h1, out of h5 and h20
      ['test_bear', 'BBB', 3, 'bearish'], // t23 is its 20th bar: in every horizon
      ['test_bear', 'BBB', 24, 'bearish'], // the last bar: counted as a firing, in no horizon
      ['test_flat', 'CCC', 1, 'neutral'],
      ['test_bull', 'XXX', 10, 'bullish'], // t30 does not exist yet: out of h20
    ];
    for (const [tpl, symbol, i, direction] of facts) {
      await sql`
        insert into daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
        values (${ids[symbol]!}, ${t(i)}, ${tpl}, 1, ${direction}, 50, '{}'::jsonb)`;
    }
  });
  afterAll(() => db.drop());

  it('bullish facts: hit rate, mean, median and the same-day baseline per horizon', async () => {
    const c = await card('test_bull', 'equity');
    expect(c).toMatchObject({ direction: 'bullish', direction_adjusted: true, enabled: true, firings: 3 });
    expect(c!.horizons.map((h) => h.horizon)).toEqual([1, 5, 20]);
    const h1 = horizon(c, 1);
    expect(h1.n).toBe(3);
    expect(h1.hit_rate).toBeCloseTo(2 / 3, 12);
    expect(h1.mean).toBeCloseTo((0.02 - 0.01 + 0.02) / 3, 12);
    expect(h1.median).toBeCloseTo(0.02, 12);
    expect(h1.baseline).toBeCloseTo(0.01 / 3, 12);
    expect(h1.edge).toBeCloseTo(0.01 - 0.01 / 3, 12);
    for (const h of [5, 20]) {
      const s = horizon(c, h);
      expect(s.n).toBe(2);
      expect(s.hit_rate).toBe(0.5);
      expect(s.mean).toBeCloseTo((A(h) + B(h)) / 2, 12);
      expect(s.median).toBeCloseTo((A(h) + B(h)) / 2, 12);
      expect(s.baseline).toBeCloseTo(M(h), 12);
      expect(s.edge).toBeCloseTo((A(h) + B(h)) / 2 - M(h), 12);
    }
  });

  it('bearish facts are direction-adjusted, baseline included; a fact on the last bar is in no horizon', async () => {
    const c = await card('test_bear', 'equity');
    expect(c).toMatchObject({ direction: 'bearish', direction_adjusted: true, firings: 2 });
    for (const h of [1, 5, 20]) {
      const s = horizon(c, h);
      expect(s.n).toBe(1);
      expect(s.hit_rate).toBe(1);
      expect(s.mean).toBeCloseTo(-B(h), 12);
      expect(s.median).toBeCloseTo(-B(h), 12);
      expect(s.baseline).toBeCloseTo(-M(h), 12);
      expect(s.edge).toBeCloseTo(-B(h) + M(h), 12);
    }
  });

  it('neutral templates report raw returns and are marked as such', async () => {
    const c = await card('test_flat', 'equity');
    expect(c).toMatchObject({ direction: 'neutral', direction_adjusted: false, firings: 1 });
    for (const h of [1, 5, 20]) {
      expect(horizon(c, h)).toEqual({
        horizon: h,
        n: 1,
        hit_rate: 0,
        mean: 0,
        median: 0,
        baseline: expect.closeTo(M(h), 12),
        edge: expect.closeTo(-M(h), 12),
      });
    }
  });

  it('measures from the signal-day close with bars strictly after it, per asset type', async () => {
    const c = await card('test_bull', 'crypto');
    expect(c!.firings).toBe(1);
    // From t10's close (100), not t9's (500): the drop into the signal day is not a forward return.
    expect(horizon(c, 1)).toMatchObject({ n: 1, hit_rate: 1, mean: expect.closeTo(0.05, 12) });
    expect(horizon(c, 1).baseline).toBeCloseTo(0.025, 12);
    expect(horizon(c, 5).mean).toBeCloseTo(X(5), 12);
    expect(horizon(c, 5).baseline).toBeCloseTo(X(5) / 2, 12);
    expect(horizon(c, 20)).toEqual({
      horizon: 20,
      n: 0,
      hit_rate: null,
      mean: null,
      median: null,
      baseline: null,
      edge: null,
    });
  });

  it('is unchanged by any rewrite of the bars up to the signal date (no look-ahead)', async () => {
    const before = await card('test_bull', 'crypto');
    await db.sql`
      update daily_bars set open = 7, high = 7, low = 7, close = 7
      where asset_id in (${ids.XXX!}, ${ids.YYY!}) and date < ${t(10)}`;
    expect(await card('test_bull', 'crypto')).toEqual(before);
    await insertBars(db.sql, ids, ['XXX', 'YYY'], 0, 9);
  });

  it('updates as new days arrive: a horizon counts a fact once its bars exist', async () => {
    await insertBars(db.sql, ids, ['XXX', 'YYY'], 25, 34);
    const h20 = horizon(await card('test_bull', 'crypto'), 20);
    expect(h20).toMatchObject({ n: 1, hit_rate: 1 });
    expect(h20.mean).toBeCloseTo(X(20), 12);
    expect(h20.baseline).toBeCloseTo(X(20) / 2, 12);
  });

  it('filters by signal date range and asset type; templates that never fired show zero firings', async () => {
    const early = await card('test_bull', 'equity', { to: t(0) });
    expect(early!.firings).toBe(2);
    expect(horizon(early, 1).mean).toBeCloseTo((0.02 - 0.01) / 2, 12);
    const none = await card('test_bear', 'equity', { from: t(4), to: t(23) });
    expect(none!.firings).toBe(0);
    expect(none!.horizons.every((h) => h.n === 0 && h.mean === null)).toBe(true);

    const crypto = await templateScorecards(db.sql, { assetType: 'crypto' });
    expect(crypto.asset_type).toBe('crypto');
    expect(crypto.items.every((c) => c.asset_type === 'crypto')).toBe(true);
    expect(crypto.items.filter((c) => c.template.startsWith('test_')).map((c) => c.template)).toEqual([
      'test_bull',
    ]);
    // Built-ins are stored at migration; with no facts they appear with zero firings.
    expect(crypto.items.find((c) => c.template === 'rsi_oversold')).toMatchObject({ firings: 0 });
  });
});
