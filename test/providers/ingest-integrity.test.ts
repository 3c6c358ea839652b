import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetail } from '../../shared/api/runs.ts';
import { createContext } from '../../shared/config.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startFakeAlpaca } from '../support/fake-providers/alpaca.ts';
import { conflictingCopy, type DataFault, FUTURE_DATE } from '../support/fake-providers/data-faults.ts';
import { expectedBars, FIXTURE } from '../support/fake-providers/fixtures.ts';
import { startFakePolygon } from '../support/fake-providers/polygon.ts';
import type { FakeProviderServer } from '../support/fake-providers/server.ts';
import { fixtureUniverse, ingestUniverse, storedBars } from '../support/ingest.ts';

// Bad data from market-data servers that answer 200, through the real ingest stage (backfill and
// daily paths) into a real Postgres: what is stored, what reaches data_quality_ledger, what the run
// says. Equities come from [Polygon, Alpaca] over HTTP, configured from the environment.

const KEYS = {
  POLYGON_API_KEY: 'polygon-key-integrity',
  ALPACA_API_KEY_ID: 'PKINTEGRITY0001',
  ALPACA_API_SECRET_KEY: 'alpaca-secret-integrity',
};
const SYMBOLS = ['AAPL', 'JPM', 'MSFT', 'XOM'];
const fixture = (symbol: string, date: string) => FIXTURE.equity.get(symbol)!.find((b) => b.date === date)!;

let db: TestDatabase;
let fakes: FakeProviderServer[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
  await db.drop();
});

async function context(faults: { polygon?: DataFault[]; alpaca?: DataFault[] }) {
  const polygon = await startFakePolygon({ apiKey: KEYS.POLYGON_API_KEY, dataFaults: faults.polygon ?? [] });
  const alpaca = await startFakeAlpaca({
    keyId: KEYS.ALPACA_API_KEY_ID,
    secret: KEYS.ALPACA_API_SECRET_KEY,
    dataFaults: faults.alpaca ?? [],
  });
  fakes.push(polygon, alpaca);
  const ctx = createContext(
    {
      ...KEYS,
      STRATOS_EQUITY_PROVIDERS: 'polygon,alpaca',
      POLYGON_BASE_URL: polygon.baseUrl,
      ALPACA_DATA_BASE_URL: alpaca.baseUrl,
    },
    { sql: db.sql, log: () => {} },
  );
  await fixtureUniverse(ctx, 'fixture', 'equity', SYMBOLS);
  return { ctx, polygon };
}

async function rejectedRows(ctx: PipelineContext) {
  return ctx.sql<
    { source: string; symbol: string; date: string; reason: string; raw: Record<string, unknown> }[]
  >`
    select source, symbol, date, reason, raw from data_quality_ledger
    where kind = 'rejected' order by symbol, date, reason, raw::text`;
}

