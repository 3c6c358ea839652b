import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stratos } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

/**
 * One symbol whose close swings on a 40-day sine around 100, so SMA 5/20 crosses several times. Each
 * bar opens at the previous close, so fills at the next open are hand-checkable.
 */
function sineCsv(days: number): string {
  const lines = ['date,open,high,low,close,volume'];
  let prev = 100;
  for (let i = 0; i < days; i++) {
    const date = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
    const close = Math.round((100 + 10 * Math.sin((2 * Math.PI * i) / 40)) * 100) / 100;
    lines.push(`${date},${prev},${Math.max(prev, close) + 1},${Math.min(prev, close) - 1},${close},1000`);
    prev = close;
  }
  return `${lines.join('\n')}\n`;
}

describe('stratos backtest and strategies', () => {
  let db: TestDatabase;
  const previousUrl = process.env.DATABASE_URL;
  const dir = mkdtempSync(join(tmpdir(), 'stratos-bt-'));
  const csv = join(dir, 'sine.csv');

  beforeAll(async () => {
    writeFileSync(csv, sineCsv(200));
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
  });
  afterAll(async () => {
    process.env.DATABASE_URL = previousUrl;
    await db.drop();
  });

  it('backtest --csv --json runs a built-in with --set and prints the metrics, the trades and timings', async () => {
    const res = await stratos(
      'backtest',
      '--strategy',
      'sma_cross',
      '--set',
      'fast=5',
      '--set',
      'slow=20',
      '--csv',
      csv,
      '--symbol',
      'SINE',
      '--json',
    );
    expect(res.code, res.output).toBe(0);
    const out = JSON.parse(res.output) as Record<string, unknown> & {
      trade_list: { entry_date: string; exit_date: string; entry_price: number; side: string; qty: number }[];
      timings: Record<string, number>;
    };
    for (const key of [
      'trades',
      'return_pct',
      'cagr_pct',
      'max_drawdown_pct',
      'sharpe',
      'sortino',
      'win_rate_pct',
      'profit_factor',
      'expectancy_pct',
      'exposure_pct',
      'equity_final',
    ])
      expect(out, key).toHaveProperty(key);
    expect(out.trades).toBe(out.trade_list.length);
    expect(out.trades as number).toBeGreaterThan(2);
    // Close-and-reverse: long and short alternate, each entry the day after the previous exit's decision.
    const sides = out.trade_list.map((t) => t.side);
    for (let i = 1; i < sides.length; i++) expect(sides[i]).not.toBe(sides[i - 1]);
    // Fills at the next open: the file's open of the entry day is the previous close.
    expect(Number.isInteger(out.trade_list[0]!.qty)).toBe(true);
    expect(out.timings).toMatchObject({ load_ms: expect.any(Number), simulate_ms: expect.any(Number) });
  });

  it('backtest --csv --walk-forward --json adds the folds, the metrics of each window and the out-of-sample summary', async () => {
    const args = ['backtest', '--strategy', 'sma_cross', '--set', 'fast=5', '--set', 'slow=20', '--csv', csv];
    const wf = ['--symbol', 'SINE', '--walk-forward', 'rolling', '--train', '60', '--test', '30', '--json'];
    const res = await stratos(...args, ...wf);
    expect(res.code, res.output).toBe(0);
    const out = JSON.parse(res.output) as {
      walk_forward: { mode: string; train: number; test: number; step: number; embargo: number };
      folds: {
        train_from: string;
        train_to: string;
        test_from: string;
        test_to: string;
        train: Record<string, number | null>;
        test: Record<string, number | null>;
      }[];
      oos: { summary: { trades: number }; metrics: Record<string, number | null> };
    };
    // The slow average reads 20 bars back: the embargo defaults to that.
    expect(out.walk_forward).toEqual({ mode: 'rolling', train: 60, test: 30, step: 30, embargo: 20 });
    // 200 days hold 60 train + 20 embargo + 30 test, then three more steps of 30.
    const day = (i: number) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
    expect(out.folds.map((f) => [f.train_from, f.train_to, f.test_from, f.test_to])).toEqual(
      [0, 1, 2, 3].map((k) => [day(30 * k), day(30 * k + 59), day(30 * k + 80), day(30 * k + 109)]),
    );
    // Every test window holds positions (a position still open at its end is marked, not counted as a trade).
    for (const f of out.folds) expect(f.test.exposure).toBeGreaterThan(0);
    expect(out.oos.summary.trades).toBe(out.folds.reduce((s, f) => s + (f.test.trades ?? 0), 0));
    expect(out.oos.metrics.total_return).toBeTypeOf('number');

    const anchored = await stratos(...args, ...wf.map((a) => (a === 'rolling' ? 'anchored' : a)));
    const folds = (JSON.parse(anchored.output) as typeof out).folds;
    expect(folds.map((f) => f.train_from)).toEqual([day(0), day(0), day(0), day(0)]);
    expect(folds.map((f) => f.test_from)).toEqual(out.folds.map((f) => f.test_from));

    for (const bad of [
      ['--embargo', '5'],
      ['--step', '10'],
      ['--train', '160'],
      ['--walk-forward', 'sideways'],
    ]) {
      const i = wf.indexOf(bad[0]!);
      const argv = i >= 0 ? wf.map((a, j) => (j === i + 1 ? bad[1]! : a)) : [...wf, ...bad];
      const r = await stratos(...args, ...argv);
      expect(r.code, `${bad.join(' ')}: ${r.output}`).toBe(2);
      expect(r.output.trim().split('\n')).toHaveLength(1);
      expect(r.output).toContain('walk_forward');
    }
    const stray = await stratos(...args, '--symbol', 'SINE', '--train', '60');
    expect(stray.code).toBe(2);
    expect(stray.output).toContain('--walk-forward');
  });

  it('backtest --csv evaluates the built-in templates a spec reads with the signals evaluator: the same trades as their condition inline', async () => {
    const base = {
      id: 'macd_swing',
      version: 1,
      name: 'MACD swing',
      description: 'Long on a MACD cross up, out after 5 bars.',
      type: 'MOM',
      asset_types: ['equity'],
      sizing: { mode: 'all_cash' },
      exit: { time_stop_bars: 5 },
    };
    const byTemplate = join(dir, 'by-template.json');
    const inline = join(dir, 'inline.json');
    writeFileSync(
      byTemplate,
      JSON.stringify({
        ...base,
        entry: { long: { signals: { mode: 'any', templates: ['macd_bullish_cross'] } }, max_positions: 1 },
      }),
    );
    writeFileSync(
      inline,
      JSON.stringify({
        ...base,
        entry: {
          long: { when: { cross: 'above', left: { feature: 'macd' }, right: { feature: 'macd_signal' } } },
          max_positions: 1,
        },
      }),
    );
    const run = async (file: string) => {
      const res = await stratos('backtest', '--strategy', file, '--csv', csv, '--symbol', 'SINE', '--json');
      expect(res.code, res.output).toBe(0);
      return (JSON.parse(res.output) as { trade_list: { entry_rule: string }[] }).trade_list;
    };
    const trades = await run(byTemplate);
    expect(trades.length).toBeGreaterThan(2);
    // The same fills; only the recorded rule names where the entry came from.
    expect(trades.map((t) => t.entry_rule)).toEqual(trades.map(() => 'entry:signal macd_bullish_cross'));
    expect(trades.map((t) => ({ ...t, entry_rule: 'entry:condition' }))).toEqual(await run(inline));
  });

  it('backtest --csv refuses a stored template and an AI review filter in one line (they need the database)', async () => {
    const spec = (entry: Record<string, unknown>) =>
      JSON.stringify({
        id: 'needs_db',
        version: 1,
        name: 'Needs DB',
        description: 'Reads what only the database has.',
        type: 'SIG',
        asset_types: ['equity'],
        sizing: { mode: 'all_cash' },
        exit: { time_stop_bars: 5 },
        entry: { long: entry, max_positions: 1 },
      });
    const stored = join(dir, 'stored.json');
    const reviewed = join(dir, 'reviewed.json');
    writeFileSync(stored, spec({ signals: { mode: 'any', templates: ['my_own_template'] } }));
    writeFileSync(
      reviewed,
      spec({
        when: { left: { feature: 'rsi_14' }, op: '<', right: { value: 40 } },
        review: { direction: 'bullish', min_confidence: 0.6 },
      }),
    );
    const moody = join(dir, 'moody.json');
    writeFileSync(
      moody,
      spec({ when: { left: { feature: 'sentiment_mean' }, op: '>', right: { value: 0.3 } } }),
    );
    for (const [file, message] of [
      [stored, /template "my_own_template" is not built in/],
      [reviewed, /AI review filter needs the database/],
      [moody, /reads news sentiment \(sentiment_mean\) needs the database/],
    ] as const) {
      const res = await stratos('backtest', '--strategy', file, '--csv', csv, '--symbol', 'SINE');
      expect(res.code, res.output).toBe(2);
      expect(res.output.trim().split('\n')).toHaveLength(1);
      expect(res.output).toMatch(message);
    }
  });

  it('bad input exits 2 with one line and stores nothing', async () => {
    const cases = [
      ['backtest', '--strategy', 'nope', '--csv', csv],
      ['backtest', '--strategy', 'sma_cross', '--set', 'fast=40', '--csv', csv],
      ['backtest', '--strategy', 'sma_cross', '--set', 'fast', '--csv', csv],
      ['backtest', '--strategy', 'sma_cross', '--csv', csv, '--symbol', 'SINE', '--from', '2025-06-01'],
      ['backtest', '--strategy', 'sma_cross', '--csv', csv],
      ['backtest', '--strategy', 'sma_cross'],
    ];
    for (const argv of cases) {
      const res = await stratos(...argv);
      expect(res.code, `${argv.join(' ')}: ${res.output}`).toBe(2);
      expect(res.output.trim().split('\n')).toHaveLength(1);
    }
  });

  it('strategies list shows the built-ins; validate names the bad field and exits 2', async () => {
    const list = await stratos('strategies', 'list', '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.output) as { items: { id: string }[] }).items.map((s) => s.id)).toContain(
      'sma_cross',
    );
    const show = await stratos('strategies', 'show', 'sma_cross');
    expect(show.code).toBe(0);
    expect(show.output).toMatch(/fast +default 10, integer in \[2, 400\] +Period of the fast SMA/);
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'bad',
        name: 'x',
        description: 'x',
        type: 'MR',
        asset_types: ['equity'],
        entry: {
          max_positions: 0,
          long: { when: { left: { feature: 'rsi_14' }, op: '<', right: { value: 30 } } },
        },
        sizing: { mode: 'equal' },
      }),
    );
    const bad = await stratos('strategies', 'validate', file);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('entry.max_positions');
  });
});
