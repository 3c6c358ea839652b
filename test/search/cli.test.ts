import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradingDays } from '../../shared/calendar/index.ts';
import { stratos } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { seedBars } from './seed.ts';

describe('stratos search', () => {
  let db: TestDatabase;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    const symbols = Array.from(
      { length: 30 },
      (_, i) => `Q${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`,
    );
    await seedBars(db.sql, symbols, tradingDays('equity', '2026-03-02', '2026-11-27'));
  }, 120_000);
  afterAll(async () => {
    process.env.DATABASE_URL = previousUrl;
    await db.drop();
  });

  it('builds the week, runs the cycles into the ledger, prints progress and the top variations', async () => {
    const res = await stratos(
      'search',
      '--week',
      '2026-11-25',
      '--cycles',
      '10',
      '--seed',
      '4',
      '--top',
      '1',
    );
    expect(res.code, res.output).toBe(0);
    expect(res.output).toMatch(
      /dataset 2026-11-23: sessions 2026-11-20 … 2026-11-27, 30 of 30 eligible tickers/,
    );
    expect(res.output).toMatch(/cycle 10\/10, 800 trials, best score/);
    expect(res.output).toMatch(
      /10 cycles, 800 trials in .* stopped by cycles; 800 distinct trials in the week's ledger/,
    );
    for (const id of ['adx_trend', 'donchian_breakout', 'rsi_oversold'])
      expect(res.output).toMatch(new RegExp(`^${id} `, 'm'));
    const [run] = await db.sql`select status, trials, cycles_done from search_runs`;
    expect(run).toEqual({ status: 'succeeded', trials: 800, cycles_done: 10 });
  });

  it('refuses bad options with exit 2 and one readable line, and a week without bars with exit 2', async () => {
    const missing = await stratos('search');
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/search needs --week YYYY-MM-DD/);
    const cycles = await stratos('search', '--week', '2026-11-25', '--cycles', '0');
    expect(cycles.code).toBe(2);
    expect(cycles.output).toMatch(/--cycles must be a whole number from 1/);
    const early = await stratos('search', '--week', '2026-04-01');
    expect(early.code).toBe(2);
    expect(early.output).toMatch(/dates needed/);
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from search_runs`;
    expect(row?.n).toBe(1);
  });
});
