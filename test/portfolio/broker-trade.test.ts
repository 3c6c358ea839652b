import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradingDays } from '../../shared/calendar/index.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import {
  approveLive,
  createPortfolio,
  getPortfolio,
  loadLedger,
} from '../../shared/portfolio/ledger/store.ts';
import { tradePortfolio } from '../../shared/portfolio/run/index.ts';
import { engageKillSwitch, releaseKillSwitch } from '../../shared/portfolio/run/kill.ts';
import type { TestDatabase } from '../support/db.ts';
import { type FakeAlpacaBroker, startFakeAlpacaBroker } from '../support/fake-brokers/alpaca.ts';
import { type FakeIbkr, startFakeIbkr } from '../support/fake-brokers/ibkr.ts';
import { fixtureUniverse, ingestUniverse, storedBars } from '../support/ingest.ts';
import { createPipelineFixture, TEST_DATE } from '../support/pipeline.ts';

// Rebalance portfolios trading through Alpaca and IBKR, by the daily trade stage's own function, over
// the real protocols against the fake brokers: the ledger learns fills from the broker, matches its
// positions, never sends a client order id twice (a garbled answer, a 5xx, a crash after the send and
// before the ledger write), live trading needs the server's switch and the portfolio's approval, and
// the kill switch cancels at every broker.

const SYMBOLS = ['AAPL', 'MSFT', 'SPY'];
const RULE = {
  every: 'daily',
  top_n: 2,
  weighting: 'equal',
  max_weight: 0.5,
  threshold: 0.005,
  min_trade_value: 10,
  min_positive_sources: 0,
};

