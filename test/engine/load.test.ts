import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ColumnCache,
  loadPanel,
  type StrategyReads,
  strategyReads,
  unionReads,
} from '../../shared/engine/load.ts';
import { buildPanel, type Panel, type PanelRow } from '../../shared/engine/panel.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { BUILTIN_STRATEGIES, builtinSpec } from '../../shared/strategy/builtins/index.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, seedAndRun, TEST_DATE, TEST_HISTORY_FROM } from '../support/pipeline.ts';

/**
 * The panel from plain rows: every bar of the universe in the range with its features (null where no
 * row), the facts of its date and the last valid review, through buildPanel. What the columnar loader
 * must reproduce cell for cell.
 */
async function referencePanel(ctx: PipelineContext, reads: StrategyReads, from: string, to: string) {
  const { sql } = ctx;
  const bars = await sql<(Record<string, number | string | null> & { asset_id: number })[]>`
    select b.asset_id, a.symbol, a.asset_type, b.date::text as date, b.open, b.high, b.low, b.close, b.volume
      ${reads.features.length ? sql`, ${sql(reads.features.map((f) => `f.${f}`))}` : sql``}
    from daily_bars b join assets a on a.id = b.asset_id and a.asset_type = 'equity' and a.active
    left join daily_features f on f.asset_id = b.asset_id and f.date = b.date
    where b.date between ${from}::date and ${to}::date`;
  const facts = await sql<{ key: string; template: string }[]>`
    select asset_id || '|' || date as key, template from daily_signal_facts
    where template = any(${reads.signals}::text[])`;
  const reviews = await sql<
    { key: string; direction: 'bullish' | 'bearish' | 'neutral'; confidence: number }[]
  >`
    select distinct on (asset_id, as_of_date) asset_id || '|' || as_of_date as key, direction, confidence
    from asset_ai_reviews where status = 'valid' and direction is not null
    order by asset_id, as_of_date, created_at desc`;
  const fired = new Map<string, string[]>();
  for (const f of facts) fired.set(f.key, [...(fired.get(f.key) ?? []), f.template]);
  const reviewed = new Map(reviews.map((r) => [r.key, r]));
  const rows: PanelRow[] = bars.map((b) => {
    const key = `${b.asset_id}|${b.date}`;
    const review = reads.reviews ? reviewed.get(key) : undefined;
    return {
      symbol: b.symbol as string,
      assetType: b.asset_type as 'equity',
      date: b.date as string,
      open: b.open as number,
      high: b.high as number,
      low: b.low as number,
      close: b.close as number,
      volume: b.volume as number,
      features: Object.fromEntries(reads.features.map((f) => [f, b[f] as number | null])),
      signals: fired.get(key) ?? [],
      ...(review ? { review: { direction: review.direction, confidence: review.confidence } } : {}),
    };
  });
  return buildPanel(rows, reads);
}

/** Two panels hold the same dates, assets and cells (NaN equal to NaN). */
function expectSamePanel(actual: Panel, expected: Panel) {
  expect(actual.dates).toEqual(expected.dates);
  expect(actual.assets).toEqual(expected.assets);
  const same = (a: ArrayLike<number>, e: ArrayLike<number>, what: string) => {
    expect(a.length, what).toBe(e.length);
    for (let i = 0; i < a.length; i++)
      if (!Object.is(a[i], e[i])) expect(`${what}[${i}] = ${a[i]}`).toBe(`${what}[${i}] = ${e[i]}`);
  };
  for (const k of ['open', 'high', 'low', 'close', 'volume', 'reviewDirection', 'reviewConfidence'] as const)
    same(actual[k], expected[k], k);
  for (const kind of ['features', 'ranks', 'signals'] as const) {
    expect([...actual[kind].keys()].sort()).toEqual([...expected[kind].keys()].sort());
    for (const [name, col] of expected[kind]) same(actual[kind].get(name)!, col, `${kind}.${name}`);
  }
}

