import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SearchGroupList,
  SearchPrunedList,
  SearchRunList,
  SearchSelection,
  SearchTrialPage,
  WeekdayView,
} from '../../shared/api/contracts/search.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { runWeekday } from '../../shared/search/weekday/run.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import { seedWeekdaySearch, WEEKDAY_GROUP } from '../search/weekday-fixture.ts';
import { AS } from '../support/auth.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture } from '../support/pipeline.ts';

// control-api's /search routes in-process over a real database holding a real 2-cycle search run, its
// pruned variations, a selected group and a weekday run: every answer valid against its documented
// schema and equal to the tables, bad input a 4xx in the JSON error shape.

describe('control-api /search', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  let app: ReturnType<typeof createApp>;
  let runId: number;
  const get = async (path: string) => {
    const res = await app.request(`/control-api${path}`, { headers: AS.reader });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    runId = await seedWeekdaySearch(db.sql, 2);
    await runWeekday(ctx, '2026-11-23', { shortlist: 4, top: 2 });
    await runWeekday(ctx, '2026-11-24', { shortlist: 5, top: 3 });
    app = createApp(ctx);
  }, 180_000);
  afterAll(() => db?.drop());

  it('lists runs with their progress and best score, and one run by id', async () => {
    const list = await get('/search/runs');
    expect(list.status).toBe(200);
    const runs = SearchRunList.parse(list.json);
    expect(runs.items).toHaveLength(1);
    const run = runs.items[0]!;
    const [best] = await db.sql<{ score: number; variation: string }[]>`
      select score, variation from search_trials where run_id = ${runId} order by score desc, seq limit 1`;
    expect(run).toMatchObject({
      id: runId,
      week: '2026-11-16',
      status: 'succeeded',
      cycles_requested: 2,
      cycles_done: 2,
      trials: 160,
      progress: 1,
      budget_left_s: null,
      best_score: best!.score,
      best_variation: best!.variation,
    });
    expect((await get(`/search/runs/${runId}`)).json).toEqual(run);
    expect(SearchRunList.parse((await get('/search/runs?week=2026-11-19')).json).items).toHaveLength(1);
    expect(SearchRunList.parse((await get('/search/runs?week=2026-11-26')).json).items).toHaveLength(0);
  });

  it('pages the trial ledger by score or by order, per algorithm', async () => {
    const page = SearchTrialPage.parse((await get(`/search/runs/${runId}/trials?limit=5&offset=5`)).json);
    expect(page.total).toBe(162);
    expect(page.items).toHaveLength(5);
    const all = await db.sql<{ seq: number; score: number }[]>`
      select seq, score from search_trials where run_id = ${runId} order by score desc, seq`;
    expect(page.items.map((t) => t.seq)).toEqual(all.slice(5, 10).map((t) => t.seq));
    const rsi = SearchTrialPage.parse(
      (await get(`/search/runs/${runId}/trials?algorithm=rsi_oversold&sort=seq&limit=500`)).json,
    );
    expect(rsi.total).toBe(17);
    expect(rsi.items.every((t) => t.algorithm === 'rsi_oversold')).toBe(true);
    expect(rsi.items.map((t) => t.seq)).toEqual([...rsi.items.map((t) => t.seq)].sort((a, b) => a - b));
    expect(rsi.items.at(-1)!.params).toEqual({ period: 14, below: 55 });
  });

  it('serves the pruned variations, the groups and the week’s selection', async () => {
    const pruned = SearchPrunedList.parse((await get(`/search/runs/${runId}/pruned`)).json);
    expect(pruned.items.map((p) => p.variation).sort()).toEqual(WEEKDAY_GROUP.map((g) => g.variation).sort());
    const groups = SearchGroupList.parse((await get(`/search/runs/${runId}/groups`)).json);
    expect(groups.items).toHaveLength(1);
    expect(groups.items[0]!.members).toEqual(WEEKDAY_GROUP);
    const selection = SearchSelection.parse((await get('/search/selection')).json);
    expect(selection.week).toBe('2026-11-16');
    expect(selection.group).toEqual(groups.items[0]);
    expect(SearchSelection.parse((await get('/search/selection?week=2026-11-20')).json).week).toBe(
      '2026-11-16',
    );
    expect((await get('/search/selection?week=2026-11-25')).json).toEqual({
      week: '2026-11-23',
      group: null,
    });
  });

  it('serves a close’s weekday run, the latest by default', async () => {
    const latest = WeekdayView.parse((await get('/search/weekday')).json);
    expect(latest).toMatchObject({ date: '2026-11-24', status: 'picked', shortlist_size: 5, top_n: 3 });
    expect(latest.items.filter((c) => c.pick_rank !== null)).toHaveLength(3);
    expect(latest.items.map((c) => c.sanity_rank)).toEqual(latest.items.map((_, i) => i + 1));
    const monday = WeekdayView.parse((await get('/search/weekday?date=2026-11-23')).json);
    expect(monday).toMatchObject({ date: '2026-11-23', top_n: 2 });
    const none = WeekdayView.parse((await get('/search/weekday?date=2026-11-02')).json);
    expect(none).toMatchObject({ date: '2026-11-02', status: null, items: [] });
  });

  it('answers bad input with 4xx in the JSON error shape', async () => {
    const cases: [string, number, string][] = [
      ['/search/runs/999999', 404, 'not_found'],
      ['/search/runs/999999/trials', 404, 'not_found'],
      ['/search/runs/abc', 400, 'invalid_input'],
      ['/search/runs/0/groups', 400, 'invalid_input'],
      [`/search/runs/${runId}/trials?algorithm=nope`, 400, 'invalid_input'],
      [`/search/runs/${runId}/trials?limit=0`, 400, 'invalid_input'],
      [`/search/runs/${runId}/trials?sort=price`, 400, 'invalid_input'],
      ['/search/runs?week=2026-02-30', 400, 'invalid_input'],
      ['/search/weekday?date=yesterday', 400, 'invalid_input'],
      ['/search/selection?week=2026-11-16&x=1', 400, 'invalid_input'],
    ];
    for (const [path, status, code] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(status);
      expect(res.json.code, path).toBe(code);
      expect(typeof res.json.error, path).toBe('string');
    }
  });
});