describe('rebalance portfolios at Alpaca and IBKR through the trade stage', () => {
  let db: TestDatabase;
  let base: PipelineContext;
  let alpaca: FakeAlpacaBroker;
  let ibkr: FakeIbkr;
  // The account holds more than any one portfolio: they share it.
  const alpacaOpts = { cash: 1_000_000, marketOpen: true, prices: { AAPL: 1, MSFT: 1, SPY: 1 } };
  let env: Record<string, string>;
  const ctx = (extra: Record<string, string> = {}): PipelineContext => ({
    ...base,
    brokerEnv: { ...env, ...extra },
  });
  const days = tradingDays('equity', '2026-11-09', TEST_DATE);
  const closes = new Map<string, number>();
  /** Both fakes price every symbol at `date`'s close, as the stage runs after it. */
  const closeOf = (date: string) => {
    for (const s of SYMBOLS) {
      const c = closes.get(`${s}|${date}`)!;
      alpaca.setPrice(s, c);
      ibkr.setPrice(s, c);
    }
  };
  /** Client order ids the broker received, with how many times each. */
  const posted = (fake: FakeAlpacaBroker | FakeIbkr) => {
    const ids = fake.requests
      .filter((r) => r.method === 'POST' && /\/orders$/.test(r.path))
      .flatMap((r) =>
        r.body?.orders ? r.body.orders.map((o: { cOID: string }) => o.cOID) : [r.body?.client_order_id],
      );
    const n = new Map<string, number>();
    for (const id of ids) n.set(id, (n.get(id) ?? 0) + 1);
    return n;
  };
  const ledgerPositions = async (id: string) => {
    const ledger = await loadLedger(base.sql, await getPortfolio(base.sql, id));
    return Object.fromEntries([...ledger.positions].map(([k, p]) => [k.split(':')[1], p.qty]));
  };

  beforeAll(async () => {
    ({ db, ctx: base } = await createPipelineFixture());
    await fixtureUniverse(base, 'trio', 'equity', SYMBOLS);
    await ingestUniverse(base, 'trio', TEST_DATE, '2026-06-01');
    for (const b of await storedBars(base, SYMBOLS)) closes.set(`${b.symbol}|${b.date}`, b.close);
    alpaca = await startFakeAlpacaBroker(alpacaOpts);
    ibkr = await startFakeIbkr({ cash: 100_000 });
    env = {
      ALPACA_API_KEY_ID: 'PKTEST',
      ALPACA_API_SECRET_KEY: 'secret',
      ALPACA_LIVE_API_KEY_ID: 'AKLIVE',
      ALPACA_LIVE_API_SECRET_KEY: 'live-secret',
      ALPACA_TRADING_BASE_URL: alpaca.baseUrl,
      IBKR_ACCOUNT_ID: 'DU1234567',
      IBKR_BASE_URL: ibkr.baseUrl,
    };
    for (const [id, broker] of [
      ['alpaca_daily', 'alpaca'],
      ['ibkr_daily', 'ibkr'],
    ])
      await createPortfolio(base.sql, {
        id,
        name: id,
        rule: RULE,
        universe: 'trio',
        broker,
        starting_cash: 100_000,
        start_date: days[0]!,
      });
  }, 120_000);
  afterAll(async () => {
    await alpaca?.close();
    await ibkr?.close();
    await db?.drop();
  });

  it('refuses a strategy portfolio at a real broker: its fills are the engine’s', async () => {
    await expect(
      createPortfolio(base.sql, {
        id: 'strategy_at_alpaca',
        name: 'x',
        strategy: 'demo_sma',
        universe: 'trio',
        broker: 'alpaca',
        starting_cash: 1000,
        start_date: days[0]!,
      }),
    ).rejects.toThrow(/paper broker/);
  });

  it('trades Alpaca day by day: each client order id sent once through a garbled answer, a 5xx and a crash after the send', async () => {
    const crashDay = days[4]!;
    for (const [k, date] of days.entries()) {
      closeOf(date);
      if (k === 2) alpaca.fail('POST /v2/orders', { malformed: true, accepted: true });
      if (k === 3) alpaca.fail('POST /v2/orders', { status: 503 });
      if (date === crashDay) {
        // The process "dies" after the broker took the day's orders and before the ledger holds the day.
        await base.sql.unsafe(`
          create function pg_temp_crash() returns trigger language plpgsql as
            $$ begin raise exception 'injected crash after the send'; end $$;
          create trigger crash_after_send before insert on portfolio_equity for each row
            when (new.portfolio_id = 'alpaca_daily') execute function pg_temp_crash();`);
        const before = alpaca.count('POST /v2/orders');
        await expect(tradePortfolio(ctx(), 'alpaca_daily', date)).rejects.toThrow(/injected crash/);
        expect(alpaca.count('POST /v2/orders')).toBeGreaterThan(before);
        const left = await base.sql`
          select status from portfolio_orders where portfolio_id = 'alpaca_daily' and date = ${date}`;
        expect(left.length).toBeGreaterThan(0);
        expect(left.every((r) => r.status === 'sending')).toBe(true);
        await base.sql.unsafe(
          'drop trigger crash_after_send on portfolio_equity; drop function pg_temp_crash();',
        );
        const sent = alpaca.count('POST /v2/orders');
        await tradePortfolio(ctx(), 'alpaca_daily', date);
        // The rerun looked the orders up by their client order ids and sent nothing again.
        expect(alpaca.count('POST /v2/orders')).toBe(sent);
        const after = await base.sql<{ status: string }[]>`
          select status from portfolio_orders where portfolio_id = 'alpaca_daily' and date = ${date}`;
        expect(after.every((r) => r.status === 'filled')).toBe(true);
        continue;
      }
      await tradePortfolio(ctx(), 'alpaca_daily', date);
    }
    const ids = posted(alpaca);
    expect(ids.size).toBeGreaterThan(5);
    // A 503 before the broker read the order is the one case sent twice: the look-up found nothing.
    for (const [, n] of ids) expect(n).toBeLessThanOrEqual(2);
    expect(alpaca.orders.length).toBe(ids.size);
    expect(new Set(alpaca.orders.map((o) => o.client_order_id)).size).toBe(alpaca.orders.length);
    // The ledger holds exactly the broker's positions, learned from its fills.
    const broker = Object.fromEntries([...alpaca.positions].map(([s, p]) => [s, p.qty]));
    expect(await ledgerPositions('alpaca_daily')).toEqual(broker);
    const fills = await base.sql<{ client_order_id: string; qty: number; note: string }[]>`
      select client_order_id, qty, note from portfolio_fills where portfolio_id = 'alpaca_daily'`;
    const filled = alpaca.orders.filter((o) => o.status === 'filled');
    expect(fills.length).toBe(filled.length);
    for (const f of fills) expect(f.note).toMatch(/^alpaca reported the fill/);
    const equity = await base.sql<{ date: string; cash: number; positions_value: number; equity: number }[]>`
      select date::text, cash, positions_value, equity from portfolio_equity where portfolio_id = 'alpaca_daily' order by date`;
    expect(equity.map((e) => e.date)).toEqual(days);
    for (const e of equity) expect(e.equity).toBeCloseTo(e.cash + e.positions_value, 6);
    // Cash moved as the broker's did (the fake fills at the close it was given, no commission).
    expect(100_000 - equity.at(-1)!.cash).toBeCloseTo(1_000_000 - alpaca.account.cash, 6);
  });

  it('trades IBKR the same way, and a rerun of a recorded day sends nothing', async () => {
    // Five days: the gateway's pacing (one order-list read per 5 s, shared/brokers/ibkr) sets the pace.
    const week = days.slice(0, 5);
    for (const date of week) {
      closeOf(date);
      await tradePortfolio(ctx(), 'ibkr_daily', date);
    }
    const ids = posted(ibkr);
    expect(ids.size).toBeGreaterThan(2);
    for (const [, n] of ids) expect(n).toBe(1);
    const broker = Object.fromEntries([...ibkr.positions].map(([s, p]) => [s, p.qty]));
    expect(await ledgerPositions('ibkr_daily')).toEqual(broker);
    const sent = ibkr.requests.length;
    const out = await tradePortfolio(ctx(), 'ibkr_daily', week.at(-1)!);
    expect(out.days).toBe(0);
    expect(ibkr.requests.length).toBe(sent);
  });

  it('a live portfolio reaches no broker without STRATOS_LIVE_TRADING=enabled, and says why', async () => {
    await createPortfolio(base.sql, {
      id: 'alpaca_live',
      name: 'live',
      rule: RULE,
      universe: 'trio',
      broker: 'alpaca',
      starting_cash: 10_000,
      start_date: days.at(-2)!,
    });
    await approveLive(base.sql, 'alpaca_live', 'test-admin', { STRATOS_LIVE_TRADING: 'enabled' });
    const requests = alpaca.requests.length;
    closeOf(days.at(-2)!);
    await tradePortfolio(ctx(), 'alpaca_live', days.at(-2)!);
    expect(alpaca.requests.length).toBe(requests);
    const [refused] = await base.sql<{ rule: string; reason: string }[]>`
      select rule, reason from portfolio_decisions where portfolio_id = 'alpaca_live'`;
    expect(refused).toEqual({
      rule: 'live_trading_refused',
      reason: expect.stringMatching(/STRATOS_LIVE_TRADING/),
    });
    expect(await base.sql`select 1 from portfolio_orders where portfolio_id = 'alpaca_live'`).toHaveLength(0);
    // With the server's switch on, the approved portfolio trades through its live account and keys.
    const liveAccount = await startFakeAlpacaBroker({ cash: 10_000 });
    try {
      for (const s of SYMBOLS) liveAccount.setPrice(s, closes.get(`${s}|${days.at(-1)!}`)!);
      await tradePortfolio(
        ctx({ STRATOS_LIVE_TRADING: 'enabled', ALPACA_TRADING_BASE_URL: liveAccount.baseUrl }),
        'alpaca_live',
        days.at(-1)!,
      );
      const posts = liveAccount.requests.filter((r) => r.method === 'POST');
      expect(posts.length).toBeGreaterThan(0);
      for (const r of posts) expect(r.headers['apca-api-key-id']).toBe('AKLIVE');
    } finally {
      await liveAccount.close();
    }
    await base.sql`delete from portfolios where id = 'alpaca_live'`;
  });

  it('the kill switch cancels working orders at every broker, records its cause, and blocks new orders', async () => {
    await createPortfolio(base.sql, {
      id: 'alpaca_kill',
      name: 'kill',
      rule: RULE,
      universe: 'trio',
      broker: 'alpaca',
      starting_cash: 20_000,
      start_date: days.at(-2)!,
    });
    // A closed market leaves the orders working.
    alpacaOpts.marketOpen = false;
    closeOf(days.at(-2)!);
    await tradePortfolio(ctx(), 'alpaca_kill', days.at(-2)!);
    const working = await base.sql<{ client_order_id: string }[]>`
      select client_order_id from portfolio_orders where portfolio_id = 'alpaca_kill' and status = 'new'`;
    expect(working.length).toBeGreaterThan(0);
    const out = await engageKillSwitch(base.sql, 'test: broker halt', 'test', env);
    expect(out.brokers).toEqual([
      { broker: 'alpaca', live: false, cancelled: working.length, error: null },
      { broker: 'ibkr', live: false, cancelled: 0, error: null },
    ]);
    expect(out.portfolios).toContain('alpaca_kill');
    expect(alpaca.orders.filter((o) => o.status === 'new')).toHaveLength(0);
    const posts = alpaca.count('POST /v2/orders');
    closeOf(days.at(-1)!);
    await tradePortfolio(ctx(), 'alpaca_kill', days.at(-1)!);
    expect(alpaca.count('POST /v2/orders')).toBe(posts);
    const orders = await base.sql<{ status: string; error: string }[]>`
      select status, error from portfolio_orders where portfolio_id = 'alpaca_kill'`;
    for (const o of orders)
      expect(o).toEqual({ status: 'canceled', error: 'kill switch: test: broker halt' });
    const [halt] = await base.sql<{ rule: string; reason: string }[]>`
      select rule, reason from portfolio_decisions where portfolio_id = 'alpaca_kill' and date = ${days.at(-1)!}`;
    expect(halt?.rule).toBe('trading_disabled');
    expect(halt?.reason).toMatch(/kill switch is engaged \(test: broker halt\)/);
    await releaseKillSwitch(base.sql, 'test');
  });

  it('a broker whose keys are not set stops the run with a clear error, recording nothing', async () => {
    await expect(tradePortfolio({ ...base, brokerEnv: {} }, 'ibkr_daily', TEST_DATE)).rejects.toThrow(
      /IBKR_ACCOUNT_ID is not set/,
    );
  });
});
