import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradingDays } from '../../shared/calendar/index.ts';
import { sentimentSeries } from '../../shared/news/sentiment/inputs.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createPortfolio, getPortfolio, loadLedger } from '../../shared/portfolio/ledger/store.ts';
import { closedTrades, type TradeFill } from '../../shared/portfolio/ledger/trades.ts';
import { tradePortfolio } from '../../shared/portfolio/run/index.ts';
import { engageKillSwitch } from '../../shared/portfolio/run/kill.ts';
import { isRebalanceDay, planRebalance } from '../../shared/portfolio/run/rebalance.ts';
import { convictionBook, convictionSizing } from '../../shared/risk/conviction.ts';
import type { TestDatabase } from '../support/db.ts';
import { ingestUniverse } from '../support/ingest.ts';
import { createPipelineFixture, TEST_DATE, TEST_HISTORY_FROM } from '../support/pipeline.ts';

// The weekly rebalance on the demo equities through the paper broker: scores → targets → risk → delta
// trades → orders, sells before buys, fills by the fill contract at the next open, the ledger reconciled
// with the broker before each rebalance; rebalancing again on the same inputs sends nothing.

const START = '2026-09-01';
const RULE = { every: 'weekly', weekday: 1, top_n: 5, weighting: 'equal', max_weight: 0.25, threshold: 0.02 };

