import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { stratos } from '../support/cli.ts';
import type { TestDatabase } from '../support/db.ts';
import { ingestUniverse } from '../support/ingest.ts';
import { createPipelineFixture, TEST_DATE, TEST_HISTORY_FROM } from '../support/pipeline.ts';

describe('stratos lifecycle', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await ingestUniverse(ctx, 'equity_all', TEST_DATE, TEST_HISTORY_FROM);
    process.env.DATABASE_URL = db.url;
  }, 240_000);
  afterAll(async () => {
    process.env.DATABASE_URL = previousUrl;
    await db?.drop();
  });

  it('runs one discovery cycle through the queue and lists the board', async () => {
    const run = await stratos('lifecycle', 'run', '--date', TEST_DATE);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(
      new RegExp(`lifecycle \\S+ as of ${TEST_DATE}: run \\d+ succeeded .*"proposed":3`),
    );
    const list = await stratos('lifecycle', 'list');
    expect(list.code, list.output).toBe(0);
    expect(list.output).toMatch(/^tested today 3, success rate [\d.]+%/m);
    expect(list.output).toMatch(/discovery on, 3\/hour over equity_all/);
    const [first] = await ctx.sql<{ strategy_id: string }[]>`
      select strategy_id from strategy_lifecycle order by strategy_id limit 1`;
    const show = await stratos('lifecycle', 'show', first!.strategy_id);
    expect(show.code, show.output).toBe(0);
    expect(show.output).toMatch(/propose\s+-\s+→ backtest system/);
    expect(show.output).toMatch(/(promote|reject)\s+backtest → (paper|rejected)\s+system backtest /);
  }, 240_000);

  it('enrols and pauses with a reason, changes settings, and refuses bad usage with exit 2', async () => {
    expect((await stratos('lifecycle', 'enrol', 'golden_cross')).code).toBe(2);
    const enrol = await stratos('lifecycle', 'enrol', 'golden_cross', '--reason', 'by hand');
    expect(enrol.code, enrol.output).toBe(0);
    const pause = await stratos('lifecycle', 'pause', 'golden_cross', '--reason', 'hold');
    expect(pause).toMatchObject({ code: 0 });
    expect(pause.output).toMatch(/golden_cross: backtest \(paused\) — cli: hold/);
    const again = await stratos('lifecycle', 'pause', 'golden_cross', '--reason', 'hold');
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/already paused/);
    expect((await stratos('lifecycle', 'show', 'no_such')).code).toBe(1);
    expect((await stratos('lifecycle', 'explode', 'golden_cross', '--reason', 'x')).code).toBe(2);
    expect((await stratos('lifecycle', 'config', '--rate', '99')).code).toBe(2);
    expect((await stratos('lifecycle', 'config', '--set', 'min_dsr')).code).toBe(2);
    expect((await stratos('lifecycle', 'config', '--set', 'no_gate=1')).code).toBe(2);
    expect((await stratos('lifecycle', 'run', '--date', 'tomorrow')).code).toBe(2);
    const config = await stratos(
      'lifecycle',
      'config',
      '--discovery',
      'off',
      '--rate',
      '5',
      '--set',
      'min_dsr=0.9',
    );
    expect(config.code, config.output).toBe(0);
    const [row] =
      await ctx.sql`select discovery_enabled, proposals_per_hour, gates, updated_by from lifecycle_config`;
    expect(row).toEqual({
      discovery_enabled: false,
      proposals_per_hour: 5,
      gates: { min_dsr: 0.9 },
      updated_by: 'cli',
    });
  });
});
