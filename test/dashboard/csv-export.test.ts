import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGet, configureApi } from '../../dashboard/src/api/client.ts';
import { assetsCsv, collectPages, csvCell, toCsv } from '../../dashboard/src/screener/csv.ts';
import { DEFAULT_STATE, toAssetQuery } from '../../dashboard/src/screener/state.ts';
import type { AssetList, AssetRow } from '../../shared/api/contracts/assets.ts';
import { startServer } from './http-server.ts';

const row = (i: number): AssetRow => ({
  id: i,
  symbol: `S${String(i).padStart(4, '0')}`,
  name: `Asset ${i}`,
  asset_type: 'equity',
  sector: null,
  date: '2026-01-05',
  close: 100 + i,
  features: { rsi_14: i % 100, ret_1: null },
  signals: i % 2 ? [{ template: 'rsi_oversold', direction: 'bullish', strength: 60 }] : [],
  review: null,
  quality_flags: [],
});

const TOTAL = 1234;
const UNIVERSE = Array.from({ length: TOTAL }, (_, i) => row(i));

let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  // A fake control-api paging the universe with opaque cursors (the row offset, base64url).
  server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/loop/assets') {
      res.end(JSON.stringify({ items: [row(1)], total: 99, limit: 1, offset: 0, next_cursor: 'same' }));
      return;
    }
    if (url.pathname === '/broken/assets') {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: 'database down' }));
      return;
    }
    const limit = Number(url.searchParams.get('limit'));
    const cursor = url.searchParams.get('cursor');
    const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
    const items = UNIVERSE.slice(start, start + limit);
    const next = start + limit < TOTAL ? Buffer.from(String(start + limit)).toString('base64url') : null;
    res.end(JSON.stringify({ items, total: TOTAL, limit, offset: 0, next_cursor: next }));
  });
});
afterAll(() => server.close());

function fetcher(limit: number) {
  return (cursor: string | null) =>
    apiGet<AssetList>('/assets', toAssetQuery(DEFAULT_STATE, { limit, cursor: cursor ?? undefined }));
}

describe('CSV export over the paged API', () => {
  it('follows the cursors through every page, sending the publishable key on each request', async () => {
    configureApi({ apiBase: server.url, publishableKey: 'sb_publishable_test', supabaseUrl: null });
    server.requests.length = 0;
    const progress: number[] = [];
    const result = await collectPages(fetcher(500), {
      cap: 10_000,
      onProgress: (done) => progress.push(done),
    });
    expect(result.truncated).toBe(false);
    expect(result.total).toBe(TOTAL);
    expect(result.items.map((r) => r.id)).toEqual(UNIVERSE.map((r) => r.id));
    expect(progress).toEqual([500, 1000, 1234]);
    expect(server.requests).toHaveLength(3);
    for (const r of server.requests) {
      expect(r.headers.apikey).toBe('sb_publishable_test');
      // Reads never carry the write credential.
      expect(r.headers.authorization).toBeUndefined();
    }
    expect(new URL(server.requests[1]!.url, 'http://x').searchParams.get('cursor')).toBe(
      Buffer.from('500').toString('base64url'),
    );
  });

  it('stops at the cap and says the export is truncated', async () => {
    configureApi({ apiBase: server.url, publishableKey: '', supabaseUrl: null });
    const result = await collectPages(fetcher(200), { cap: 450 });
    expect(result.items).toHaveLength(450);
    expect(result.truncated).toBe(true);
    expect(result.items.at(-1)?.id).toBe(449);
  });

  it('stops when the server hands back a cursor it gave before', async () => {
    configureApi({ apiBase: `${server.url}/loop`, publishableKey: '', supabaseUrl: null });
    const result = await collectPages(fetcher(1), { cap: 100 });
    expect(result.items).toHaveLength(2);
  });

  it('fails with the server error', async () => {
    configureApi({ apiBase: `${server.url}/broken`, publishableKey: '', supabaseUrl: null });
    await expect(collectPages(fetcher(10), { cap: 100 })).rejects.toThrow('database down');
  });
});

describe('CSV encoding', () => {
  it('quotes separators, quotes and line breaks, and leaves plain text and numbers alone', () => {
    expect(csvCell('Apple Inc.')).toBe('Apple Inc.');
    expect(csvCell('Berkshire, Class B')).toBe('"Berkshire, Class B"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(-0.0525)).toBe('-0.0525');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('ends every line with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('a,b\r\n1,x\r\n');
  });

  it('writes the chosen feature columns in order, empty for missing values', () => {
    const csv = assetsCsv([row(1)], ['ret_1', 'rsi_14', 'adx_14']);
    const [header, line] = csv.split('\r\n');
    expect(header).toBe(
      'symbol,name,asset_type,sector,date,close,ret_1,rsi_14,adx_14,signals,attention_score,review_direction,review_model,quality_flags',
    );
    expect(line).toBe('S0001,Asset 1,equity,,2026-01-05,101,,1,,rsi_oversold,,,,');
  });
});
