import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPanel } from '../../../shared/engine/load.ts';
import { LEXICON_VERSION } from '../../../shared/news/score/lexicon.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';
import { parseTemplate } from '../../../shared/signals/schema.ts';
import { evaluateSignals } from '../../../shared/stages/signals/index.ts';
import { parseStrategy } from '../../../shared/strategy/spec.ts';
import { resolveUniverse } from '../../../shared/universes/index.ts';
import type { TestDatabase } from '../../support/db.ts';
import { createPipelineFixture, seedAndRun, TEST_DATE } from '../../support/pipeline.ts';
import { everyEquity, rsiStrategy } from '../../support/templates.ts';

// Daily sentiment is read where features are: a template condition and a strategy's panel see the
// stored series of the scorer in use (the lexicon here), and a day without sentiment reads missing.

const FROM = '2026-09-01';

describe('daily sentiment as an input of templates and strategies', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;

  beforeAll(async () => {
    // The demo pipeline, news and sentiment stages included.
    ({ db, ctx } = await createPipelineFixture());
    await seedAndRun(ctx);
  }, 180_000);
  afterAll(async () => {
    await db?.drop();
  });

  /** The stored lexicon series of the equities on days that have a features row. */
  const stored = () =>
    ctx.sql<
      { asset_id: number; symbol: string; date: string; mean: number | null; decayed: number | null }[]
    >`
      select s.asset_id, a.symbol, s.date::text as date, s.mean, s.decayed
      from daily_sentiment s
      join assets a on a.id = s.asset_id and a.asset_type = 'equity'
      join daily_features f on f.asset_id = s.asset_id and f.date = s.date
      where s.scorer_version = ${LEXICON_VERSION} and s.date between ${FROM} and ${TEST_DATE}`;

  it('a template condition on sentiment fires exactly on the days the stored series says', async () => {
    const template = parseTemplate({
      ...everyEquity('upbeat_news'),
      version: 1,
      when: { left: { feature: 'sentiment_mean' }, op: '>', right: { value: 0.3 } },
      evidence: ['sentiment_mean', 'news_count'],
    });
    const { assets } = await resolveUniverse(ctx.sql, 'equity_all');
    const facts = await evaluateSignals(ctx, {
      templates: [template],
      universe: 'equity_all',
      assetIds: assets.map((a) => a.id),
      from: FROM,
      to: TEST_DATE,
    });
    const expected = (await stored()).filter((r) => r.mean !== null && r.mean > 0.3);
    expect(expected.length).toBeGreaterThan(10);
    expect(new Set(facts.map((f) => `${f.assetId}|${f.date}`))).toEqual(
      new Set(expected.map((r) => `${r.asset_id}|${r.date}`)),
    );
  });

  it('a strategy reading sentiment gets the stored series in its panel, missing on days without', async () => {
    const spec = parseStrategy({
      ...rsiStrategy('news_tilt'),
      version: 1,
      entry: {
        long: { when: { left: { feature: 'sentiment_decayed' }, op: '>', right: { value: 0.2 } } },
        max_positions: 5,
      },
    });
    const { panel } = await loadPanel(
      ctx.sql,
      { spec, universe: 'equity_all', from: FROM, to: TEST_DATE },
      { benchmarks: ctx.benchmarks },
    );
    const column = panel.features.get('sentiment_decayed')!;
    const rows = (await stored()).filter((r) => r.decayed !== null);
    expect(rows.length).toBeGreaterThan(10);
    const cell = (symbol: string, date: string) =>
      panel.assets.findIndex((a) => a.symbol === symbol) * panel.nDays + panel.dates.indexOf(date);
    const present = new Set<number>();
    for (const r of rows) {
      const i = cell(r.symbol, r.date);
      if (panel.dates.indexOf(r.date) < 0) continue;
      expect(column[i]).toBe(r.decayed);
      present.add(i);
    }
    // Every other cell of the simulated days is missing: no news is never a neutral 0.
    const first = panel.dates.indexOf(panel.dates.find((d) => d >= FROM)!);
    for (let a = 0; a < panel.assets.length; a++)
      for (let d = first; d < panel.nDays; d++) {
        const i = a * panel.nDays + d;
        if (!present.has(i)) expect(Number.isNaN(column[i]!)).toBe(true);
      }
  });
});
