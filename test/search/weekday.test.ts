import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rsi } from '../../shared/indicators/rsi/index.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { setKillSwitch } from '../../shared/portfolio/ledger/store.ts';
import { tradePortfolio } from '../../shared/portfolio/run/index.ts';
import { runWeekday } from '../../shared/search/weekday/run.ts';
import { createWeekdayPortfolio } from '../../shared/search/weekday/trade.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture } from '../support/pipeline.ts';
import { seedWeekdaySearch } from './weekday-fixture.ts';

// The weekday run over stored bars and a selected group in the real tables: the candidates are exactly
// the tickers both variations pick on the close (checked with the kernels directly), ranked by the
// documented sanity score, news re-ranks the shortlist, and the weekday portfolio trades the picks at the
// next open with the day-trading exits through the trade path.

describe('weekday run', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  const closes = new Map<string, number[]>();

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await seedWeekdaySearch(db.sql, 1);
    const rows = await db.sql<{ symbol: string; close: number }[]>`
      select a.symbol, b.close from daily_bars b join assets a on a.id = b.asset_id
      where b.date <= '2026-11-24' order by a.symbol, b.date`;
    for (const r of rows) closes.set(r.symbol, [...(closes.get(r.symbol) ?? []), r.close]);
  }, 180_000);
  afterAll(() => db?.drop());

  const candidates = () =>
    db.sql<
      {
        symbol: string;
        sanity_score: number | null;
        sanity_rank: number;
        shortlist_rank: number | null;
        news_score: number | null;
        pick_rank: number | null;
        reason: string;
      }[]
    >`select symbol, sanity_score, sanity_rank, shortlist_rank, news_score, pick_rank, reason
      from search_weekday_candidates where as_of_date = '2026-11-24' order by sanity_rank`;

  it('applies the previous week’s selected group to the close, ranks by sanity, shortlists and picks', async () => {
    const run = await runWeekday(ctx, '2026-11-24', { shortlist: 5, top: 2 });
    expect(run.status).toBe('picked');
    expect(run.group?.week).toBe('2026-11-16');
    // Independently: RSI 14 over the 135 bars the algorithm reads below 55, and the 3-day change at least −2%.
    const expected = [...closes]
      .filter(([, c]) => {
        const last = c.slice(-135);
        const r = rsi(Float64Array.from(last), 14);
        const t = last.length - 1;
        return r[t]! < 55 && (last[t]! / last[t - 3]! - 1) * 100 >= -2;
      })
      .map(([s]) => s)
      .sort();
    expect(expected.length).toBeGreaterThan(5);
    const rows = await candidates();
    expect(rows.map((r) => r.symbol).sort()).toEqual(expected);
    // Sanity: 5-day return over the 20-return volatility scaled to 5 days, best first.
    for (const r of rows) {
      const c = closes.get(r.symbol)!;
      const t = c.length - 1;
      const rets = c
        .slice(t - 19 - 1)
        .map((x, i, a) => (i === 0 ? 0 : x / a[i - 1]! - 1))
        .slice(1);
      const mean = rets.reduce((s, x) => s + x, 0) / 20;
      const sd = Math.sqrt(rets.reduce((s, x) => s + (x - mean) ** 2, 0) / 19);
      expect(r.sanity_score).toBeCloseTo((c[t]! / c[t - 5]! - 1) / (sd * Math.sqrt(5)), 9);
    }
    const scores = rows.map((r) => r.sanity_score!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(rows.filter((r) => r.shortlist_rank !== null)).toHaveLength(5);
    expect(
      rows.slice(5).every((r) => r.shortlist_rank === null && /outside the shortlist/.test(r.reason)),
    ).toBe(true);
    const picks = rows.filter((r) => r.pick_rank !== null).sort((a, b) => a.pick_rank! - b.pick_rank!);
    expect(picks.map((p) => p.pick_rank)).toEqual([1, 2]);
    expect(picks[0]!.reason).toMatch(/no news \(keeps its place\), shortlist 1 → 1: pick 1/);
    const [stored] =
      await db.sql`select count(*)::int as n from sentiment_shortlists where list_id = 'search-weekday'`;
    expect(stored?.n).toBe(5);
  });

  it('lets news move a shortlisted candidate up, and a rerun stores the same rows', async () => {
    const before = await candidates();
    const last = before.find((r) => r.shortlist_rank === 5)!;
    const [article] = await db.sql<{ id: string }[]>`
      insert into news_articles (url_key, url, title, summary, published_at, source)
      values ('test/weekday-news', 'https://example.com/weekday-news',
        ${`${last.symbol} Inc beats estimates and raises full-year guidance`},
        'Record quarter, strong demand, raises dividend', '2026-11-24T15:00:00Z', 'test')
      returning id`;
    const [asset] = await db.sql`select id from assets where symbol = ${last.symbol}`;
    await db.sql`insert into news_mentions (article_id, asset_id, symbol) values (${article!.id}, ${asset!.id}, ${last.symbol})`;
    await runWeekday(ctx, '2026-11-24', { shortlist: 5, top: 2 });
    const after = await candidates();
    const moved = after.find((r) => r.symbol === last.symbol)!;
    expect(moved.news_score).toBeGreaterThan(0.25);
    expect(moved.shortlist_rank).toBeLessThan(5);
    expect(moved.reason).toMatch(/news 0\.\d\d from 1 article\(s\), shortlist 5 → [1-4]/);
    await runWeekday(ctx, '2026-11-24', { shortlist: 5, top: 2 });
    expect(await candidates()).toEqual(after);
  });

  it('stores no_group with the reason when no week before has a selection', async () => {
    const run = await runWeekday(ctx, '2026-11-18');
    expect(run.status).toBe('no_group');
    expect(run.reason).toMatch(/no search group selected/);
    const [row] =
      await db.sql`select status, candidates from search_weekday_runs where as_of_date = '2026-11-18'`;
    expect(row).toEqual({ status: 'no_group', candidates: 0 });
  });

  it('refuses a close without bars as invalid input', async () => {
    await expect(runWeekday(ctx, '2026-11-29')).rejects.toThrow(/no equity bars stored for 2026-11-29/);
  });

  it('trades the picks at the next open with the day-trading exits through the trade path, idempotently', async () => {
    await createWeekdayPortfolio(db.sql, {
      id: 'weekday_test',
      name: 'Weekday picks',
      universe: 'equity_all',
      starting_cash: 100_000,
      start_date: '2026-11-24',
    });
    await tradePortfolio(ctx, 'weekday_test', '2026-11-24');
    const buys = await db.sql<{ symbol: string; rule: string; reason: string }[]>`
      select symbol, rule, reason from portfolio_decisions
      where portfolio_id = 'weekday_test' and date = '2026-11-24' and action = 'BUY' order by symbol`;
    const picks = (await candidates()).filter((r) => r.pick_rank !== null);
    expect(buys.map((b) => b.symbol)).toEqual(picks.map((p) => p.symbol).sort());
    expect(buys.every((b) => b.rule === 'weekday:pick' && /1\/2 of equity/.test(b.reason))).toBe(true);

    await tradePortfolio(ctx, 'weekday_test', '2026-11-25');
    const fills = await db.sql<{ symbol: string; side: string; qty: number; price: number; rule: string }[]>`
      select symbol, side, qty, price, rule from portfolio_fills where portfolio_id = 'weekday_test' order by seq`;
    const bars = await db.sql<{ symbol: string; open: number; high: number; low: number; close: number }[]>`
      select a.symbol, b.open, b.high, b.low, b.close from daily_bars b join assets a on a.id = b.asset_id
      where b.date = '2026-11-25' and a.symbol = any(${picks.map((p) => p.symbol)})`;
    expect(fills).toHaveLength(4);
    let cash = 100_000;
    for (const bar of bars) {
      // The rules restated: 1/2 of equity at the open in whole shares; the bracket target of the entry
      // price, else the 2% trailing stop from the open, else the close.
      const qty = Math.floor(50_000 / bar.open);
      const targetPct = bar.open < 10 ? 0.04 : bar.open < 50 ? 0.03 : bar.open < 200 ? 0.02 : 0.015;
      const target = bar.open * (1 + targetPct);
      const trail = bar.open * 0.98;
      const [exitPrice, exitRule] =
        bar.high >= target
          ? [target, 'exit:target']
          : bar.low <= trail
            ? [trail, 'exit:trailing']
            : [bar.close, 'exit:end_of_day'];
      const own = fills.filter((f) => f.symbol === bar.symbol);
      expect(own).toHaveLength(2);
      expect(own[0]).toMatchObject({ side: 'buy', qty, rule: 'entry:signal search_pick' });
      expect(own[0]!.price).toBeCloseTo(bar.open, 9);
      expect(own[1]).toMatchObject({ side: 'sell', qty, rule: exitRule });
      expect(own[1]!.price).toBeCloseTo(exitPrice, 9);
      cash += qty * (exitPrice - bar.open);
    }
    const equity = await db.sql<{ date: string; equity: number; positions_value: number }[]>`
      select date::text, equity, positions_value from portfolio_equity where portfolio_id = 'weekday_test' order by date`;
    expect(equity.map((e) => e.date)).toEqual(['2026-11-24', '2026-11-25']);
    expect(equity[1]!.equity).toBeCloseTo(cash, 6);
    expect(equity[1]!.positions_value).toBe(0);

    // A rerun adds nothing; a portfolio started earlier and stepped over both days at once trades the same.
    await tradePortfolio(ctx, 'weekday_test', '2026-11-25');
    const [count] =
      await db.sql`select count(*)::int as n from portfolio_fills where portfolio_id = 'weekday_test'`;
    expect(count?.n).toBe(fills.length);
    await createWeekdayPortfolio(db.sql, {
      id: 'weekday_late',
      name: 'Weekday picks, caught up',
      universe: 'equity_all',
      starting_cash: 100_000,
      start_date: '2026-11-24',
    });
    await tradePortfolio(ctx, 'weekday_late', '2026-11-25');
    const late = await db.sql`
      select symbol, side, qty, price, rule from portfolio_fills where portfolio_id = 'weekday_late' order by seq`;
    expect(late).toEqual(fills);
  });
  it('holds with the reason while the kill switch is engaged: no fills, a HOLD decision', async () => {
    await createWeekdayPortfolio(db.sql, {
      id: 'weekday_halted',
      name: 'Weekday picks, halted',
      universe: 'equity_all',
      starting_cash: 100_000,
      start_date: '2026-11-24',
    });
    await tradePortfolio(ctx, 'weekday_halted', '2026-11-24');
    await setKillSwitch(db.sql, true, 'test halt', 'test');
    try {
      await tradePortfolio(ctx, 'weekday_halted', '2026-11-25');
    } finally {
      await setKillSwitch(db.sql, false, null, 'test');
    }
    const [fills] =
      await db.sql`select count(*)::int as n from portfolio_fills where portfolio_id = 'weekday_halted'`;
    expect(fills?.n).toBe(0);
    const held = await db.sql`
      select symbol, action, rule from portfolio_decisions where portfolio_id = 'weekday_halted' and date = '2026-11-25'`;
    expect(held).toEqual([{ symbol: '*', action: 'HOLD', rule: 'trading_disabled' }]);
    const [equity] = await db.sql`
      select equity from portfolio_equity where portfolio_id = 'weekday_halted' and date = '2026-11-25'`;
    expect(equity?.equity).toBe(100_000);
  });
});

describe('weekday run without look-ahead', () => {
  it('gives the same candidates, shortlist and picks on history cut at the close', async () => {
    const full = await createPipelineFixture();
    const cut = await createPipelineFixture();
    try {
      await seedWeekdaySearch(full.db.sql, 1);
      await seedWeekdaySearch(cut.db.sql, 1);
      await cut.db.sql`delete from daily_bars where date > '2026-11-23'`;
      const a = await runWeekday(full.ctx, '2026-11-23', { shortlist: 5, top: 2 });
      const b = await runWeekday(cut.ctx, '2026-11-23', { shortlist: 5, top: 2 });
      expect(a.candidates.length).toBeGreaterThan(0);
      const strip = (r: typeof a) => r.candidates.map(({ asset_id: _, ...c }) => c);
      expect(strip(b)).toEqual(strip(a));
    } finally {
      await full.db.drop();
      await cut.db.drop();
    }
  }, 240_000);
});
