import { QueryClient, type QueryKey } from '@tanstack/react-query';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configureApi } from '../../dashboard/src/api/client.ts';
import { assetDetailQuery, assetKeys, assetListQuery } from '../../dashboard/src/api/queries/assets.ts';
import {
  backtestCompareQuery,
  backtestDetailQuery,
  backtestKeys,
  backtestsListQuery,
} from '../../dashboard/src/api/queries/backtests.ts';
import { featureKeys, featuresQuery } from '../../dashboard/src/api/queries/features.ts';
import { healthKeys, healthQuery } from '../../dashboard/src/api/queries/health.ts';
import { learningKeys, learningOverviewQuery } from '../../dashboard/src/api/queries/learning.ts';
import { qualityKeys, qualityListQuery } from '../../dashboard/src/api/queries/quality.ts';
import {
  reviewCostsQuery,
  reviewKeys,
  reviewScorecardQuery,
  reviewsListQuery,
  TOP_REVIEWS,
} from '../../dashboard/src/api/queries/reviews.ts';
import {
  invalidateRunOutputs,
  invalidateRuns,
  LATEST_RUNS,
  runDetailQuery,
  runKeys,
  runsListQuery,
} from '../../dashboard/src/api/queries/runs.ts';
import { scheduleKeys, schedulesQuery } from '../../dashboard/src/api/queries/schedules.ts';
import { signalFeedQuery, signalKeys, signalsListQuery } from '../../dashboard/src/api/queries/signals.ts';
import {
  strategiesQuery,
  strategyDetailQuery,
  strategyKeys,
} from '../../dashboard/src/api/queries/strategies.ts';
import {
  invalidateTemplates,
  templateDetailQuery,
  templateKeys,
  templatePreviewQuery,
  templateScorecardsQuery,
  templatesQuery,
} from '../../dashboard/src/api/queries/templates.ts';
import { startServer } from './http-server.ts';

let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  // Answers every GET with an empty list; the tests look at which URLs and keys the factories use.
  server = await startServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ items: [], runs: [], date: null }));
  });
  configureApi({ apiBase: server.url, publishableKey: 'pk', supabaseUrl: null });
});
afterAll(() => server.close());

const KEYS = {
  assets: assetKeys,
  backtests: backtestKeys,
  features: featureKeys,
  health: healthKeys,
  learning: learningKeys,
  quality: qualityKeys,
  reviews: reviewKeys,
  runs: runKeys,
  schedules: scheduleKeys,
  signals: signalKeys,
  strategies: strategyKeys,
  templates: templateKeys,
};

/** Every query factory of the dashboard, with the resource whose keys it must use. */
const QUERIES = [
  ['health', healthQuery()],
  ['assets', assetListQuery({ sort: 'symbol' })],
  ['assets', assetDetailQuery('equity', 'AAPL')],
  ['runs', runsListQuery(LATEST_RUNS)],
  ['runs', runsListQuery({ date: '2026-12-04', limit: 50 })],
  ['runs', runDetailQuery(7)],
  ['schedules', schedulesQuery()],
  ['reviews', reviewsListQuery(TOP_REVIEWS)],
  ['reviews', reviewScorecardQuery({ asset_type: 'crypto' })],
  ['reviews', reviewCostsQuery({ from: '2026-11-01' })],
  ['signals', signalsListQuery({})],
  ['signals', signalFeedQuery('2026-12-04', 'crypto_all')],
  ['templates', templatesQuery()],
  ['templates', templateDetailQuery('rsi_oversold')],
  ['templates', templateScorecardsQuery('equity')],
  ['templates', templatePreviewQuery({ id: 'draft' }, 'draft-1')],
  ['quality', qualityListQuery({})],
  ['features', featuresQuery()],
  ['learning', learningOverviewQuery()],
  ['strategies', strategiesQuery()],
  ['strategies', strategyDetailQuery('sma_cross')],
  ['backtests', backtestsListQuery({ limit: 50 })],
  ['backtests', backtestDetailQuery(3)],
  ['backtests', backtestCompareQuery(3, 4)],
] as const;

const startsWith = (key: QueryKey, prefix: QueryKey) => prefix.every((part, i) => key[i] === part);

describe('dashboard query keys', () => {
  it('every query key starts with its resource, and no resource key is a prefix of another', () => {
    for (const [resource, query] of QUERIES) {
      expect(startsWith(query.queryKey, KEYS[resource].all), `${query.queryKey.join('/')}`).toBe(true);
    }
    const roots = Object.values(KEYS).map((k) => k.all[0]);
    expect(new Set(roots).size).toBe(roots.length);
    const keys = QUERIES.map(([, q]) => JSON.stringify(q.queryKey));
    expect(new Set(keys).size, 'two factories share a key').toBe(keys.length);
  });

  it('lists and details sit under the resource, filters under its lists', () => {
    expect(runKeys.list(LATEST_RUNS)).toEqual(['runs', 'list', LATEST_RUNS]);
    expect(runKeys.detail(7)).toEqual(['runs', 'detail', 7]);
    expect(startsWith(runKeys.list({ limit: 5 }), runKeys.lists())).toBe(true);
    expect(startsWith(runKeys.detail(7), runKeys.details())).toBe(true);
    // The Today page and the reviews page's first view are one cache entry.
    expect(reviewsListQuery(TOP_REVIEWS).queryKey).toEqual(reviewsListQuery({ ...TOP_REVIEWS }).queryKey);
  });
});

describe('GET /runs through its one list factory', () => {
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('sends the latest runs filter and the pipeline page filter as their query strings', async () => {
    const client = new QueryClient();
    await client.fetchQuery(runsListQuery(LATEST_RUNS));
    await client.fetchQuery(runsListQuery({ date: '2026-12-04', limit: 50 }));
    expect(server.requests.map((r) => r.url)).toEqual([
      '/runs?latest=true&limit=100',
      '/runs?date=2026-12-04&limit=50',
    ]);
  });
});

describe('writes invalidate by hierarchical key', () => {
  /** A client holding one cached answer per query factory. */
  async function filledClient(): Promise<QueryClient> {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    for (const [, query] of QUERIES) client.setQueryData(query.queryKey, { items: [] } as never);
    return client;
  }
  const invalidated = (client: QueryClient) =>
    QUERIES.filter(([, q]) => client.getQueryState(q.queryKey)?.isInvalidated).map(([, q]) => q.queryKey);

  it('a run write (trigger, retry) refetches every runs query and health, nothing else', async () => {
    const client = await filledClient();
    await invalidateRuns(client);
    expect(invalidated(client)).toEqual([
      healthQuery().queryKey,
      runsListQuery(LATEST_RUNS).queryKey,
      runsListQuery({ date: '2026-12-04', limit: 50 }).queryKey,
      runDetailQuery(7).queryKey,
    ]);
  });

  it('a finished run refetches the data it produced, not templates, schedules or the dictionary', async () => {
    const client = await filledClient();
    await invalidateRunOutputs(client);
    const resources = new Set(invalidated(client).map((k) => k[0]));
    expect([...resources].sort()).toEqual(['assets', 'health', 'quality', 'reviews', 'signals']);
    expect(invalidated(client)).toHaveLength(
      QUERIES.filter(([r]) => ['assets', 'health', 'quality', 'reviews', 'signals'].includes(r)).length,
    );
  });

  it('a template write refetches the template list, details, scorecards and previews', async () => {
    const client = await filledClient();
    await invalidateTemplates(client);
    expect(invalidated(client)).toEqual(
      QUERIES.filter(([r]) => r === 'templates').map(([, q]) => q.queryKey),
    );
  });
});
