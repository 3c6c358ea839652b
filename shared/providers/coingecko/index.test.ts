import { afterEach, describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../../test/support/fake-providers/clock.ts';
import { startFakeCoinGecko } from '../../../test/support/fake-providers/coingecko.ts';
import { expectedBars } from '../../../test/support/fake-providers/fixtures.ts';
import type { FakeProviderServer } from '../../../test/support/fake-providers/server.ts';
import { COINS } from './coins.ts';
import { createCoinGeckoProvider, dailyBars } from './index.ts';

const KEY = 'CG-demo-DO-NOT-LEAK-1234';

let fake: FakeProviderServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function provider(fakeOpts: Parameters<typeof startFakeCoinGecko>[0] = {}) {
  fake = await startFakeCoinGecko({ apiKey: KEY, ...fakeOpts });
  return createCoinGeckoProvider({ apiKey: KEY, baseUrl: fake.baseUrl, clock: createVirtualClock() });
}

const request = (from: string, to: string, symbols = ['BTC', 'ETH']) =>
  ({ assetType: 'crypto', symbols, from, to }) as const;

const at = (iso: string) => Date.parse(iso);

describe('dailyBars', () => {
  it('builds OHLC per UTC day from price samples and takes the day’s last rolling volume', () => {
    const prices: [number, number][] = [
      [at('2024-03-01T00:04:00Z'), 100],
      [at('2024-03-01T09:04:00Z'), 120],
      [at('2024-03-01T15:04:00Z'), 90],
      [at('2024-03-01T23:04:00Z'), 110],
      [at('2024-03-02T00:05:00Z'), 111],
      [at('2024-03-02T23:05:00Z'), 105],
      [at('2024-03-03T00:03:00Z'), 104],
    ];
    // Volume samples need not line up with price samples, and 03-03 has none: its bar has no volume
    // and carries its samples, for the screen to reject into the ledger.
    const volumes: [number, number][] = [
      [at('2024-03-01T00:02:00Z'), 5e9],
      [at('2024-03-01T23:59:00Z'), 7e9],
      [at('2024-03-02T12:00:00Z'), 6e9],
    ];
    expect(dailyBars('BTC', prices, volumes)).toEqual([
      { symbol: 'BTC', date: '2024-03-01', open: 100, high: 120, low: 90, close: 110, volume: 7e9 },
      { symbol: 'BTC', date: '2024-03-02', open: 111, high: 111, low: 105, close: 105, volume: 6e9 },
      {
        symbol: 'BTC',
        date: '2024-03-03',
        open: 104,
        high: 104,
        low: 104,
        close: 104,
        volume: undefined,
        raw: { prices: [prices[6]], total_volumes: [] },
      },
    ]);
  });

  it('makes a day with a non-number sample carry it as its high and low, with the raw samples', () => {
    const prices = [
      [at('2024-03-01T00:04:00Z'), 100],
      [at('2024-03-01T09:04:00Z'), 'NaN'],
      [at('2024-03-01T23:04:00Z'), 110],
      [at('2024-03-02T00:05:00Z'), 111],
      ['soon', 112],
    ];
    const volumes = [
      [at('2024-03-01T23:59:00Z'), 7e9],
      [at('2024-03-02T12:00:00Z'), 6e9],
    ];
    expect(dailyBars('BTC', prices, volumes)).toEqual([
      {
        symbol: 'BTC',
        date: 'soon',
        open: undefined,
        high: undefined,
        low: undefined,
        close: undefined,
        volume: undefined,
        raw: { prices: [['soon', 112]] },
      },
      {
        symbol: 'BTC',
        date: '2024-03-01',
        open: 100,
        high: 'NaN',
        low: 'NaN',
        close: 110,
        volume: 7e9,
        raw: { prices: prices.slice(0, 3), total_volumes: [volumes[0]] },
      },
      { symbol: 'BTC', date: '2024-03-02', open: 111, high: 111, low: 111, close: 111, volume: 6e9 },
    ]);
  });
});

describe('CoinGecko provider', () => {
  it('merges hourly prices and total_volumes into the real daily bars, sending the Demo key header', async () => {
    const coingecko = await provider();
    const res = await coingecko.fetchDailyBars(request('2018-01-02', '2018-01-12'));
    expect(res).toEqual({
      bars: expectedBars('crypto', ['BTC', 'ETH'], '2018-01-02', '2018-01-12'),
      errors: [],
    });
    const btc = fake!.requests.find((r) => r.path === '/coins/bitcoin/market_chart/range')!;
    expect(btc.query).toEqual({
      vs_currency: 'usd',
      from: String(at('2018-01-02T00:00:00Z') / 1000),
      to: String(at('2018-01-13T00:00:00Z') / 1000 - 1),
    });
    expect(btc.headers['x-cg-demo-api-key']).toBe(KEY);
  });

  it('hands a day whose volume samples are missing on without a volume, for the screen to reject', async () => {
    const coingecko = await provider({ volumeGaps: ['2018-01-05'] });
    const res = await coingecko.fetchDailyBars(request('2018-01-03', '2018-01-08', ['BTC']));
    const [gap, ...others] = res.bars.filter((b) => b.date === '2018-01-05');
    expect(others).toEqual([]);
    expect(gap!.volume).toBeUndefined();
    expect(gap!.raw).toMatchObject({ total_volumes: [] });
    expect(res.bars.filter((b) => b.date !== '2018-01-05')).toEqual(
      expectedBars('crypto', ['BTC'], '2018-01-03', '2018-01-08').filter((b) => b.date !== '2018-01-05'),
    );
  });

  it('asks long ranges in windows of at most 90 days, where CoinGecko still answers hourly prices', async () => {
    const coingecko = await provider();
    const res = await coingecko.fetchDailyBars(request('2017-10-01', '2018-01-12', ['BTC']));
    // A daily-granularity answer would have open = high = low = close; the real bars prove hourly data.
    expect(res.bars).toEqual(expectedBars('crypto', ['BTC'], '2017-10-01', '2018-01-12'));
    const spans = fake!.requests.map((r) => Number(r.query.to) - Number(r.query.from) + 1);
    expect(spans).toEqual([90 * 86_400, 14 * 86_400]);
  });

  it('maps pinned symbols to ids, looks others up once in /coins/list, and refuses ambiguous ones', async () => {
    const coingecko = await provider();
    const res = await coingecko.fetchDailyBars(
      request('2018-01-02', '2018-01-03', ['BTC', 'BONK', 'PEPE', 'NOPE']),
    );
    expect(res.bars.map((b) => b.symbol)).toEqual(['BTC', 'BTC']);
    expect(res.errors).toEqual([
      { symbol: 'BONK', error: 'no bars for BONK between 2018-01-02 and 2018-01-03', retryable: false },
      {
        symbol: 'PEPE',
        error:
          'PEPE is ambiguous on CoinGecko: 3 coins use it (pepe, pepe-token, based-pepe); pin one in coingecko/coins.ts',
        retryable: false,
      },
      { symbol: 'NOPE', error: 'CoinGecko lists no coin with the symbol NOPE', retryable: false },
    ]);
    const paths = fake!.requests.map((r) => r.path);
    expect(paths.filter((p) => p === '/coins/list')).toHaveLength(1);
    expect(paths).toContain('/coins/bonk/market_chart/range');
    expect(paths).toContain('/coins/bitcoin/market_chart/range');
  });

  it('works keyless, without the key header, paced at 10 calls a minute instead of the Demo 30', async () => {
    fake = await startFakeCoinGecko({ apiKey: KEY });
    const clock = createVirtualClock();
    const coingecko = createCoinGeckoProvider({ baseUrl: fake.baseUrl, clock });
    const eleven = COINS.slice(0, 11).map(([symbol]) => symbol);
    const res = await coingecko.fetchDailyBars(request('2018-01-02', '2018-01-03', eleven));
    expect(res.bars.map((b) => b.symbol)).toEqual(['BTC', 'BTC', 'ETH', 'ETH']);
    expect(fake.requests.every((r) => r.headers['x-cg-demo-api-key'] === undefined)).toBe(true);
    expect(fake.requests).toHaveLength(11);
    // A burst of 10, then one call every 6 s.
    expect(clock.sleeps).toEqual([6_000]);
    expect(coingecko.description).toMatch(/keyless/);

    const withKey = createCoinGeckoProvider({
      apiKey: KEY,
      baseUrl: fake.baseUrl,
      clock: createVirtualClock(),
    });
    await withKey.fetchDailyBars(request('2018-01-02', '2018-01-03', eleven));
    expect(fake.requests.at(-1)!.headers['x-cg-demo-api-key']).toBe(KEY);
  });

  it('lists the pinned coins as the crypto universe, and nothing for equities', async () => {
    const coingecko = createCoinGeckoProvider();
    const assets = await coingecko.listAssets!('crypto');
    expect(assets).toHaveLength(COINS.length);
    expect(assets[0]).toEqual({ symbol: 'BTC', assetType: 'crypto', name: 'Bitcoin' });
    expect(await coingecko.listAssets!('equity')).toEqual([]);
  });
});
