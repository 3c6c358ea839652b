import { afterEach, describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../../test/support/fake-providers/clock.ts';
import { expectedBars } from '../../../test/support/fake-providers/fixtures.ts';
import type { FakeProviderServer } from '../../../test/support/fake-providers/server.ts';
import { startFakeTiingo } from '../../../test/support/fake-providers/tiingo.ts';
import { createTiingoProvider } from './index.ts';

const KEY = 'tiingo-token-DO-NOT-LEAK-77';

let fake: FakeProviderServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('Tiingo provider', () => {
  it('reads raw (not dividend-adjusted) prices from /tiingo/daily/{ticker}/prices with the token header', async () => {
    fake = await startFakeTiingo({ apiKey: KEY });
    const tiingo = createTiingoProvider({ apiKey: KEY, baseUrl: fake.baseUrl, clock: createVirtualClock() });
    const res = await tiingo.fetchDailyBars({
      assetType: 'equity',
      symbols: ['AAPL'],
      from: '2018-01-02',
      to: '2018-01-05',
    });
    expect(res).toEqual({ bars: expectedBars('equity', ['AAPL'], '2018-01-02', '2018-01-05'), errors: [] });
    const [req] = fake.requests;
    expect(req!.path).toBe('/tiingo/daily/AAPL/prices');
    expect(req!.query).toEqual({
      startDate: '2018-01-02',
      endDate: '2018-01-05',
      resampleFreq: 'daily',
      format: 'json',
    });
    expect(req!.headers.authorization).toBe(`Token ${KEY}`);
  });

  it('spells share classes with a dash and passes Tiingo’s not-found message on', async () => {
    fake = await startFakeTiingo({ apiKey: KEY });
    const tiingo = createTiingoProvider({ apiKey: KEY, baseUrl: fake.baseUrl, clock: createVirtualClock() });
    const res = await tiingo.fetchDailyBars({
      assetType: 'equity',
      symbols: ['BRK.B'],
      from: '2018-01-02',
      to: '2018-01-05',
    });
    expect(fake.requests[0]!.path).toBe('/tiingo/daily/BRK-B/prices');
    expect(res.errors).toEqual([
      {
        symbol: 'BRK.B',
        error: expect.stringMatching(
          /^HTTP 404 from 127\.0\.0\.1:\d+\/tiingo\/daily\/BRK-B\/prices: Error: Ticker 'BRK-B' not found$/,
        ),
        retryable: false,
      },
    ]);
  });

  it('keeps to the free tier’s 50 requests an hour: the 51st fails fast instead of waiting 72 s', async () => {
    fake = await startFakeTiingo({ apiKey: KEY });
    const tiingo = createTiingoProvider({ apiKey: KEY, baseUrl: fake.baseUrl, clock: createVirtualClock() });
    const symbols = ['AAPL', ...Array.from({ length: 51 }, (_, i) => `T${i}`)];
    const res = await tiingo.fetchDailyBars({
      assetType: 'equity',
      symbols,
      from: '2018-01-02',
      to: '2018-01-03',
    });
    expect(fake.requests).toHaveLength(50);
    const limited = res.errors.filter((e) => /^rate limit for /.test(e.error));
    expect(limited).toHaveLength(2);
    expect(limited[0]!.error).toMatch(
      /the next request may go out in 72 s, longer than the 60 s a request may wait/,
    );
  });
});
