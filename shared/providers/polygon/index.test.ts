import { afterEach, describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../../test/support/fake-providers/clock.ts';
import { conflictingCopy, FUTURE_DATE } from '../../../test/support/fake-providers/data-faults.ts';
import { expectedBars, FIXTURE } from '../../../test/support/fake-providers/fixtures.ts';
import { startFakePolygon } from '../../../test/support/fake-providers/polygon.ts';
import type { FakeProviderServer } from '../../../test/support/fake-providers/server.ts';
import type { HttpLimits } from '../http/client.ts';
import { createPolygonProvider } from './index.ts';

const KEY = 'polygon-key-DO-NOT-LEAK-42';
const SYMBOLS = ['AAPL', 'JPM', 'MSFT', 'XOM'];

let fake: FakeProviderServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function provider(
  fakeOpts: Parameters<typeof startFakePolygon>[0] = {},
  limits: Partial<HttpLimits> = {},
) {
  fake = await startFakePolygon({ apiKey: KEY, ...fakeOpts });
  return createPolygonProvider({ apiKey: KEY, baseUrl: fake.baseUrl, clock: createVirtualClock(), limits });
}

const request = (from: string, to: string, symbols = SYMBOLS) =>
  ({ assetType: 'equity', symbols, from, to }) as const;

describe('Polygon provider', () => {
  it('hands on every aggregate of a grouped day: a ticker listed twice, a future stamp, a "NaN"', async () => {
    const polygon = await provider({
      dataFaults: [
        { symbol: 'AAPL', date: '2018-01-11', kind: 'conflicting-duplicate' },
        { symbol: 'JPM', date: '2018-01-10', kind: 'future' },
        { symbol: 'XOM', date: '2018-01-12', kind: 'non-number', field: 'open', value: 'NaN' },
      ],
    });
    const res = await polygon.fetchDailyBars(request('2018-01-10', '2018-01-12'));
    expect(fake!.requests.map((r) => r.path.split('/').at(-1)).sort()).toEqual([
      '2018-01-10',
      '2018-01-11',
      '2018-01-12',
    ]);
    expect(res.errors).toEqual([]);
    const aapl = FIXTURE.equity.get('AAPL')!.find((b) => b.date === '2018-01-11')!;
    const jpm = FIXTURE.equity.get('JPM')!.find((b) => b.date === '2018-01-10')!;
    const xom = FIXTURE.equity.get('XOM')!.find((b) => b.date === '2018-01-12')!;
    const [first, second] = res.bars.filter((b) => b.symbol === 'AAPL' && b.date === '2018-01-11');
    expect([first, second]).toEqual([aapl, conflictingCopy(aapl)]);
    expect(res.bars.filter((b) => b.date === FUTURE_DATE)).toEqual([{ ...jpm, date: FUTURE_DATE }]);
    const [bad] = res.bars.filter((b) => b.symbol === 'XOM' && b.date === '2018-01-12');
    expect(bad).toMatchObject({ ...xom, open: 'NaN', raw: { o: 'NaN', T: 'XOM', c: xom.close } });
    expect(res.bars).toHaveLength(expectedBars('equity', SYMBOLS, '2018-01-10', '2018-01-12').length + 2);
  });

  it('uses grouped daily (one call per trading day for the whole market) when days <= symbols', async () => {
    const polygon = await provider();
    const res = await polygon.fetchDailyBars(request('2018-01-10', '2018-01-12'));
    expect(res).toEqual({ bars: expectedBars('equity', SYMBOLS, '2018-01-10', '2018-01-12'), errors: [] });
    expect(fake!.requests.map((r) => r.path).sort()).toEqual([
      '/v2/aggs/grouped/locale/us/market/stocks/2018-01-10',
      '/v2/aggs/grouped/locale/us/market/stocks/2018-01-11',
      '/v2/aggs/grouped/locale/us/market/stocks/2018-01-12',
    ]);
    expect(fake!.requests[0]!.query).toEqual({ adjusted: 'true' });
    // The key travels in a header, never in a URL.
    expect(fake!.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(polygon.capabilities.groupedDaily).toBe(true);
  });

  it('asks only for trading days, and lets the jobs of a run share each grouped day', async () => {
    const polygon = await provider();
    // Friday, the weekend and Martin Luther King Day (Monday 2018-01-15): one session.
    const res = await polygon.fetchDailyBars(request('2018-01-12', '2018-01-15', ['AAPL', 'MSFT']));
    expect(res.bars).toEqual(expectedBars('equity', ['AAPL', 'MSFT'], '2018-01-12', '2018-01-12'));
    const again = await polygon.fetchDailyBars(request('2018-01-12', '2018-01-15', ['JPM', 'XOM']));
    expect(again.bars).toEqual(expectedBars('equity', ['JPM', 'XOM'], '2018-01-12', '2018-01-12'));
    expect(fake!.requests).toHaveLength(1);
  });

  it('reports a ticker missing from the grouped days so the next provider can serve it', async () => {
    const polygon = await provider({ missing: ['JPM'] });
    const res = await polygon.fetchDailyBars(request('2018-01-10', '2018-01-12'));
    expect(res.bars).toEqual(expectedBars('equity', ['AAPL', 'MSFT', 'XOM'], '2018-01-10', '2018-01-12'));
    expect(res.errors).toEqual([
      { symbol: 'JPM', error: 'no bars for JPM between 2018-01-10 and 2018-01-12', retryable: false },
    ]);
  });

  it('fails every symbol when a grouped day fails, rather than leave a gap in the window', async () => {
    const polygon = await provider({}, { retries: 0 });
    fake!.fail({ status: 503 });
    const res = await polygon.fetchDailyBars(request('2018-01-10', '2018-01-12'));
    expect(res.bars).toEqual([]);
    expect(res.errors.map((e) => e.symbol)).toEqual(SYMBOLS);
    expect(res.errors[0]!.error).toMatch(
      /^HTTP 503 from 127\.0\.0\.1:\d+\/v2\/aggs\/grouped\/.*Internal server error/,
    );
  });

  it('fetches per-ticker ranges for long windows, following next_url on the configured host', async () => {
    const polygon = await provider({ pageSize: 4 });
    const res = await polygon.fetchDailyBars(request('2018-01-02', '2018-01-12', ['AAPL']));
    expect(res).toEqual({ bars: expectedBars('equity', ['AAPL'], '2018-01-02', '2018-01-12'), errors: [] });
    // Nine sessions in pages of four: the cursor from each next_url (on api.polygon.io) replayed here.
    expect(fake!.requests.map((r) => r.path)).toEqual(
      Array(3).fill('/v2/aggs/ticker/AAPL/range/1/day/2018-01-02/2018-01-12'),
    );
    expect(fake!.requests[0]!.query).toEqual({ adjusted: 'true', sort: 'asc', limit: '50000' });
    expect(fake!.requests.slice(1).map((r) => Object.keys(r.query))).toEqual([['cursor'], ['cursor']]);
    expect(fake!.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
  });

  it('keeps per-ticker failures to their own symbol', async () => {
    const polygon = await provider({}, { retries: 0 });
    fake!.fail({ status: 500 });
    const res = await polygon.fetchDailyBars(request('2018-01-02', '2018-01-12', ['AAPL', 'MSFT']));
    expect(res.errors).toHaveLength(1);
    expect(res.bars.map((b) => b.symbol)).not.toContain(res.errors[0]!.symbol);
    expect(res.bars).toHaveLength(9);
  });
});
