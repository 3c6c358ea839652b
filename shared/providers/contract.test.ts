import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAlpaca } from '../../test/support/fake-providers/alpaca.ts';
import { createVirtualClock, type VirtualClock } from '../../test/support/fake-providers/clock.ts';
import { startFakeCoinGecko } from '../../test/support/fake-providers/coingecko.ts';
import {
  applyDataFaults,
  conflictingCopy,
  type DataFault,
  type FakeBar,
  type FaultKind,
  FUTURE_DATE,
} from '../../test/support/fake-providers/data-faults.ts';
import { expectedBars, FIXTURE } from '../../test/support/fake-providers/fixtures.ts';
import { startFakePolygon } from '../../test/support/fake-providers/polygon.ts';
import type { FakeProviderServer } from '../../test/support/fake-providers/server.ts';
import { startFakeTiingo } from '../../test/support/fake-providers/tiingo.ts';
import { startFakeYahoo } from '../../test/support/fake-providers/yahoo.ts';
import { todayUtc } from '../calendar/index.ts';
import type { AssetType } from '../domain/market.ts';
import { screenBars } from '../quality/screen.ts';
import { createAlpacaProvider } from './alpaca/index.ts';
import { createCoinGeckoProvider } from './coingecko/index.ts';
import { createCsvProvider } from './csv/index.ts';
import type { HttpLimits } from './http/client.ts';
import type { HttpProvider } from './http/provider.ts';
import { createPolygonProvider } from './polygon/index.ts';
import { createTiingoProvider } from './tiingo/index.ts';
import type { MarketDataProvider } from './types.ts';
import { validateBar } from './validate.ts';
import { createYahooProvider } from './yahoo/index.ts';

// One suite, every HTTP provider: what ingest relies on, run over real HTTP against each provider's
// fake server. Time is virtual, so backoff and Retry-After waits are checked, not sat through.

interface Setup {
  clock: VirtualClock;
  limits: Partial<HttpLimits>;
  dataFaults: DataFault[];
}

interface Harness {
  name: string;
  assetType: AssetType;
  known: string[];
  unknown: string;
  start(setup: Setup): Promise<{ provider: HttpProvider; fake: FakeProviderServer }>;
}

const KEY = 'contract-key-0123456789';

const harnesses: Harness[] = [
  {
    name: 'coingecko',
    assetType: 'crypto',
    known: ['BTC', 'ETH'],
    unknown: 'ZZZ',
    async start({ clock, limits, dataFaults }) {
      const fake = await startFakeCoinGecko({ apiKey: KEY, dataFaults });
      return {
        fake,
        provider: createCoinGeckoProvider({ apiKey: KEY, baseUrl: fake.baseUrl, clock, limits }),
      };
    },
  },
  {
    name: 'alpaca',
    assetType: 'equity',
    known: ['AAPL', 'JPM', 'MSFT', 'XOM'],
    unknown: 'ZZZZ',
    async start({ clock, limits, dataFaults }) {
      const fake = await startFakeAlpaca({ keyId: KEY, secret: `${KEY}-secret`, dataFaults });
      const provider = createAlpacaProvider({
        apiKey: KEY,
        apiSecret: `${KEY}-secret`,
        baseUrl: fake.baseUrl,
        clock,
        limits,
      });
      return { fake, provider };
    },
  },
  {
    name: 'polygon',
    assetType: 'equity',
    known: ['AAPL', 'JPM', 'MSFT', 'XOM'],
    unknown: 'ZZZZ',
    async start({ clock, limits, dataFaults }) {
      const fake = await startFakePolygon({ apiKey: KEY, dataFaults });
      return { fake, provider: createPolygonProvider({ apiKey: KEY, baseUrl: fake.baseUrl, clock, limits }) };
    },
  },
  {
    name: 'tiingo',
    assetType: 'equity',
    known: ['AAPL', 'JPM', 'MSFT', 'XOM'],
    unknown: 'ZZZZ',
    async start({ clock, limits, dataFaults }) {
      const fake = await startFakeTiingo({ apiKey: KEY, dataFaults });
      return { fake, provider: createTiingoProvider({ apiKey: KEY, baseUrl: fake.baseUrl, clock, limits }) };
    },
  },
  {
    name: 'yahoo (equities)',
    assetType: 'equity',
    known: ['AAPL', 'JPM', 'MSFT', 'XOM'],
    unknown: 'ZZZZ',
    async start({ clock, limits, dataFaults }) {
      const fake = await startFakeYahoo({ dataFaults });
      return { fake, provider: createYahooProvider({ baseUrl: fake.baseUrl, clock, limits }) };
    },
  },
  {
    name: 'yahoo (crypto)',
    assetType: 'crypto',
    known: ['BTC', 'ETH'],
    unknown: 'ZZZ',
    async start({ clock, limits, dataFaults }) {
      const fake = await startFakeYahoo({ dataFaults });
      return { fake, provider: createYahooProvider({ baseUrl: fake.baseUrl, clock, limits }) };
    },
  },
];

