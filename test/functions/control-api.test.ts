import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetDetail, AssetList, CHART_SERIES, Health, RunView } from '../../shared/api/schemas.ts';
import { latestCompleteDay } from '../../shared/calendar/index.ts';
import { FEATURE_NAMES } from '../../shared/features/catalogue.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, seedAndRun, TEST_DATE } from '../support/pipeline.ts';

describe('control-api (in-process)', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  let app: ReturnType<typeof createApp>;
  const get = (path: string) => app.request(`/control-api${path}`);
  const post = (path: string, body: string) =>
    app.request(`/control-api${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await seedAndRun(ctx);
    app = createApp(ctx);
  });
  afterAll(() => db.drop());

  it('GET /health answers 200 with the database and the latest runs', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    const body = Health.parse(await res.json());
    expect(body.status).toBe('ok');
    expect(body.database.ok).toBe(true);
    expect(body.latest_date).toBe(TEST_DATE);
    expect(body.runs).toHaveLength(8);
  });

  it('GET /assets lists assets with latest features, signals and review; sorted and paginated', async () => {
    const res = await get('/assets?asset_type=equity&sort=rsi_14&order=desc&limit=10');
    expect(res.status).toBe(200);
    const body = AssetList.parse(await res.json());
    expect(body.items).toHaveLength(10);
    expect(body.total).toBeGreaterThanOrEqual(50);
    const rsi = body.items.map((i) => i.features.rsi_14 as number);
    expect(rsi).toEqual([...rsi].sort((a, b) => b - a));
    expect(body.items.every((i) => i.asset_type === 'equity' && i.date === TEST_DATE)).toBe(true);
    expect(Object.keys(body.items[0]!.features)).toEqual(FEATURE_NAMES);

    const page2 = AssetList.parse(
      await (await get('/assets?asset_type=equity&sort=rsi_14&order=desc&limit=10&offset=10')).json(),
    );
    expect(page2.items[0]!.features.rsi_14).toBeLessThanOrEqual(rsi.at(-1)!);

    const search = AssetList.parse(await (await get('/assets?q=bitcoin')).json());
    expect(search.items.map((i) => i.symbol)).toContain('BTC');

    const bySignal = AssetList.parse(await (await get('/assets?sort=signals&order=desc&limit=1')).json());
    expect(bySignal.items[0]!.signals.length).toBeGreaterThan(0);
  });

  it('GET /assets/:type/:symbol returns bars, aligned feature series, signals and reviews', async () => {
    const res = await get('/assets/crypto/btc?from=2026-06-01');
    expect(res.status).toBe(200);
    const body = AssetDetail.parse(await res.json());
    expect(body.asset.symbol).toBe('BTC');
    expect(body.bars[0]!.date).toBe('2026-06-01');
    expect(body.bars.at(-1)!.date).toBe(TEST_DATE);
    expect(body.series.sma_50).toHaveLength(body.bars.length);
    expect(Object.keys(body.series)).toEqual([...CHART_SERIES]);
    expect(body.features.sma_200).toBeTypeOf('number');
    const chosen = AssetDetail.parse(
      await (await get('/assets/crypto/BTC?series=rank_ret_20,beta_60')).json(),
    );
    expect(Object.keys(chosen.series)).toEqual(['rank_ret_20', 'beta_60']);
  });

  it('GET /runs lists runs with job counts', async () => {
    const res = await get(`/runs?date=${TEST_DATE}`);
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: unknown[] };
    const runs = items.map((r) => RunView.parse(r));
    expect(runs).toHaveLength(8);
    expect(runs.every((r) => r.jobs.done > 0 || r.stage === 'review')).toBe(true);
  });

  it('GET /signals, /reviews, /templates and /features answer for the dashboard', async () => {
    const signals = (await (await get('/signals')).json()) as { date: string; items: unknown[] };
    expect(signals.date).toBe(TEST_DATE);
    expect(signals.items.length).toBeGreaterThan(0);
    const reviews = (await (await get(`/reviews?date=${TEST_DATE}`)).json()) as {
      items: { attention_score: number }[];
    };
    const scores = reviews.items.map((r) => r.attention_score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const templates = (await (await get('/templates')).json()) as { items: { id: string }[] };
    expect(templates.items.map((t) => t.id)).toEqual(
      expect.arrayContaining(['rsi_oversold', 'trend_breakdown', 'breakout_participation']),
    );
    const features = (await (await get('/features')).json()) as {
      items: { name: string; description: string }[];
    };
    expect(features.items.map((f) => f.name)).toEqual(FEATURE_NAMES);
  });

  it('POST /runs starts a stage and answers 202 with the runs', async () => {
    const res = await post(
      '/runs',
      JSON.stringify({ stage: 'signals', date: TEST_DATE, universe: 'crypto_all' }),
    );
    expect(res.status).toBe(202);
    const { runs } = (await res.json()) as { runs: RunView[] };
    expect(runs).toHaveLength(1);
    expect(runs[0]!.stage).toBe('signals');
  });

  it('POST /runs without a date runs each market on its latest complete day', async () => {
    const res = await post('/runs', JSON.stringify({ stage: 'signals' }));
    expect(res.status).toBe(202);
    const { runs } = (await res.json()) as { runs: RunView[] };
    expect(Object.fromEntries(runs.map((r) => [r.universe, r.run_date]))).toEqual({
      crypto_all: latestCompleteDay('crypto'),
      equity_all: latestCompleteDay('equity'),
    });
  });

  it('GET /runs?latest=true shows each universe at its own latest date', async () => {
    const { items } = (await (await get('/runs?latest=true')).json()) as { items: RunView[] };
    const dates = new Set(items.map((r) => `${r.universe}:${r.run_date}`));
    expect(dates).toEqual(
      new Set([`crypto_all:${latestCompleteDay('crypto')}`, `equity_all:${latestCompleteDay('equity')}`]),
    );
  });

  it.each([
    ['GET', '/assets?sort=drop%20table', 400, /cannot sort by/],
    ['GET', '/assets?limit=-1', 400, /limit/],
    ['GET', '/assets?bogus=1', 400, /bogus|Unrecognized/i],
    ['GET', '/assets/stock/AAPL', 400, /asset_type/],
    ['GET', '/assets/equity/NOPE', 404, /no equity asset "NOPE"/],
    ['GET', '/assets/crypto/BTC?series=sma_20,bogus', 400, /unknown feature\(s\) in series: bogus/],
    ['GET', '/runs?date=2026-13-01', 400, /date/],
    ['GET', '/nowhere', 404, /no route/],
    ['POST', '/runs', 400, /not valid JSON/, '{"stage":'],
    ['POST', '/runs', 400, /stage/, '{"date":"2026-11-20"}'],
    ['GET', '/runs?latest=yes', 400, /latest/],
    [
      'POST',
      '/runs',
      400,
      /from must not be after date/,
      '{"stage":"ingest","date":"2026-11-20","from":"2026-11-21"}',
    ],
    ['POST', '/runs', 400, /date/, '{"stage":"pipeline","date":"yesterday"}'],
    ['POST', '/runs', 404, /unknown universe/, '{"stage":"ingest","date":"2026-11-20","universe":"nope"}'],
  ])('%s %s answers %i with a JSON error', async (method, path, status, message, body?: string) => {
    const res = method === 'GET' ? await get(path) : await post(path, body ?? '');
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: string };
    expect(json.error).toMatch(message);
  });
});