describe('ingest of bad provider data into daily_bars and data_quality_ledger', () => {
  it('backfill: stores no conflicting close, ledgers every bad bar with its raw payload, and converges when run again', async () => {
    const { ctx } = await context({
      polygon: [
        { symbol: 'AAPL', date: '2018-01-09', kind: 'conflicting-duplicate' },
        { symbol: 'MSFT', date: '2018-01-10', kind: 'non-number', field: 'close', value: 'NaN' },
        { symbol: 'XOM', date: '2018-01-11', kind: 'identical-duplicate' },
        { symbol: 'JPM', date: '2018-01-10', kind: 'future' },
      ],
    });
    // AAPL's bar for the conflicting date is already stored: it must stay exactly as it was.
    const aapl = fixture('AAPL', '2018-01-09');
    await ctx.sql`
      insert into daily_bars (asset_id, date, open, high, low, close, volume, source)
      select id, ${aapl.date}, ${aapl.open}, ${aapl.high}, ${aapl.low}, ${aapl.close}, ${aapl.volume}, 'seed'
      from assets where symbol = 'AAPL'`;

    for (let attempt = 0; attempt < 2; attempt++) {
      const run = await ingestUniverse(ctx, 'fixture', '2018-01-12', '2018-01-08');
      // Bad bars are data-quality findings, not provider failures: every symbol was served.
      expect(run.status).toBe('succeeded');
      expect(run.errors).toEqual([]);
      expect(run.summary).toMatchObject({ bars_rejected: 5, symbols_fallen_back: 0 });

      const bars = await storedBars(ctx);
      const expected = expectedBars('equity', SYMBOLS, '2018-01-08', '2018-01-12').filter(
        (b) => !(b.symbol === 'MSFT' && b.date === '2018-01-10'),
      );
      expect(bars.map(({ source: _, ...bar }) => bar)).toEqual(expected);
      expect(bars.find((b) => b.symbol === 'AAPL' && b.date === '2018-01-09')!.source).toBe('seed');
      expect(bars.filter((b) => b.source === 'polygon')).toHaveLength(expected.length - 1);

      const ledger = await rejectedRows(ctx);
      const wrong = conflictingCopy(aapl);
      expect(ledger.map(({ raw: _, ...row }) => row)).toEqual([
        {
          source: 'polygon',
          symbol: 'AAPL',
          date: '2018-01-09',
          reason: `duplicate_conflict: 2 different bars for AAPL on 2018-01-09 in one batch (high ${aapl.high} vs ${wrong.high}; close ${aapl.close} vs ${wrong.close}); none is stored`,
        },
        {
          source: 'polygon',
          symbol: 'AAPL',
          date: '2018-01-09',
          reason: `duplicate_conflict: 2 different bars for AAPL on 2018-01-09 in one batch (high ${aapl.high} vs ${wrong.high}; close ${aapl.close} vs ${wrong.close}); none is stored`,
        },
        {
          source: 'polygon',
          symbol: 'JPM',
          date: FUTURE_DATE,
          reason: expect.stringMatching(new RegExp(`^future_date: ${FUTURE_DATE} is after today`)),
        },
        {
          source: 'polygon',
          symbol: 'MSFT',
          date: '2018-01-10',
          reason: 'non_numeric: close "NaN" is not a number',
        },
        {
          source: 'polygon',
          symbol: 'XOM',
          date: '2018-01-11',
          reason: 'duplicate: copy 2 of 2 identical bars for XOM on 2018-01-11 in one batch',
        },
      ]);
      // Both conflicting copies are kept with their values; the non-number with Polygon's own record.
      expect(ledger.slice(0, 2).map((r) => r.raw.close)).toEqual(
        [aapl.close, wrong.close].sort((a, b) => String(a).localeCompare(String(b))),
      );
      expect(ledger[3]!.raw).toMatchObject({
        close: 'NaN',
        raw: { c: 'NaN', o: fixture('MSFT', '2018-01-10').open },
      });
    }
  });

  it('daily run: a Polygon outage is recorded as fallbacks, and a bad bar in a multi-symbol Alpaca page costs only that bar', async () => {
    const { ctx, polygon } = await context({
      alpaca: [{ symbol: 'JPM', date: '2018-01-10', kind: 'non-number', field: 'volume', value: 'abc' }],
    });
    polygon.failAlways({ status: 503, retryAfter: '0' });
    // No `from`: the daily path, fetching the repair window before the run date.
    const run = await ingestUniverse(ctx, 'fixture', '2018-01-12');

    expect(run.status).toBe('succeeded');
    const fallbacks = run.summary.fallbacks as Record<string, unknown>[];
    expect(fallbacks.map((f) => [f.provider, f.symbol, f.retryable, f.served_by])).toEqual(
      SYMBOLS.map((symbol) => ['polygon', symbol, true, 'alpaca']),
    );
    expect(run.errors.map((e) => e.scope)).toEqual(SYMBOLS);
    for (const e of run.errors)
      expect(e.error).toMatch(/^fallback: polygon failed \(retryable\): .*; served by alpaca$/);
    // The run detail the dashboard reads tells a fallback note from an asset that failed.
    const detail = await runDetail(ctx, run.id);
    expect(detail.asset_errors.map((e) => [e.symbol, e.kind])).toEqual(
      [...SYMBOLS].sort().map((symbol) => [symbol, 'fallback']),
    );

    const bars = await storedBars(ctx);
    expect(bars.map(({ source: _, ...bar }) => bar)).toEqual(
      expectedBars('equity', SYMBOLS, '2017-12-13', '2018-01-12').filter(
        (b) => !(b.symbol === 'JPM' && b.date === '2018-01-10'),
      ),
    );
    expect(new Set(bars.map((b) => b.source))).toEqual(new Set(['alpaca']));
    const ledger = await rejectedRows(ctx);
    expect(ledger).toEqual([
      {
        source: 'alpaca',
        symbol: 'JPM',
        date: '2018-01-10',
        reason: 'non_numeric: volume "abc" is not a number',
        raw: expect.objectContaining({
          volume: 'abc',
          raw: expect.objectContaining({ v: 'abc', t: '2018-01-10T05:00:00Z' }),
        }),
      },
    ]);
  });
});