describe('rebalance portfolio through the paper broker', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  const days = tradingDays('equity', START, TEST_DATE);

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await ingestUniverse(ctx, 'equity_all', TEST_DATE, TEST_HISTORY_FROM);
    await createPortfolio(ctx.sql, {
      id: 'weekly_top5',
      name: 'Weekly top 5 by composite score',
      rule: RULE,
      universe: 'equity_all',
      starting_cash: 50_000,
      start_date: START,
      costs: { fee_rate: 0.0005, fee_fixed: 0, slippage_rate: 0.001 },
    });
    for (const date of days) await tradePortfolio(ctx, 'weekly_top5', date);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('trades weekly, sells before buys, and keeps equity = cash + Σ qty × mark every day', async () => {
    const fills = await ctx.sql<{ date: string; side: string; seq: number }[]>`
      select date::text, side, seq from portfolio_fills where portfolio_id = 'weekly_top5' order by seq`;
    expect(fills.length).toBeGreaterThan(10);
    const byDate = new Map<string, { side: string }[]>();
    for (const f of fills) byDate.set(f.date, [...(byDate.get(f.date) ?? []), f]);
    for (const list of byDate.values()) {
      const firstBuy = list.findIndex((f) => f.side === 'buy');
      if (firstBuy >= 0) expect(list.slice(firstBuy).every((f) => f.side === 'buy')).toBe(true);
    }
    const equity = await ctx.sql<{ date: string; cash: number; positions_value: number; equity: number }[]>`
      select date::text, cash, positions_value, equity from portfolio_equity where portfolio_id = 'weekly_top5' order by date`;
    expect(equity.map((e) => e.date)).toEqual(days);
    for (const e of equity) expect(e.equity).toBeCloseTo(e.cash + e.positions_value, 6);
    const p = await getPortfolio(ctx.sql, 'weekly_top5');
    const ledger = await loadLedger(ctx.sql, p);
    expect(ledger.cash).toBeGreaterThanOrEqual(0);
    const value = [...ledger.positions.values()].reduce((v, x) => v + x.qty * x.mark, 0);
    expect(ledger.cash + value).toBeCloseTo(equity.at(-1)!.equity, 6);
    // Every decision says why.
    const decisions = await ctx.sql<{ action: string; reason: string }[]>`
      select action, reason from portfolio_decisions where portfolio_id = 'weekly_top5'`;
    expect(decisions.some((d) => d.action === 'BUY')).toBe(true);
    for (const d of decisions) expect(d.reason.length).toBeGreaterThan(3);
  });

  it('sends nothing when rebalancing again on the same inputs after the trades filled', async () => {
    const rebalances = days.filter((d) =>
      isRebalanceDay(
        { ...RULE, every: 'weekly', min_trade_value: 100, min_positive_sources: 1 } as never,
        'equity',
        d,
      ),
    );
    const last = rebalances.at(-1)!;
    const after = days[days.indexOf(last) + 1];
    expect(after).toBeDefined();
    const p = await getPortfolio(ctx.sql, 'weekly_top5');
    const ledger = await loadLedger(ctx.sql, p);
    // The last rebalance's orders filled at the next open; the same close's inputs now ask for nothing.
    const again = await planRebalance(ctx.sql, p, ledger, last, ctx.benchmarks, sentimentSeries(ctx));
    expect(again.trades.filter((t) => t.side !== 'HOLD')).toEqual([]);
  });

  it("scores with the configured scorer's sentiment series, never another scorer's", async () => {
    const p = await getPortfolio(ctx.sql, 'weekly_top5');
    const ledger = await loadLedger(ctx.sql, p);
    const date = days.at(-1)!;
    const assets = await ctx.sql<{ id: number; symbol: string }[]>`
      select a.id, a.symbol from assets a join daily_bars b on b.asset_id = a.id and b.date = ${date}
      where a.asset_type = 'equity' order by a.symbol limit 2`;
    const x = assets[0]!;
    const y = assets[1]!;
    // Two series that disagree: x is good news for one scorer and bad news for the other.
    for (const [series, vx, vy] of [
      ['llm:series-test:v1', 0.9, -0.9],
      ['lexicon:series-test:v1', -0.9, 0.9],
    ] as const) {
      await ctx.sql`
        insert into daily_sentiment (asset_id, date, scorer_version, news_count, mean, weighted_mean, dispersion, decayed)
        values (${x.id}, ${date}, ${series}, 2, ${vx}, ${vx}, 0, ${vx}), (${y.id}, ${date}, ${series}, 2, ${vy}, ${vy}, 0, ${vy})`;
    }
    const sentimentOf = async (series: string) => {
      const plan = await planRebalance(ctx.sql, p, ledger, date, ctx.benchmarks, series);
      const of = (s: string) => plan.scores.find((c) => c.asset === s)!.components.sentiment!;
      return of(x.symbol) - of(y.symbol);
    };
    expect(await sentimentOf('llm:series-test:v1')).toBeGreaterThan(0);
    expect(await sentimentOf('lexicon:series-test:v1')).toBeLessThan(0);
    await ctx.sql`delete from daily_sentiment where scorer_version like '%:series-test:v1'`;
  });

  it("sizes by the conviction of the ledger's closed trades known at each rebalance close", async () => {
    const rows = await ctx.sql<{ date: string; reason: string }[]>`
      select date::text, reason from portfolio_decisions
      where portfolio_id = 'weekly_top5' and rule = 'conviction' order by date`;
    expect(rows.length).toBeGreaterThan(3);
    const fills = await ctx.sql<TradeFill[]>`
      select date::text, symbol, asset_type, side, qty, price, fee, rule from portfolio_fills
      where portfolio_id = 'weekly_top5' order by seq`;
    const seen = new Set<number>();
    for (const r of rows) {
      const closed = closedTrades(fills.filter((f) => f.date <= r.date));
      const sizing = convictionSizing(convictionBook(closed), 'rebalance');
      expect(r.reason).toBe(sizing.reason);
      seen.add(sizing.sizeMultiplier);
    }
    // The book moved: trades closed and conviction changed the size over the weeks.
    expect(closedTrades(fills).length).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(1);
  });

  it("stores each rebalance day's composite scores, ranked, with only the components that had an opinion", async () => {
    const rows = await ctx.sql<
      {
        date: string;
        symbol: string;
        score: number | null;
        rank: number;
        components: Record<string, number>;
      }[]
    >`
      select date::text, symbol, score, rank, components from portfolio_scores
      where portfolio_id = 'weekly_top5' order by date, rank`;
    const dates = [...new Set(rows.map((r) => r.date))];
    const decided = await ctx.sql<{ date: string }[]>`
      select distinct date::text from portfolio_decisions where portfolio_id = 'weekly_top5' and rule = 'conviction' order by 1`;
    expect(dates).toEqual(decided.map((d) => d.date));
    for (const date of dates) {
      const day = rows.filter((r) => r.date === date);
      expect(day.map((r) => r.rank)).toEqual(day.map((_, k) => k + 1));
      for (const [k, r] of day.entries()) {
        if (k > 0 && r.score !== null) expect(r.score).toBeLessThanOrEqual(day[k - 1]!.score!);
        const values = Object.values(r.components);
        for (const v of values) expect(Math.abs(v)).toBeLessThanOrEqual(1);
        // Equal weights: the score is the mean of the components present, an abstention counts nowhere.
        if (values.length) expect(r.score).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 12);
        else expect(r.score).toBeNull();
      }
    }
    // Days without news or reviews: sentiment and review abstain and are absent, not 0.
    expect(rows.some((r) => !('review' in r.components))).toBe(true);
  });

  it('records nothing new when a day is run again', async () => {
    const count = async () =>
      ctx.sql`select (select count(*) from portfolio_orders) o, (select count(*) from portfolio_fills) f`;
    const before = await count();
    const out = await tradePortfolio(ctx, 'weekly_top5', TEST_DATE);
    expect(out.days).toBe(0);
    expect(await count()).toEqual(before);
  });

  it('stores the protection locks a rebalance found active, once, beside the decisions they made', async () => {
    await createPortfolio(ctx.sql, {
      id: 'daily_top5',
      name: 'Daily top 5',
      rule: { ...RULE, every: 'daily' },
      universe: 'equity_all',
      starting_cash: 50_000,
      start_date: START,
      costs: { fee_rate: 0.0005, fee_fixed: 0, slippage_rate: 0.001 },
    });
    for (const date of days.slice(0, 25)) await tradePortfolio(ctx, 'daily_top5', date);
    const locks = await ctx.sql<{ rule: string; symbol: string; from_date: string; until_date: string }[]>`
      select rule, symbol, from_date::text, until_date::text from portfolio_locks where portfolio_id = 'daily_top5'`;
    const sells = await ctx.sql<{ symbol: string; date: string }[]>`
      select symbol, date::text from portfolio_fills where portfolio_id = 'daily_top5' and side = 'sell'`;
    expect(sells.length).toBeGreaterThan(0);
    // A sale fills at the open and the same day's rebalance finds its asset cooling down for 5 days.
    const cooldowns = locks.filter((l) => l.rule === 'cooldown');
    expect(cooldowns.length).toBeGreaterThan(0);
    for (const l of cooldowns) {
      expect(sells.some((s) => s.symbol === l.symbol && s.date === l.from_date)).toBe(true);
      expect(Date.parse(l.until_date) - Date.parse(l.from_date)).toBe(5 * 86_400_000);
    }
    const count = async () =>
      (await ctx.sql`select count(*)::int as n from portfolio_locks where portfolio_id = 'daily_top5'`)[0]!.n;
    const before = await count();
    await tradePortfolio(ctx, 'daily_top5', days[24]!);
    expect(await count()).toBe(before);
  });

  it('the kill switch cancels working orders and stops new ones', async () => {
    // A fresh portfolio whose first day leaves orders working until the next open.
    await createPortfolio(ctx.sql, {
      id: 'killed_weekly',
      name: 'Killed',
      rule: RULE,
      universe: 'equity_all',
      starting_cash: 50_000,
      start_date: days.at(-2)!,
    });
    await tradePortfolio(ctx, 'killed_weekly', days.at(-2)!);
    const working =
      await ctx.sql`select 1 from portfolio_orders where portfolio_id = 'killed_weekly' and status = 'accepted'`;
    expect(working.length).toBeGreaterThan(0);
    // It cancels every portfolio's working orders, this one's among them.
    const everyWorking = await ctx.sql`select 1 from portfolio_orders where status = 'accepted'`;
    const out = await engageKillSwitch(ctx.sql, 'test: halt', 'test', {});
    expect(out.cancelled).toBe(everyWorking.length);
    await tradePortfolio(ctx, 'killed_weekly', days.at(-1)!);
    expect(await ctx.sql`select 1 from portfolio_fills where portfolio_id = 'killed_weekly'`).toHaveLength(0);
    const states = await ctx.sql<
      { status: string }[]
    >`select distinct status from portfolio_orders where portfolio_id = 'killed_weekly'`;
    expect(states.map((s) => s.status)).toEqual(['canceled']);
  });
});
