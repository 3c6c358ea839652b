import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import {
  AssetDetail,
  AssetList,
  CHART_SERIES,
  DEFAULT_ASSET_COLUMNS,
} from '../../shared/api/contracts/assets.ts';
import { Health } from '../../shared/api/contracts/health.ts';
import { QualityList } from '../../shared/api/contracts/quality.ts';
import { ReviewCosts, ReviewList } from '../../shared/api/contracts/reviews.ts';
import { RunDetail, RunView } from '../../shared/api/contracts/runs.ts';
import { ScheduleList, ScheduleView } from '../../shared/api/contracts/schedules.ts';
import { SignalList } from '../../shared/api/contracts/signals.ts';
import { latestCompleteDay } from '../../shared/calendar/index.ts';
import { STAGES } from '../../shared/domain/stages.ts';
import { FEATURE_NAMES } from '../../shared/features/catalogue.ts';
import { SENTIMENT_INPUTS } from '../../shared/news/sentiment/inputs.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import { AS } from '../support/auth.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, seedAndRun, TEST_DATE } from '../support/pipeline.ts';

describe('control-api (in-process)', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  let app: ReturnType<typeof createApp>;
  const get = (path: string) => app.request(`/control-api${path}`, { headers: AS.reader });
  const json = async (path: string) => {
    const res = await get(path);
    expect(res.status, `GET ${path}`).toBe(200);
    return res.json();
  };
  const send = (method: string, path: string, body: string) =>
    app.request(`/control-api${path}`, {
      method,
      body,
      headers: { ...AS.admin, 'content-type': 'application/json' },
    });
  const post = (path: string, body: string) => send('POST', path, body);

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await seedAndRun(ctx);
    app = createApp(ctx);
  });
  afterAll(() => db.drop());

  it('GET /health answers 200 with the database and the latest runs, without credentials', async () => {
    const res = await app.request('/control-api/health');
    expect(res.status).toBe(200);
    const body = Health.parse(await res.json());
    expect(body.status).toBe('ok');
    expect(body.database.ok).toBe(true);
    expect(body.latest_date).toBe(TEST_DATE);
    // The latest run of every stage for each of the two universes.
    expect(body.runs).toHaveLength(2 * STAGES.length);
  });

  it('GET /assets lists assets with latest features, signals and review; sorted and paginated', async () => {
    const body = AssetList.parse(await json('/assets?asset_type=equity&sort=rsi_14&order=desc&limit=10'));
    expect(body.items).toHaveLength(10);
    expect(body.total).toBeGreaterThanOrEqual(50);
    const rsi = body.items.map((i) => i.features.rsi_14 as number);
    expect(rsi).toEqual([...rsi].sort((a, b) => b - a));
    expect(body.items.every((i) => i.asset_type === 'equity' && i.date === TEST_DATE)).toBe(true);
    expect(Object.keys(body.items[0]!.features)).toEqual([...DEFAULT_ASSET_COLUMNS]);
    expect(body.next_cursor).toEqual(expect.any(String));

    const page2 = AssetList.parse(
      await json('/assets?asset_type=equity&sort=rsi_14&order=desc&limit=10&offset=10'),
    );
    expect(page2.items[0]!.features.rsi_14).toBeLessThanOrEqual(rsi.at(-1)!);

    const search = AssetList.parse(await json('/assets?q=bitcoin'));
    expect(search.items.map((i) => i.symbol)).toContain('BTC');

    const bySignal = AssetList.parse(await json('/assets?sort=signals&order=desc&limit=1'));
    expect(bySignal.items[0]!.signals.length).toBeGreaterThan(0);
  });

  it.each([
    ['symbol', 'asc'],
    ['rsi_14', 'desc'],
    ['close', 'asc'],
    ['change_1d', 'desc'],
    ['strength', 'desc'],
    ['attention_score', 'desc'],
    ['rank_ret_20', 'asc'],
  ])('GET /assets cursor pages sorted by %s %s cover every asset once, in order', async (sort, order) => {
    const all = AssetList.parse(await json(`/assets?sort=${sort}&order=${order}&limit=500&columns=`));
    expect(all.next_cursor).toBeNull();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = AssetList.parse(
        await json(
          `/assets?sort=${sort}&order=${order}&limit=7&columns=${cursor ? `&cursor=${cursor}` : ''}`,
        ),
      );
      expect(page.total).toBe(all.total);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((i) => i.id));
  });

  it('GET /assets counts the total on a first page and carries it along the cursor chain', async () => {
    const first = AssetList.parse(await json('/assets?limit=5&columns='));
    const last = AssetList.parse(await json('/assets?sort=symbol&order=desc&limit=1&columns='));
    const [gone] = await ctx.sql<{ id: number }[]>`
      update assets set active = false where id = ${last.items[0]!.id} returning id`;
    try {
      const next = AssetList.parse(await json(`/assets?limit=5&columns=&cursor=${first.next_cursor}`));
      expect(next.total).toBe(first.total);
      expect(AssetList.parse(await json('/assets?limit=5&columns=')).total).toBe(first.total - 1);
      expect(AssetList.parse(await json('/assets?limit=5&offset=5&columns=')).total).toBe(first.total - 1);
    } finally {
      await ctx.sql`update assets set active = true where id = ${gone!.id}`;
    }
  });

  it('GET /assets filters by feature ranges, universe, signal and data-quality flags', async () => {
    const low = AssetList.parse(await json('/assets?range=rsi_14::45&columns=rsi_14,adx_14&limit=500'));
    expect(low.items.length).toBeGreaterThan(0);
    expect(low.items.every((i) => (i.features.rsi_14 as number) <= 45)).toBe(true);
    expect(Object.keys(low.items[0]!.features)).toEqual(['rsi_14', 'adx_14']);
    const both = AssetList.parse(
      await json('/assets?range=rsi_14:40:60&range=adx_14:15:&columns=rsi_14,adx_14&limit=500'),
    );
    expect(
      both.items.every((i) => {
        const { rsi_14: r, adx_14: a } = i.features as { rsi_14: number; adx_14: number };
        return r >= 40 && r <= 60 && a >= 15;
      }),
    ).toBe(true);

    await ctx.sql`insert into universes (id, name, asset_type, symbols) values ('two_coins', 'Two', 'crypto', '{BTC,ETH}')`;
    const two = AssetList.parse(await json('/assets?universe=two_coins'));
    expect(two.items.map((i) => i.symbol)).toEqual(['BTC', 'ETH']);
    const crypto = AssetList.parse(await json('/assets?universe=crypto_all&limit=500'));
    expect(crypto.items.every((i) => i.asset_type === 'crypto')).toBe(true);
    const top = AssetList.parse(await json('/assets?universe=equity_top500&limit=500'));
    expect(top.total).toBeGreaterThan(0);
    expect(top.items.every((i) => i.asset_type === 'equity')).toBe(true);
    expect((await get('/assets?universe=nowhere')).status).toBe(404);

    const { items: facts } = SignalList.parse(await json(`/signals?date=${TEST_DATE}`));
    const template = facts[0]!.template;
    const fired = AssetList.parse(await json(`/assets?signal=${template}&limit=500`));
    expect(fired.items.map((i) => i.symbol)).toContain(facts[0]!.symbol);
    expect(fired.items.every((i) => i.signals.some((s) => s.template === template))).toBe(true);

    const [btc] = await ctx.sql<{ id: number }[]>`select id from assets where symbol = 'BTC'`;
    await ctx.sql`
      insert into data_quality_ledger (source, symbol, asset_type, date, raw, reason, kind, asset_id)
      values ('demo', 'BTC', 'crypto', ${TEST_DATE}, '{}', 'close jumped 11 standard deviations', 'flagged', ${btc!.id})`;
    const flagged = AssetList.parse(await json('/assets?flagged=true'));
    expect(flagged.items.map((i) => i.symbol)).toEqual(['BTC']);
    expect(flagged.items[0]!.quality_flags).toEqual([
      { kind: 'flagged', reason: 'close jumped 11 standard deviations' },
    ]);
    const clean = AssetList.parse(await json('/assets?flagged=false&limit=500'));
    expect(clean.total).toBe(AssetList.parse(await json('/assets')).total - 1);
    expect(clean.items.map((i) => i.symbol)).not.toContain('BTC');

    const quality = QualityList.parse(await json(`/quality?date=${TEST_DATE}&kind=flagged`));
    expect(quality.items.map((q) => q.symbol)).toEqual(['BTC']);
    expect(QualityList.parse(await json('/quality?kind=gap')).items.every((q) => q.kind === 'gap')).toBe(
      true,
    );
  });

  it('keeps asset_latest and asset_latest_features equal to each asset’s newest bar and features row', async () => {
    const mismatches = () => ctx.sql`
      select a.id from assets a
      left join asset_latest l on l.asset_id = a.id
      left join lateral (select date, close from daily_bars b where b.asset_id = a.id order by date desc limit 1) b on true
      left join asset_latest_features lf on lf.asset_id = a.id
      left join lateral (select * from daily_features f where f.asset_id = a.id order by date desc limit 1) f on true
      where (l.date, l.close) is distinct from (b.date, b.close)
         or to_jsonb(lf) - 'computed_at' is distinct from to_jsonb(f) - 'computed_at'
      union all
      -- asset_screen: the asset, its latest bar and that bar's features row, pre-joined for GET /assets.
      select a.id from assets a
      left join asset_screen s on s.asset_id = a.id
      left join asset_latest l on l.asset_id = a.id
      left join asset_latest_features lf on lf.asset_id = a.id and lf.date = l.date
      where s.asset_id is null
         or (s.symbol, s.name, s.asset_type, s.sector, s.active, s.date, s.close)
            is distinct from (a.symbol, a.name, a.asset_type, a.sector, a.active, l.date, l.close)
         or jsonb_strip_nulls(to_jsonb(s) - array['asset_id', 'symbol', 'name', 'asset_type', 'sector', 'active', 'date', 'close'])
            is distinct from jsonb_strip_nulls(coalesce(to_jsonb(lf) - array['asset_id', 'date', 'computed_at'], '{}'))`;
    expect(await mismatches()).toEqual([]);
    const [columns] = await ctx.sql<{ missing: string[] }[]>`
      select coalesce(array_agg(distinct column_name::text), '{}') as missing from information_schema.columns
      where table_name = 'daily_features' and (column_name not in (
        select column_name from information_schema.columns where table_name = 'asset_latest_features')
        or column_name not in (
        select column_name from information_schema.columns where table_name = 'asset_screen')
        and column_name <> 'computed_at')`;
    expect(columns!.missing).toEqual([]);
    // A renamed or deactivated asset and a revised latest close reach the screen at once.
    const [btc] = await ctx.sql<{ id: number; name: string | null; close: number; high: number }[]>`
      select a.id, a.name, b.close, b.high from assets a join daily_bars b on b.asset_id = a.id
      where a.symbol = 'BTC' and b.date = ${TEST_DATE}`;
    await ctx.sql`update assets set name = 'Bitcoin (renamed)' where id = ${btc!.id}`;
    await ctx.sql`update daily_bars set close = close * 1.5, high = high * 1.5
      where asset_id = ${btc!.id} and date = ${TEST_DATE}`;
    expect(await mismatches()).toEqual([]);
    const renamed = AssetList.parse(await json('/assets?q=renamed'));
    expect(renamed.items.map((i) => i.symbol)).toEqual(['BTC']);
    await ctx.sql`update assets set active = false where id = ${btc!.id}`;
    expect(AssetList.parse(await json('/assets?q=renamed')).items).toEqual([]);
    await ctx.sql`update assets set active = true, name = ${btc!.name} where id = ${btc!.id}`;
    await ctx.sql`update daily_bars set close = ${btc!.close}, high = ${btc!.high}
      where asset_id = ${btc!.id} and date = ${TEST_DATE}`;
    expect(await mismatches()).toEqual([]);

    const [eth] = await ctx.sql<{ id: number }[]>`select id from assets where symbol = 'ETH'`;
    await ctx.sql`delete from daily_features where asset_id = ${eth!.id} and date = ${TEST_DATE}`;
    await ctx.sql`delete from daily_bars where asset_id = ${eth!.id} and date = ${TEST_DATE}`;
    expect(await mismatches()).toEqual([]);
    const [row] = await ctx.sql<
      { date: string }[]
    >`select date from asset_latest where asset_id = ${eth!.id}`;
    expect(row!.date < TEST_DATE).toBe(true);
    // The pipeline's ingest and features stages write the day back; the latest rows follow.
    await post('/runs', JSON.stringify({ stage: 'pipeline', date: TEST_DATE, universe: 'crypto_all' }));
    await drainUntilIdle(ctx, 'latest-test');
    expect(await mismatches()).toEqual([]);
    const [back] = await ctx.sql<
      { date: string }[]
    >`select date from asset_latest_features where asset_id = ${eth!.id}`;
    expect(back!.date).toBe(TEST_DATE);
  });

  it('GET /assets/:type/:symbol returns bars, aligned feature series, signals and reviews', async () => {
    const body = AssetDetail.parse(await json('/assets/crypto/btc?from=2026-06-01'));
    expect(body.asset.symbol).toBe('BTC');
    expect(body.bars[0]!.date).toBe('2026-06-01');
    expect(body.bars.at(-1)!.date).toBe(TEST_DATE);
    expect(body.series.sma_50).toHaveLength(body.bars.length);
    expect(Object.keys(body.series)).toEqual([...CHART_SERIES]);
    expect(body.features.sma_200).toBeTypeOf('number');
    const chosen = AssetDetail.parse(await json('/assets/crypto/BTC?series=rank_ret_20,beta_60'));
    expect(Object.keys(chosen.series)).toEqual(['rank_ret_20', 'beta_60']);
  });

  it('GET /runs lists runs with job counts; GET /runs/:id adds each job and the asset errors', async () => {
    const { items } = (await json(`/runs?date=${TEST_DATE}`)) as { items: unknown[] };
    const runs = items.map((r) => RunView.parse(r));
    expect(runs).toHaveLength(2 * STAGES.length);
    // Review may find no candidate and trade has no portfolio here: they may plan no job.
    expect(
      runs
        .filter((r) => r.jobs.done === 0 && r.stage !== 'review' && r.stage !== 'trade')
        .map((r) => `${r.stage}/${r.universe}`),
    ).toEqual([]);

    const ingest = runs.find((r) => r.stage === 'ingest' && r.universe === 'equity_all')!;
    const detail = RunDetail.parse(await json(`/runs/${ingest.id}`));
    expect(detail).toMatchObject({ id: ingest.id, stage: 'ingest', status: 'succeeded', asset_errors: [] });
    expect(detail.job_list).toHaveLength(ingest.jobs.done);
    for (const job of detail.job_list) {
      expect(job).toMatchObject({ status: 'done', attempts: 1, error: null });
      expect(job.size).toBeGreaterThan(0);
      expect(job.duration_ms).toBeGreaterThanOrEqual(0);
      expect(Date.parse(job.finished_at!)).toBeGreaterThanOrEqual(Date.parse(job.started_at!));
    }
    expect((await get('/runs/999999')).status).toBe(404);
  });

  it('POST /runs/:id/retry re-queues failed jobs; the run finishes again and chains on', async () => {
    const [run] = await ctx.sql<{ id: number }[]>`
      select id from pipeline_runs where stage = 'signals' and universe = 'crypto_all' and run_date = ${TEST_DATE}`;
    const id = run!.id;
    expect((await post(`/runs/${id}/retry`, '')).status).toBe(409);
    // What a worker leaves behind when a job used its last attempt.
    await ctx.sql`update pipeline_jobs set status = 'failed', attempts = 3, last_error = 'boom' where run_id = ${id}`;
    await ctx.sql`update pipeline_runs set status = 'failed', finished_at = now() where id = ${id}`;
    const failed = RunDetail.parse(await json(`/runs/${id}`));
    expect(failed.job_list.every((j) => j.status === 'failed' && j.error === 'boom')).toBe(true);
    expect(failed.errors.map((e) => e.error)).toContain('boom');

    const res = await post(`/runs/${id}/retry`, '');
    expect(res.status).toBe(200);
    const retried = RunDetail.parse(await res.json());
    expect(retried.status).toBe('running');
    expect(retried.job_list.every((j) => j.status === 'queued' && j.attempts === 0 && j.error === null)).toBe(
      true,
    );

    await drainUntilIdle(ctx, 'retry-test');
    const done = RunDetail.parse(await json(`/runs/${id}`));
    expect(done.status).toBe('succeeded');
    expect(done.job_list.every((j) => j.status === 'done' && j.attempts === 1)).toBe(true);
    const [review] = await ctx.sql<{ status: string; started_at: Date }[]>`
      select status, started_at from pipeline_runs
      where stage = 'review' and universe = 'crypto_all' and run_date = ${TEST_DATE}`;
    expect(review!.status).toBe('succeeded');
    expect(review!.started_at.getTime()).toBeGreaterThan(Date.parse(done.created_at));
  });

  it('GET /schedules lists the schedules; PATCH /schedules/:id enables, disables and reschedules', async () => {
    const { items } = ScheduleList.parse(await json('/schedules'));
    expect(items.map((s) => s.id)).toEqual(
      expect.arrayContaining(['daily_crypto', 'daily_equity', 'queue_drain']),
    );

    const off = await send('PATCH', '/schedules/daily_crypto', JSON.stringify({ enabled: false }));
    expect(off.status).toBe(200);
    expect(ScheduleView.parse(await off.json())).toMatchObject({ id: 'daily_crypto', enabled: false });
    const moved = await send(
      'PATCH',
      '/schedules/daily_crypto',
      JSON.stringify({ cron: '30 1 * * *', enabled: true }),
    );
    expect(ScheduleView.parse(await moved.json())).toMatchObject({ cron: '30 1 * * *', enabled: true });
    const [row] = await ctx.sql`select cron, enabled from pipeline_schedules where id = 'daily_crypto'`;
    expect(row).toEqual({ cron: '30 1 * * *', enabled: true });

    const bad = await send('PATCH', '/schedules/daily_crypto', JSON.stringify({ cron: '61 * * * *' }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/minute field "61"/);
    expect((await send('PATCH', '/schedules/nope', JSON.stringify({ enabled: true }))).status).toBe(404);
    expect((await send('PATCH', '/schedules/daily_crypto', '{}')).status).toBe(400);
  });

  it('GET /reviews sorts and filters the day’s reviews with their cost', async () => {
    const byAttention = ReviewList.parse(await json(`/reviews?date=${TEST_DATE}`));
    expect(byAttention.items.length).toBeGreaterThan(0);
    const scores = byAttention.items.map((r) => r.attention_score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(byAttention.items.every((r) => r.model === 'rules' && r.cost_usd === 0)).toBe(true);

    const bySymbol = ReviewList.parse(await json(`/reviews?date=${TEST_DATE}&sort=symbol`));
    const symbols = bySymbol.items.map((r) => r.symbol);
    expect(symbols).toEqual([...symbols].sort());
    const confidence = ReviewList.parse(await json(`/reviews?date=${TEST_DATE}&sort=confidence&order=asc`));
    const c = confidence.items.map((r) => r.confidence as number);
    expect(c).toEqual([...c].sort((a, b) => a - b));

    const direction = byAttention.items[0]!.direction!;
    const filtered = ReviewList.parse(
      await json(
        `/reviews?date=${TEST_DATE}&direction=${direction}&status=valid&model=rules&asset_type=crypto`,
      ),
    );
    expect(filtered.items.every((r) => r.direction === direction && r.asset_type === 'crypto')).toBe(true);
    expect(ReviewList.parse(await json(`/reviews?date=${TEST_DATE}&model=gpt-x`)).items).toEqual([]);

    const costs = ReviewCosts.parse(await json(`/reviews/costs?from=${TEST_DATE}&to=${TEST_DATE}`));
    expect(costs.items.map((r) => r.universe).sort()).toEqual(['crypto_all', 'equity_all']);
    expect(costs.items.every((r) => r.count > 0 && r.cost_usd === 0)).toBe(true);
    expect((await get('/reviews/costs?from=2026-11-21&to=2026-11-20')).status).toBe(400);
  });

  it('GET /signals, /templates and /features answer for the dashboard', async () => {
    const signals = SignalList.parse(await json('/signals'));
    expect(signals.date).toBe(TEST_DATE);
    expect(signals.items.length).toBeGreaterThan(0);
    const templates = (await json('/templates')) as { items: { id: string }[] };
    expect(templates.items.map((t) => t.id)).toEqual(
      expect.arrayContaining(['rsi_oversold', 'trend_breakdown', 'breakout_participation']),
    );
    const features = (await json('/features')) as { items: { name: string; description: string }[] };
    expect(features.items.map((f) => f.name)).toEqual([...FEATURE_NAMES, ...SENTIMENT_INPUTS]);
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
    const { items } = (await json('/runs?latest=true')) as { items: RunView[] };
    const dates = new Set(items.map((r) => `${r.universe}:${r.run_date}`));
    expect(dates).toEqual(
      new Set([`crypto_all:${latestCompleteDay('crypto')}`, `equity_all:${latestCompleteDay('equity')}`]),
    );
  });

  it.each([
    ['GET', '/assets?sort=drop%20table', 400, /cannot sort by/],
    ['GET', '/assets?limit=-1', 400, /limit/],
    ['GET', '/assets?limit=1&limit=2', 400, /limit/],
    ['GET', '/assets?bogus=1', 400, /bogus|Unrecognized/i],
    ['GET', '/assets?range=rsi_14:50:10', 400, /min is above max/],
    ['GET', '/assets?range=nope::1', 400, /unknown feature "nope"/],
    ['GET', '/assets?columns=rsi_14,bogus', 400, /unknown feature\(s\) in columns: bogus/],
    ['GET', '/assets?cursor=abc', 400, /invalid cursor/],
    ['GET', '/assets?cursor=abc&offset=5', 400, /cursor or an offset/],
    ['GET', '/assets/stock/AAPL', 400, /asset_type/],
    ['GET', '/assets/equity/NOPE', 404, /no equity asset "NOPE"/],
    ['GET', '/assets/crypto/BTC?series=sma_20,bogus', 400, /unknown feature\(s\) in series: bogus/],
    ['GET', '/runs?date=2026-13-01', 400, /date/],
    ['GET', '/runs/abc', 400, /not a run id/],
    ['GET', '/reviews?sort=cost', 400, /sort/],
    ['GET', '/quality?kind=odd', 400, /kind/],
    ['GET', '/nowhere', 404, /no route/],
    ['DELETE', '/assets', 404, /no route/],
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
    const res = method === 'GET' ? await get(path) : await send(method, path, body ?? '');
    expect(res.status).toBe(status);
    const err = (await res.json()) as { error: string; code: string };
    expect(err.error).toMatch(message);
    // The stable code follows the status: clients branch on it, not on the message.
    expect(err.code).toBe(status === 400 ? 'invalid_input' : 'not_found');
  });
});