describe('loadPanel: the columnar load from the database', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  const benchmarks = { equity: 'SPY', crypto: 'BTC' } as const;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await seedAndRun(ctx);
    const { sql } = ctx;
    // Holes the loader must respect: a gap in one asset's bars (its features and facts those days
    // must not appear), a feature row missing (NaN), an infinite feature value (missing, as in buildPanel).
    const [a, b] = await sql<{ id: number }[]>`
      select id from assets where asset_type = 'equity' and active order by symbol limit 2`;
    await sql`delete from daily_bars where asset_id = ${a!.id} and date between '2026-03-02' and '2026-03-13'`;
    await sql`delete from daily_features where asset_id = ${b!.id} and date between '2026-05-04' and '2026-05-08'`;
    await sql`update daily_features set rsi_14 = 'Infinity' where asset_id = ${b!.id} and date = '2026-06-01'`;
  }, 600_000);
  afterAll(() => db.drop());

  it('gives, for the union of every built-in (features, ranks, facts, reviews), the panel buildPanel gives from plain rows', async () => {
    const reads = unionReads([
      ...BUILTIN_STRATEGIES.map((s) => strategyReads(builtinSpec(s.id))),
      { features: ['rsi_14', 'ret_20'], ranks: ['ret_20'], signals: [], reviews: true, lookback: 0 },
    ]);
    const [facts] = await ctx.sql<{ n: number }[]>`select count(*)::int as n from daily_signal_facts`;
    const [reviews] = await ctx.sql<{ n: number }[]>`
      select count(*)::int as n from asset_ai_reviews where status = 'valid'`;
    // The data exercises every kind of column.
    expect(reads.features.length).toBeGreaterThan(5);
    expect(facts!.n).toBeGreaterThan(0);
    expect(reviews!.n).toBeGreaterThan(0);
    const signals = (
      await ctx.sql<{ template: string }[]>`select distinct template from daily_signal_facts limit 3`
    ).map((r) => r.template);
    const all = { ...reads, signals: [...reads.signals, ...signals].sort() };
    const loaded = await loadPanel(
      ctx.sql,
      {
        spec: builtinSpec('sma_cross'),
        reads: all,
        universe: 'equity_all',
        from: TEST_HISTORY_FROM,
        to: TEST_DATE,
      },
      { benchmarks },
    );
    // More than a year: the load spans several date windows.
    expect(loaded.panel.nDays).toBeGreaterThan(260);
    expectSamePanel(loaded.panel, await referencePanel(ctx, all, loaded.panel.dates[0]!, TEST_DATE));
    expect(loaded.panel.assets[loaded.benchmark!]!.symbol).toBe('SPY');
  });

  it('reads only what one spec needs, warm-up included', async () => {
    const spec = builtinSpec('rsi_macd_momentum');
    const reads = strategyReads(spec);
    const loaded = await loadPanel(
      ctx.sql,
      { spec, universe: 'equity_all', from: '2026-06-01', to: TEST_DATE },
      { benchmarks },
    );
    expect([...loaded.panel.features.keys()].sort()).toEqual(reads.features);
    // The warm-up: `lookback + 1` trading days before `from` are loaded, not simulated.
    expect(loaded.panel.dates[loaded.from]).toBe('2026-06-01');
    expect(loaded.from).toBe(reads.lookback + 1);
    const first = loaded.panel.dates[0]!;
    expectSamePanel(loaded.panel, await referencePanel(ctx, reads, first, TEST_DATE));
  });

  it('refuses a range without bars and a universe without assets, naming them', async () => {
    const spec = builtinSpec('sma_cross');
    await expect(
      loadPanel(
        ctx.sql,
        { spec, universe: 'equity_all', from: '2001-01-01', to: '2001-12-31' },
        { benchmarks },
      ),
    ).rejects.toThrow(/no bars between 2001-01-01 and 2001-12-31/);
    await ctx.sql`insert into universes (id, name, asset_type, symbols) values ('empty_u', 'none', 'equity', '{NOPE}')`;
    await expect(
      loadPanel(ctx.sql, { spec, universe: 'empty_u', from: '2026-01-02', to: TEST_DATE }, { benchmarks }),
    ).rejects.toThrow(/universe "empty_u" has no active assets/);
  });

  // Last: it rewrites stored values to tell cached columns from columns read again.
  it('with a ColumnCache, a later load over dates already read reads only the columns it lacks', async () => {
    const cache = new ColumnCache();
    const first = builtinSpec('rsi_macd_momentum');
    await loadPanel(
      ctx.sql,
      { spec: first, universe: 'equity_all', from: TEST_HISTORY_FROM, to: TEST_DATE },
      { benchmarks, cache },
    );
    // breakout_participation reads atr_14 (cached, with the bars) and rvol_20 and prior_high_20 (not).
    const spec = builtinSpec('breakout_participation');
    const reads = strategyReads(spec);
    await ctx.sql`update daily_features set rvol_20 = 42 where rvol_20 is not null`;
    const opts = { benchmarks, cache };
    const req = { spec, universe: 'equity_all', from: '2026-06-01', to: TEST_DATE };
    const before = await loadPanel(ctx.sql, req, { benchmarks });
    const expected = await referencePanel(ctx, reads, before.panel.dates[0]!, TEST_DATE);
    await ctx.sql`update daily_bars set open = open * 2, high = high * 2, low = low * 2, close = close * 2`;
    await ctx.sql`update daily_features set atr_14 = -1`;
    const loaded = await loadPanel(ctx.sql, req, opts);
    // The bars and atr_14 as the first load read them; rvol_20 read now (42).
    expectSamePanel(loaded.panel, expected);
    expect(loaded.panel.features.get('rvol_20')!.some((x) => x === 42)).toBe(true);
    expect(loaded.from).toBe(before.from);
    // Without the cache the rewritten values show.
    const fresh = await loadPanel(ctx.sql, req, { benchmarks });
    expect(fresh.panel.features.get('atr_14')!.find((x) => !Number.isNaN(x))).toBe(-1);
  });
});
