import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../scripts/cli.ts';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { listRuns, triggerRun } from '../../shared/api/service.ts';
import { tradingDays } from '../../shared/calendar/index.ts';
import { drain } from '../../shared/pipeline/queue.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { parseUniverseFile, resolveUniverse, saveListUniverse } from '../../shared/universes/index.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, TEST_DATE } from '../support/pipeline.ts';

const FROM = '2024-06-03';

describe('backfill, universes and the quality ledger', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    process.env.DATABASE_URL = db.url;
  });
  afterAll(async () => {
    process.env.DATABASE_URL = previousUrl;
    await db.drop();
  });

  it('resumes an interrupted backfill and stores nothing twice', async () => {
    const trigger = {
      stage: 'ingest' as const,
      date: TEST_DATE,
      universe: 'equity_all',
      from: FROM,
      symbols: ['AAPL', 'MSFT'],
    };
    await triggerRun(ctx, trigger);
    // The first worker stops after one job (one yearly window), as if interrupted.
    let checks = 0;
    const first = await drain(ctx, { workerId: 'first', budgetMs: 60_000, shouldStop: () => checks++ >= 1 });
    expect(first.processed).toBe(1);
    const [partial] = await ctx.sql<{ n: number }[]>`select count(*)::int as n from daily_bars`;
    expect(partial!.n).toBeGreaterThan(0);

    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await main([
        'backfill',
        '--asset-type',
        'equity',
        '--from',
        FROM,
        '--to',
        TEST_DATE,
        '--symbols',
        'aapl,msft',
      ]);
      expect(code).toBe(0);
    } finally {
      log.mockRestore();
      write.mockRestore();
    }
    const [run] = await listRuns(ctx, {});
    expect(run!.status).toBe('succeeded');
    expect(run!.jobs.done).toBe(3); // three yearly windows for one chunk of two assets
    const rows = await ctx.sql<{ symbol: string; n: number; d: number }[]>`
      select a.symbol, count(*)::int as n, count(distinct b.date)::int as d
      from daily_bars b join assets a on a.id = b.asset_id group by a.symbol order by a.symbol`;
    const days = tradingDays('equity', FROM, TEST_DATE).length;
    expect(rows).toEqual([
      { symbol: 'AAPL', n: days, d: days },
      { symbol: 'MSFT', n: days, d: days },
    ]);
    // Bars written once: the jobs' counters add up to exactly the stored rows.
    expect(run!.summary.bars_written).toBe(2 * days);
  });

  it('resolves top-N universes by dollar volume and list universes from a file', async () => {
    await triggerRun(ctx, { stage: 'pipeline', date: TEST_DATE, universe: 'equity_all', from: '2026-09-01' });
    await drainUntilIdle(ctx);
    await ctx.sql`insert into universes (id, name, asset_type, rank_by, top_n) values ('eq_top5', 'Top 5', 'equity', 'dollar_vol_20', 5)`;
    const { assets } = await resolveUniverse(ctx.sql, 'eq_top5');
    const expected = await ctx.sql<{ symbol: string }[]>`
      select a.symbol from daily_features f join assets a on a.id = f.asset_id
      where f.date = ${TEST_DATE} and a.asset_type = 'equity' order by f.dollar_vol_20 desc limit 5`;
    expect(assets.map((a) => a.symbol)).toEqual(expected.map((r) => r.symbol).sort());

    const symbols = parseUniverseFile('# my watchlist\nnvda\n\nAAPL  # core\nnvda\n');
    expect(symbols).toEqual(['NVDA', 'AAPL']);
    expect(() => parseUniverseFile('AAPL\nDROP TABLE assets;')).toThrow(/not symbols/);
    await saveListUniverse(ctx.sql, { id: 'watch', name: 'Watchlist', assetType: 'equity', symbols });
    expect((await resolveUniverse(ctx.sql, 'watch')).assets.map((a) => a.symbol)).toEqual(['AAPL', 'NVDA']);
  });

  it('shows ledger flags on the asset row of the day they concern', async () => {
    await ctx.sql`
      insert into data_quality_ledger (kind, source, asset_id, symbol, asset_type, date, raw, reason)
      select 'flagged', 'demo', id, symbol, asset_type, ${TEST_DATE}, '{}'::jsonb, 'close moved 40% in a day'
      from assets where symbol = 'NVDA'`;
    const { listAssets } = await import('../../shared/api/assets.ts');
    const list = await listAssets(ctx, { q: 'NVDA', sort: 'symbol', order: 'asc', limit: 5, offset: 0 });
    expect(list.items[0]!.quality_flags).toEqual([{ kind: 'flagged', reason: 'close moved 40% in a day' }]);
  });
});
