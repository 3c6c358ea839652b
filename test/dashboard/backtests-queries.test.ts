import { QueryClient } from '@tanstack/react-query';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configureApi } from '../../dashboard/src/api/client.ts';
import {
  backtestCompareQuery,
  backtestDetailQuery,
  backtestInProgress,
  backtestsListQuery,
} from '../../dashboard/src/api/queries/backtests.ts';
import { strategyDetailQuery, validateStrategy } from '../../dashboard/src/api/queries/strategies.ts';
import { IDLE_POLL_MS, LIVE_POLL_MS } from '../../dashboard/src/lib/runs.ts';
import { startServer } from './http-server.ts';

// A local server stands in for control-api: it answers a backtest list whose status the test sets,
// a detail, and a validation; the tests look at the URLs sent and the polling the answers cause.
let status = 'succeeded';
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  server = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/strategies/validate'))
      res.end(JSON.stringify({ valid: false, issues: [{ path: 'sizing', message: 'bad' }], name: null }));
    else if (req.url?.startsWith('/backtests?')) res.end(JSON.stringify({ items: [{ id: 1, status }] }));
    else res.end(JSON.stringify({ id: 1, status }));
  });
  configureApi({ apiBase: server.url, publishableKey: 'pk', supabaseUrl: null });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

describe('backtest queries', () => {
  it('send the list, detail, comparison and strategy requests control-api routes', async () => {
    const client = new QueryClient();
    await client.fetchQuery(backtestsListQuery({ strategy: 'sma_cross', limit: 25 }));
    await client.fetchQuery(backtestDetailQuery(12));
    await client.fetchQuery(backtestCompareQuery(12, 7));
    await client.fetchQuery(strategyDetailQuery('my strategy'));
    expect(await validateStrategy({ id: 'x' })).toMatchObject({ valid: false });
    expect(server.requests.map((r) => r.url)).toEqual([
      '/backtests?strategy=sma_cross&limit=25',
      '/backtests/12',
      '/backtests/compare?a=12&b=7',
      '/strategies/my%20strategy',
      '/strategies/validate',
    ]);
  });

  it('poll every few seconds while a backtest is queued or running, and stop once it finished', async () => {
    expect(
      ['queued', 'running', 'succeeded', 'failed'].map((s) => backtestInProgress({ status: s as never })),
    ).toEqual([true, true, false, false]);
    for (const [now, list, detail] of [
      ['running', LIVE_POLL_MS, LIVE_POLL_MS],
      ['succeeded', IDLE_POLL_MS, false],
    ] as const) {
      status = now;
      const client = new QueryClient();
      const listQuery = backtestsListQuery({ limit: 50 });
      const detailQuery = backtestDetailQuery(1);
      await client.fetchQuery(listQuery);
      await client.fetchQuery(detailQuery);
      const interval = (q: { refetchInterval?: unknown }, key: readonly unknown[]) =>
        (q.refetchInterval as (query: unknown) => unknown)(client.getQueryCache().find({ queryKey: key }));
      expect(interval(listQuery, listQuery.queryKey)).toBe(list);
      expect(interval(detailQuery, detailQuery.queryKey)).toBe(detail);
    }
  });
});