const FROM = '2018-01-03';
const TO = '2018-01-10';

describe.each(harnesses)('MarketDataProvider contract: $name', (h) => {
  let fake: FakeProviderServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function setup(limits: Partial<HttpLimits> = {}, dataFaults: DataFault[] = []) {
    const clock = createVirtualClock();
    const started = await h.start({ clock, limits: { timeoutMs: 300, ...limits }, dataFaults });
    fake = started.fake;
    const fetchBars = (symbols = h.known) =>
      started.provider.fetchDailyBars({ assetType: h.assetType, symbols, from: FROM, to: TO });
    return { ...started, clock, fetchBars };
  }

  it('returns the real bars of known symbols over the range: right dates, right values, storable', async () => {
    const { provider, fetchBars } = await setup();
    const res = await fetchBars();
    expect(res.errors).toEqual([]);
    expect(res.bars).toEqual(expectedBars(h.assetType, h.known, FROM, TO));
    for (const bar of res.bars) expect(validateBar(bar)).toBeNull();
    expect(provider.assetTypes).toContain(h.assetType);
    expect(provider.capabilities.batchSize).toBeGreaterThanOrEqual(1);
  });

  it('reports an unknown symbol in errors, with a reason, and still serves the others', async () => {
    const { fetchBars } = await setup();
    const res = await fetchBars([...h.known, h.unknown]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]!.symbol).toBe(h.unknown);
    expect(res.errors[0]!.error.length).toBeGreaterThan(10);
    expect(res.bars).toEqual(expectedBars(h.assetType, h.known, FROM, TO));
  });

  it('survives a 429, waiting the Retry-After it was given, then succeeds', async () => {
    const { fetchBars, clock } = await setup();
    fake!.fail({ status: 429, retryAfter: '7' });
    const res = await fetchBars();
    expect(res.errors).toEqual([]);
    expect(res.bars).toEqual(expectedBars(h.assetType, h.known, FROM, TO));
    expect(clock.sleeps).toContain(7_000);
  });

  it('opens its circuit in a 5xx storm and then fails fast without calling the provider', async () => {
    const { fetchBars } = await setup({ breaker: { failureThreshold: 3, cooldownMs: 60_000 } });
    fake!.failAlways({ status: 500 });
    const first = await fetchBars();
    expect(first.bars).toEqual([]);
    expect(first.errors.map((e) => e.symbol).sort()).toEqual([...h.known].sort());
    const sent = fake!.requests.length;
    // Attempts already in flight when the circuit opens may still land, no more.
    expect(sent).toBeLessThanOrEqual(3 + 4);

    const second = await fetchBars();
    expect(fake!.requests.length).toBe(sent);
    for (const e of second.errors)
      expect(e.error).toMatch(/^circuit open for 127\.0\.0\.1:\d+ after 3 consecutive failures/);
  });

  it('times out a hanging request and retries it', async () => {
    const { fetchBars, clock } = await setup();
    fake!.fail({ delayMs: 1_500 });
    const res = await fetchBars();
    expect(res.errors).toEqual([]);
    expect(res.bars).toEqual(expectedBars(h.assetType, h.known, FROM, TO));
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(1);
  });

  it('retries a truncated body once and succeeds', async () => {
    const { fetchBars } = await setup();
    fake!.fail({ truncated: true });
    const res = await fetchBars();
    expect(res.errors).toEqual([]);
    expect(res.bars).toEqual(expectedBars(h.assetType, h.known, FROM, TO));
  });

  it('turns malformed JSON into per-symbol errors, never a crash', async () => {
    const { fetchBars } = await setup();
    fake!.failAlways({ malformed: true });
    const res = await fetchBars();
    expect(res.bars).toEqual([]);
    expect(res.errors.map((e) => e.symbol).sort()).toEqual([...h.known].sort());
    // Each malformed body counts toward the breaker, so later symbols may meet an open circuit instead.
    expect(res.errors[0]!.error).toMatch(/^malformed JSON from 127\.0\.0\.1:\d+\//);
    for (const e of res.errors)
      expect(e.error).toMatch(/^(malformed JSON from|circuit open for) 127\.0\.0\.1:/);
  });

  it('declines an asset type it does not serve, per symbol', async () => {
    const { provider } = await setup();
    const other: AssetType = h.assetType === 'crypto' ? 'equity' : 'crypto';
    const res = await provider.fetchDailyBars({ assetType: other, symbols: ['X'], from: FROM, to: TO });
    if (provider.assetTypes.includes(other)) {
      expect(res.errors).toEqual([{ symbol: 'X', error: expect.any(String), retryable: false }]);
    } else {
      expect(res).toEqual({
        bars: [],
        errors: [{ symbol: 'X', error: expect.stringMatching(/only, not/), retryable: false }],
      });
    }
  });

  describe('bad data inside a normal response: every bar reaches the one screen, which alone decides', () => {
    badDataCases(h, (faults) => setup({}, faults).then((started) => started.provider), {
      servesFuture: true,
    });
  });
});

