import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, latestCompleteDay, todayUtc } from '../../shared/calendar/index.ts';
import { STAGES } from '../../shared/domain/stages.ts';
import { stratos } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const BTC_FILE = new URL('../../../shared/data/crypto/Binance_BTCUSDT_d.csv', import.meta.url).pathname;

describe('stratos CLI', () => {
  let db: TestDatabase;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
  });
  afterAll(async () => {
    process.env.DATABASE_URL = previousUrl;
    await db.drop();
  });

  it('prints the command list and per-command help', async () => {
    const help = await stratos('--help');
    expect(help.code).toBe(0);
    for (const c of [
      'start',
      'migrate',
      'seed-demo',
      'ingest',
      'import-csv',
      'features',
      'signals',
      'review',
      'run',
    ]) {
      expect(help.output).toContain(`  ${c}`);
    }
    const ingest = await stratos('ingest', '--help');
    expect(ingest.code).toBe(0);
    expect(ingest.output).toMatch(/--asset-type/);
    const importHelp = await stratos('import-csv', '--help');
    expect(importHelp.output).toMatch(/case-insensitive/);
  });

  it.each([
    [['bogus'], /unknown command "bogus"/],
    [['ingest', '--date', '2026-02-30'], /2026-02-30 is not a real calendar date/],
    [['ingest', '--asset-type', 'bonds', '--date', '2026-11-20'], /asset_type/],
    [['features', '--nope'], /Unknown option '--nope'/],
    [['import-csv', '--asset-type', 'equity'], /needs a FILE/],
    [['review', '--limit', 'ten'], /number/i],
    [['features-csv', '--in', 'bars.csv'], /needs --in FILE and --out FILE/],
    [['ingest', '--date', '9999-12-31'], /date: 9999-12-31 is out of range: dates from 1900-01-01/],
    [['run', '--date', '0000-01-01'], /0000-01-01 is out of range/],
    [['features', '--from', '1900-02-29'], /from: 1900-02-29 is not a real calendar date/],
    [['ingest', '--asset-type', 'crypto', '--date', todayUtc()], /after the latest complete day of crypto/],
    [['backfill', '--asset-type', 'equity', '--from', '2026-01-02', '--to', '2300-01-01'], /out of range/],
  ])('exits 2 with one readable line for bad usage: %j', async (argv, message) => {
    const res = await stratos(...argv);
    expect(res.code).toBe(2);
    expect(res.output).toMatch(message);
    expect(res.output.split('\n')).toHaveLength(1);
  });

  it('refuses a run date after the universe’s latest complete day once it knows the market, writing nothing', async () => {
    const count = async () => (await db.sql`select count(*)::int as n from pipeline_runs`)[0]!.n as number;
    const before = await count();
    for (const argv of [
      ['signals', '--universe', 'crypto_all', '--date', todayUtc()],
      ['ingest', '--date', addDays(latestCompleteDay('equity'), 1)],
      ['run', '--date', addDays(latestCompleteDay('crypto'), 1)],
    ]) {
      const res = await stratos(...argv);
      expect(res.code, res.output).toBe(2);
      expect(res.output).toMatch(
        /^stratos \w+: run date \d{4}-\d{2}-\d{2} is after the latest complete day of/,
      );
      expect(res.output.split('\n').filter((l) => l.startsWith('stratos'))).toHaveLength(1);
    }
    expect(await count()).toBe(before);
  });

  it('runs only the given stage, and with --chain continues from it instead of restarting at ingest', async () => {
    const date = '2026-11-20';
    const ingest = await stratos('ingest', '--asset-type', 'crypto', '--date', date, '--from', '2026-08-01');
    expect(ingest.code).toBe(0);
    const runs = () =>
      db.sql<{ id: number; stage: string; status: string; started_at: Date }[]>`
        select id, stage, status, started_at from pipeline_runs
        where universe = 'crypto_all' and run_date = ${date} order by id`;
    const [ingested, ...none] = await runs();
    expect(ingested).toMatchObject({ stage: 'ingest', status: 'succeeded' });
    expect(none).toEqual([]);

    const chained = await stratos(
      'features',
      '--asset-type',
      'crypto',
      '--date',
      date,
      '--from',
      '2026-11-01',
      '--chain',
    );
    expect(chained.code).toBe(0);
    expect(chained.output).toMatch(/review\s+crypto_all\s+2026-11-20 succeeded/);
    const after = await runs();
    // The chain goes on from features to the end of the pipeline; news and sentiment are not run.
    expect(after.map((r) => `${r.stage}:${r.status}`)).toEqual(
      ['ingest', ...STAGES.slice(STAGES.indexOf('features'))].map((s) => `${s}:succeeded`),
    );
    // The ingest run was not started again: no provider history fetch.
    expect(after[0]).toEqual(ingested);
    const [reviews] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from asset_ai_reviews where as_of_date = ${date}`;
    expect(reviews!.n).toBeGreaterThan(0);
  });

  it.skipIf(!existsSync(BTC_FILE))(
    'features-csv computes the catalogue for a real Binance export, no database involved',
    async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'stratos-fcsv-')), 'btc-features.csv');
      const res = await stratos('features-csv', '--in', BTC_FILE, '--out', out, '--asset-type', 'crypto');
      expect(res.code).toBe(0);
      expect(res.output).toMatch(/3142 rows x \d+ features for 1 symbol\(s\)/);
      const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
      const header = lines[0]!.split(',');
      expect(header.slice(0, 3)).toEqual(['symbol', 'date', 'ret_1']);
      expect(lines).toHaveLength(3143);
      // The file is newest-first; the output is oldest-first. SMA 20 of the last 20 closes, from the input.
      const closes = readFileSync(BTC_FILE, 'utf8')
        .split('\n')
        .slice(2, 22)
        .map((l) => Number(l.split(',')[6]));
      const last = lines.at(-1)!.split(',');
      expect(last[0]).toBe('BTC');
      expect(last[1]).toBe('2026-03-30');
      expect(Number(last[header.indexOf('sma_20')])).toBeCloseTo(closes.reduce((a, b) => a + b, 0) / 20, 8);
      expect(last[header.indexOf('beta_60')]).toBe('1');
    },
  );

  it('imports a CSV, keeps rejected rows with their reason, and computes features from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratos-cli-'));
    const file = join(dir, 'bars.csv');
    // Real AAL rows from all_stocks_5yr.csv, plus one broken row (high below low).
    writeFileSync(
      file,
      [
        'date,open,high,low,close,volume,Name',
        '2013-02-08,15.07,15.12,14.63,14.75,8407500,AAL',
        '2013-02-11,14.89,15.01,14.26,14.46,8882000,AAL',
        '2013-02-12,14.45,14.51,14.1,14.27,8126000,AAL',
        '2013-02-13,14.3,14.94,14.25,14.66,10259500,AAL',
        '2013-02-14,14.94,14.96,13.16,13.99,31879900,AAL',
        '2013-02-15,13.93,14.61,13.93,14.5,15628000,AAL',
        '2013-02-19,14.33,14.56,14.08,14.26,11354400,AAL',
        '2013-02-20,14.17,14.26,13.15,13.33,14725200,AAL',
        '2013-02-21,13.62,13.95,12.9,13.37,11922100,AAL',
        '2013-02-22,13.57,13.6,13.21,13.57,6071400,AAL',
        '2013-02-25,13.6,13.76,13.0,13.02,7186400,AAL',
        '2013-02-26,13.14,13.42,12.7,13.26,9419000,AAL',
        '2013-02-27,13.28,13.62,13.18,13.41,7390500,AAL',
        '2013-02-28,13.49,13.63,13.39,13.43,6143600,AAL',
        '2013-03-01,13.37,13.95,13.32,13.61,7376800,AAL',
        '2013-03-04,13.5,14.07,13.47,13.9,8174800,AAL',
        '2013-03-05,14.01,14.05,13.71,14.05,7676100,AAL',
        '2013-03-06,14.52,14.68,14.25,14.57,13243200,AAL',
        '2013-03-07,14.7,14.93,14.5,14.82,9125300,AAL',
        '2013-03-08,14.99,15.2,14.84,14.92,10593700,AAL',
        '2013-03-11,14.85,15.15,14.71,15.13,6961800,AAL',
        '2013-03-12,15.14,15.6,14.95,15.5,8999100,AAL',
        '2013-03-13,10.0,9.0,11.0,10.5,100,AAL',
      ].join('\n'),
    );
    const imported = await stratos('import-csv', file, '--asset-type', 'equity');
    expect(imported.code).toBe(0);
    expect(imported.output).toMatch(
      /22 bars for 1 symbol\(s\): 22 new, 0 changed, 0 unchanged; 1 rejected, 0 flagged \(1 new ledger rows\)/,
    );
    const [rejected] = await db.sql`select reason, symbol from data_quality_ledger`;
    expect(rejected!.reason).toMatch(/high/);

    const again = await stratos('import-csv', file, '--asset-type', 'equity');
    expect(again.output).toMatch(
      /: 0 new, 0 changed, 22 unchanged; 1 rejected, 0 flagged \(0 new ledger rows\)/,
    );
    const [ledger] = await db.sql<{ n: number }[]>`select count(*)::int as n from data_quality_ledger`;
    expect(ledger!.n).toBe(1);

    const features = await stratos(
      'features',
      '--asset-type',
      'equity',
      '--date',
      '2013-03-12',
      '--from',
      '2013-02-08',
    );
    expect(features.code).toBe(0);
    expect(features.output).toMatch(/features\s+equity_all\s+2013-03-12 succeeded .*feature_rows=22/);
    const [row] = await db.sql<{ sma_20: number; rsi_14: number }[]>`
      select sma_20, rsi_14 from daily_features where date = '2013-03-12'`;
    // SMA 20 of the 20 closes 2013-02-12 .. 2013-03-12 (hand-summed: 281.57 / 20).
    expect(row!.sma_20).toBeCloseTo(14.0785, 10);
    expect(row!.rsi_14).toBeGreaterThan(50);
  });
});
