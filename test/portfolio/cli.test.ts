import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradingDays } from '../../shared/calendar/index.ts';
import { stratos } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// The portfolio commands end to end in-process over a real database: bars from a CSV, a weekly rebalance
// portfolio dry-run and executed, a strategy portfolio reconciled, the kill switch, bad usage (exit 2) and a
// refused live approval (exit 1, one line).

const DAYS = tradingDays('equity', '2024-01-02', '2024-06-28');

/** Four symbols with different drifts, so the composite score's momentum ranks them. */
function csv(): string {
  const lines = ['date,symbol,open,high,low,close,volume'];
  const drift: Record<string, number> = { AAA: 0.004, BBB: 0.002, CCC: -0.001, DDD: 0.001 };
  for (const [symbol, mu] of Object.entries(drift)) {
    let prev = 50;
    DAYS.forEach((date, i) => {
      const close = Math.round(prev * (1 + mu + 0.01 * Math.sin(i / 3)) * 100) / 100;
      lines.push(
        `${date},${symbol},${prev},${Math.max(prev, close) + 0.5},${Math.min(prev, close) - 0.5},${close},100000`,
      );
      prev = close;
    });
  }
  return `${lines.join('\n')}\n`;
}

describe('stratos portfolio, rebalance', () => {
  let db: TestDatabase;
  const previousUrl = process.env.DATABASE_URL;
  const file = join(mkdtempSync(join(tmpdir(), 'stratos-pf-')), 'bars.csv');
  const last = DAYS.at(-1)!;

  beforeAll(async () => {
    writeFileSync(file, csv());
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    expect((await stratos('import-csv', file, '--asset-type', 'equity')).code).toBe(0);
  });
  afterAll(async () => {
    process.env.DATABASE_URL = previousUrl;
    await db.drop();
  });

  it('creates a rebalance portfolio, prints the dry-run table, then executes on paper', async () => {
    const created = await stratos(
      'portfolio',
      'create',
      '--id',
      'weekly_two',
      '--universe',
      'equity_all',
      '--top-n',
      '2',
      '--start',
      DAYS.at(-3)!,
      '--cash',
      '10000',
    );
    expect(created.code).toBe(0);
    const dry = await stratos('rebalance', '--portfolio', 'weekly_two', '--dry-run', '--date', DAYS.at(-3)!);
    expect(dry.code).toBe(0);
    expect(dry.output).toMatch(/dry run, nothing sent/);
    expect(dry.output).toMatch(/^BUY\s+AAA\s/m);
    expect(await db.sql`select 1 from portfolio_orders`).toHaveLength(0);
    for (const date of DAYS.slice(-3))
      expect((await stratos('rebalance', '--portfolio', 'weekly_two', '--date', date)).code).toBe(0);
    const fills = await db.sql<{ symbol: string }[]>`select distinct symbol from portfolio_fills order by 1`;
    expect(fills.map((f) => f.symbol)).toEqual(['AAA', 'BBB']);
    const show = await stratos('portfolio', 'show', 'weekly_two');
    expect(show.output).toMatch(/equity:AAA/);
    expect((await stratos('portfolio', 'list')).output).toMatch(/weekly_two/);
  });

  it('reconciles a strategy portfolio with its backtest', async () => {
    expect(
      (
        await stratos(
          'portfolio',
          'create',
          '--id',
          'sma',
          '--universe',
          'equity_all',
          '--strategy',
          'sma_cross',
          '--start',
          DAYS[60]!,
        )
      ).code,
    ).toBe(0);
    expect((await stratos('rebalance', '--portfolio', 'sma', '--date', last)).code).toBe(0);
    const rec = await stratos('portfolio', 'reconcile', 'sma');
    expect(rec.code).toBe(0);
    expect(rec.output).toMatch(/0 difference\(s\)/);
  });

  it('engages and releases the kill switch', async () => {
    expect((await stratos('portfolio', 'kill', '--reason', 'test')).output).toMatch(/kill switch engaged/);
    const [s] = await db.sql`select killed, reason from trading_switch`;
    expect(s).toEqual({ killed: true, reason: 'test' });
    expect((await stratos('portfolio', 'resume')).code).toBe(0);
    expect((await db.sql`select killed from trading_switch`)[0]!.killed).toBe(false);
  });

  it('exits 2 on bad usage and 1 with one line when live trading is not allowed', async () => {
    expect((await stratos('portfolio', 'create', '--universe', 'equity_all')).code).toBe(2);
    expect((await stratos('portfolio', 'frobnicate')).code).toBe(2);
    expect((await stratos('portfolio', 'create', '--id', 'Bad Id', '--universe', 'equity_all')).code).toBe(2);
    expect((await stratos('portfolio', 'reconcile', 'weekly_two')).code).toBe(2);
    expect((await stratos('portfolio', 'live', 'weekly_two')).code).toBe(2);
    const live = await stratos('portfolio', 'live', 'weekly_two', '--confirm');
    expect(live.code).toBe(1);
    expect(live.output.split('\n')).toHaveLength(1);
    expect(live.output).toMatch(/STRATOS_LIVE_TRADING/);
    expect((await stratos('rebalance', '--portfolio', 'nope', '--dry-run')).code).toBe(1);
  });

  it('an Alpaca portfolio without its keys: the rebalance stops with one line, the kill switch reports the account', async () => {
    // No test reaches a broker: whatever the machine's environment holds, no Alpaca key is set here.
    const saved = Object.entries(process.env).filter(([k]) => k.startsWith('ALPACA_'));
    for (const [k] of saved) delete process.env[k];
    try {
      const created = await stratos(
        'portfolio',
        'create',
        '--id',
        'at_alpaca',
        '--universe',
        'equity_all',
        '--broker',
        'alpaca',
        '--start',
        last,
      );
      expect(created.code).toBe(0);
      expect(created.output).toMatch(/at_alpaca\s+paper\s+alpaca/);
      const run = await stratos('rebalance', '--portfolio', 'at_alpaca', '--date', last);
      expect(run.code).not.toBe(0);
      expect(run.output.trim().split('\n')).toHaveLength(1);
      expect(run.output).toMatch(
        /at_alpaca.*alpaca: ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY are not set/,
      );
      const kill = await stratos('portfolio', 'kill', '--reason', 'cli test');
      expect(kill.code).toBe(1);
      expect(kill.output).toMatch(
        /alpaca: NOT CANCELLED: ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY are not set/,
      );
      expect((await stratos('portfolio', 'resume')).code).toBe(0);
      expect(
        (await stratos('portfolio', 'create', '--id', 'x_y', '--universe', 'equity_all', '--broker', 'nyse'))
          .code,
      ).toBe(2);
    } finally {
      for (const [k, v] of saved) process.env[k] = v;
    }
  });
});
