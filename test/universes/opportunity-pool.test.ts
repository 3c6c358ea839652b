import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/calendar/index.ts';
import { opportunityPool } from '../../shared/portfolio/screener.ts';
import { resolveUniverse } from '../../shared/universes/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const LAST = '2024-05-31';

/** 30 daily closes/volumes ending on `last`, calm unless the last bar is changed. */
function series(lastClose: number, lastVolume: number, last = LAST) {
  const close = Array.from({ length: 30 }, (_, i) => 100 + (i % 2));
  const volume = Array.from({ length: 30 }, () => 1_000);
  close[29] = lastClose;
  volume[29] = lastVolume;
  const dates = Array.from({ length: 30 }, (_, i) => addDays(last, i - 29));
  return { close, volume, dates };
}

describe('the opportunity-pool universe rule', () => {
  let db: TestDatabase;
  const assets: Record<string, ReturnType<typeof series> & { active?: boolean }> = {
    SPIKE: series(110, 1_000),
    DROP: series(96, 1_000),
    SURGE: series(100, 1_150),
    CALM: series(100, 1_149),
    STALE: series(120, 5_000, addDays(LAST, -1)),
    GONE: { ...series(120, 5_000), active: false },
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const [symbol, s] of Object.entries(assets)) {
      const [a] = await db.sql<{ id: number }[]>`
        insert into assets (symbol, asset_type, active) values (${symbol}, 'equity', ${s.active ?? true}) returning id`;
      const rows = s.dates.map((date, i) => ({
        asset_id: a!.id,
        date,
        open: s.close[i]!,
        high: s.close[i]!,
        low: s.close[i]!,
        close: s.close[i]!,
        volume: s.volume[i]!,
        source: 'test',
      }));
      await db.sql`insert into daily_bars ${db.sql(rows)}`;
    }
  });
  afterAll(async () => {
    await db.drop();
  });

  it('holds the active assets of the latest date passing |z| > 2 or volume ≥ 1.15 × the prior 20-day mean', async () => {
    const { universe, assets: members } = await resolveUniverse(db.sql, 'equity_opportunities');
    expect(universe).toMatchObject({ rank_by: 'opportunity_pool', top_n: 20, asset_type: 'equity' });
    expect(members.map((a) => a.symbol)).toEqual(['DROP', 'SPIKE', 'SURGE']);
    // The same rule in memory over the same bars of the current, active assets.
    const inMemory = opportunityPool(
      ['SPIKE', 'DROP', 'SURGE', 'CALM'].map((s) => ({
        asset: s,
        close: assets[s]!.close,
        volume: assets[s]!.volume,
      })),
      { zThreshold: 2, volumeSurge: 0.15, window: 20, topN: 20, rankBy: 'abs_zscore' },
    );
    expect(inMemory.map((p) => p.asset).sort()).toEqual(['DROP', 'SPIKE', 'SURGE']);
  });

  it('keeps the top N by |z-score|', async () => {
    await db.sql`update universes set top_n = 1 where id = 'equity_opportunities'`;
    const { assets: members } = await resolveUniverse(db.sql, 'equity_opportunities');
    expect(members.map((a) => a.symbol)).toEqual(['SPIKE']);
  });

  it('is empty for a market without bars', async () => {
    const { assets: members } = await resolveUniverse(db.sql, 'crypto_opportunities');
    expect(members).toEqual([]);
  });
});
