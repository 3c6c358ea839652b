import { afterEach, describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../../test/support/fake-providers/clock.ts';
import { expectedBars } from '../../../test/support/fake-providers/fixtures.ts';
import type { FakeProviderServer } from '../../../test/support/fake-providers/server.ts';
import { startFakeYahoo } from '../../../test/support/fake-providers/yahoo.ts';
import { createYahooProvider } from './index.ts';

let fake: FakeProviderServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function provider(opts: Parameters<typeof startFakeYahoo>[0] = {}) {
  fake = await startFakeYahoo(opts);
  return createYahooProvider({ baseUrl: fake.baseUrl, clock: createVirtualClock() });
}

describe('Yahoo provider', () => {
  it('hands sessions with a null in any field on as they are, for the screen to reject', async () => {
    const yahoo = await provider({
      nulls: [
        { symbol: 'AAPL', date: '2018-01-04', fields: ['open', 'high', 'low', 'close', 'volume'] },
        { symbol: 'AAPL', date: '2018-01-08', fields: ['volume'] },
      ],
    });
    const res = await yahoo.fetchDailyBars({
      assetType: 'equity',
      symbols: ['AAPL'],
      from: '2018-01-02',
      to: '2018-01-09',
    });
    expect(res.errors).toEqual([]);
    const timestamp = (date: string) => ({ timestamp: Date.parse(`${date}T14:30:00Z`) / 1000 });
    expect(res.bars).toEqual(
      expectedBars('equity', ['AAPL'], '2018-01-02', '2018-01-09').map((b) =>
        b.date === '2018-01-04'
          ? { ...b, open: null, high: null, low: null, close: null, volume: null, raw: timestamp(b.date) }
          : b.date === '2018-01-08'
            ? { ...b, volume: null, raw: timestamp(b.date) }
            : b,
      ),
    );
  });

  it('asks /v8/finance/chart with period2 at the midnight after the last day, in Yahoo’s spelling', async () => {
    const yahoo = await provider();
    await yahoo.fetchDailyBars({
      assetType: 'equity',
      symbols: ['BRK.B'],
      from: '2018-01-02',
      to: '2018-01-05',
    });
    await yahoo.fetchDailyBars({
      assetType: 'crypto',
      symbols: ['BTC'],
      from: '2018-01-02',
      to: '2018-01-05',
    });
    expect(fake!.requests.map((r) => r.path)).toEqual([
      '/v8/finance/chart/BRK-B',
      '/v8/finance/chart/BTC-USD',
    ]);
    expect(fake!.requests[1]!.query).toEqual({
      period1: String(Date.parse('2018-01-02T00:00:00Z') / 1000),
      period2: String(Date.parse('2018-01-06T00:00:00Z') / 1000),
      interval: '1d',
      includePrePost: 'false',
    });
    expect(fake!.requests[0]!.headers['user-agent']).toMatch(/^Mozilla\/5\.0/);
  });

  it('passes Yahoo’s not-found description on, and reports an empty range per symbol', async () => {
    const yahoo = await provider();
    const unknown = await yahoo.fetchDailyBars({
      assetType: 'equity',
      symbols: ['ZZZZ'],
      from: '2018-01-02',
      to: '2018-01-05',
    });
    expect(unknown.errors[0]!.error).toMatch(/HTTP 404 .*: No data found, symbol may be delisted$/);
    const weekend = await yahoo.fetchDailyBars({
      assetType: 'equity',
      symbols: ['AAPL'],
      from: '2018-01-06',
      to: '2018-01-07',
    });
    expect(weekend).toEqual({
      bars: [],
      errors: [
        { symbol: 'AAPL', error: 'no bars for AAPL between 2018-01-06 and 2018-01-07', retryable: false },
      ],
    });
  });
});