describe('bad data in CSV files: the csv provider is held to the same cases', () => {
  for (const assetType of ['equity', 'crypto'] as const) {
    describe(assetType, () => {
      const known = assetType === 'equity' ? ['AAPL', 'JPM', 'MSFT', 'XOM'] : ['BTC', 'ETH'];
      // A file is history, not an answer to a request: the provider serves the requested range of
      // it, so a row dated in the future never reaches a run (CSV import screens it instead).
      badDataCases(
        { name: `csv (${assetType})`, assetType, known },
        async (faults) =>
          createCsvProvider([
            {
              assetType,
              text: csvOf(known.flatMap((s) => applyDataFaults(FIXTURE[assetType].get(s)!, faults))),
            },
          ]),
        { servesFuture: false },
      );
    });
  }
});

/** A CSV file of bars, values written as they are (a null as the text "null"). */
function csvOf(bars: readonly FakeBar[]): string {
  const rows = bars.map((b) =>
    [b.date, b.open, b.high, b.low, b.close, b.volume, b.symbol].map(String).join(','),
  );
  return ['date,open,high,low,close,volume,symbol', ...rows].join('\n');
}

/**
 * The bad-data contract: one fault at a time in an otherwise good answer, judged by the screen as
 * ingest judges it. `withFaults` builds the provider serving the fixture with those faults.
 */
function badDataCases(
  h: Pick<Harness, 'name' | 'assetType' | 'known'>,
  withFaults: (faults: DataFault[]) => Promise<MarketDataProvider>,
  opts: { servesFuture: boolean },
): void {
  // The second symbol's bar of a day in the middle of the range; in Alpaca's case one bar of a
  // page that holds every symbol.
  const symbol = h.known[1]!;
  const DAY = '2018-01-08';
  const real = FIXTURE[h.assetType].get(symbol)!.find((b) => b.date === DAY)!;
  const others = expectedBars(h.assetType, h.known, FROM, TO).filter(
    (b) => !(b.symbol === symbol && b.date === DAY),
  );

  /** The provider's answer with one fault injected, through the screen as ingest runs it. */
  async function screened(fault: FaultKind) {
    const provider = await withFaults([{ symbol, date: DAY, ...fault }]);
    const res = await provider.fetchDailyBars({
      assetType: h.assetType,
      symbols: h.known,
      from: FROM,
      to: TO,
    });
    // Bad data is no reason to fail a symbol: the provider answers, the screen judges.
    expect(res.errors).toEqual([]);
    const batch = res.bars.map((bar) => ({ bar, source: provider.id }));
    return screenBars(batch, {
      today: todayUtc(),
      recentCloses: new Map(),
      window: { from: FROM, to: TO },
    });
  }

  it('keeps one of two identical copies of a date and rejects the other as a duplicate', async () => {
    const { accepted, rejected } = await screened({ kind: 'identical-duplicate' });
    expect(accepted.map((a) => a.bar)).toEqual(expectedBars(h.assetType, h.known, FROM, TO));
    expect(rejected.map((r) => r.reason)).toEqual([
      `duplicate: copy 2 of 2 identical bars for ${symbol} on ${DAY} in one batch`,
    ]);
  });

  it('rejects both copies of a date sent twice with different closes, storing neither', async () => {
    const { accepted, rejected } = await screened({ kind: 'conflicting-duplicate' });
    expect(accepted.map((a) => a.bar)).toEqual(others);
    expect(rejected).toHaveLength(2);
    for (const r of rejected) {
      expect(r.reason).toMatch(
        new RegExp(`^duplicate_conflict: 2 different bars for ${symbol} on ${DAY} in one batch \\(`),
      );
      expect(r.reason).toContain(`close ${real.close} vs ${conflictingCopy(real).close}`);
    }
    expect(rejected.map((r) => r.bar.close)).toEqual([real.close, conflictingCopy(real).close]);
  });

  if (opts.servesFuture) {
    it('hands a bar dated in the future on, and the screen rejects it', async () => {
      const { accepted, rejected } = await screened({ kind: 'future' });
      expect(accepted.map((a) => a.bar)).toEqual(expectedBars(h.assetType, h.known, FROM, TO));
      expect(rejected.map((r) => r.reason)).toEqual([
        `future_date: ${FUTURE_DATE} is after today (${todayUtc()})`,
      ]);
      expect(rejected[0]!.bar).toMatchObject({ symbol, date: FUTURE_DATE });
    });
  }

  it.each([
    ['"NaN"', 'NaN'],
    ['an empty string', ''],
    ['null', null],
    ['"abc"', 'abc'],
  ])(
    'rejects the one bar whose close is %s, with its raw payload, and keeps every other bar and symbol',
    async (_, value) => {
      const { accepted, rejected } = await screened({ kind: 'non-number', field: 'close', value });
      expect(accepted.map((a) => a.bar)).toEqual(others);
      expect(rejected).toHaveLength(1);
      const [bad] = rejected;
      expect(bad!.bar).toMatchObject({ symbol, date: DAY });
      // CoinGecko's bar is built from hourly samples: a bad last sample leaves its high and low unknown too.
      expect(bad!.reason).toMatch(/^non_numeric: (missing )?(close|high)\b/);
      // What the provider sent goes to the ledger with the bar: the value, and its record as `raw`.
      expect(JSON.stringify(bad!.bar)).toContain(JSON.stringify(value));
      expect(bad!.bar.raw).toBeDefined();
    },
  );
}
