import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COLUMNS,
  DEFAULT_STATE,
  hasFilters,
  parseRange,
  parseScreener,
  type ScreenerState,
  serializeScreener,
  sortBy,
  toAssetQuery,
  updateScreener,
} from '../../dashboard/src/screener/state.ts';

const full: ScreenerState = {
  q: 'btc',
  assetType: 'crypto',
  universe: 'crypto_all',
  signal: 'rsi_oversold',
  flagged: false,
  ranges: [
    { feature: 'rsi_14', min: null, max: 30 },
    { feature: 'ret_1', min: -0.05, max: 0.1 },
  ],
  columns: ['rsi_14', 'adx_14', 'ret_20'],
  sort: 'rsi_14',
  order: 'desc',
  limit: 100,
  cursor: 'eyJrIjoxfQ',
};

describe('screener URL state', () => {
  it('writes nothing for the default state, so the plain screener link is #/screener', () => {
    expect(serializeScreener(DEFAULT_STATE)).toBe('');
    expect(parseScreener('')).toEqual(DEFAULT_STATE);
  });

  it('round-trips every field through the query string', () => {
    const query = serializeScreener(full);
    expect(parseScreener(query)).toEqual(full);
    // Canonical: serialising the parsed state gives the same string back.
    expect(serializeScreener(parseScreener(query))).toBe(query);
  });

  it('writes ranges in the API form, repeated, with open bounds left empty', () => {
    const p = new URLSearchParams(serializeScreener(full));
    expect(p.getAll('range')).toEqual(['rsi_14::30', 'ret_1:-0.05:0.1']);
    expect(p.get('cols')).toBe('rsi_14,adx_14,ret_20');
    expect(p.get('flagged')).toBe('false');
  });

  it('keeps an explicitly empty column list apart from the default one', () => {
    const none = { ...DEFAULT_STATE, columns: [] };
    expect(serializeScreener(none)).toBe('cols=');
    expect(parseScreener('cols=').columns).toEqual([]);
    expect(parseScreener('').columns).toEqual([...DEFAULT_COLUMNS]);
  });

  it('drops the malformed parts of a hand-edited link and keeps the rest', () => {
    const s = parseScreener(
      'type=stock&universe=DROP%20TABLE&flagged=maybe&range=rsi_14:abc:30&range=ret_1::0.02&range=x&range=sma_20::' +
        '&sort=rsi_14;drop&order=up&limit=9999&cols=rsi_14,Bad-Name,rsi_14,adx_14',
    );
    expect(s.assetType).toBeNull();
    expect(s.universe).toBeNull();
    expect(s.flagged).toBeNull();
    expect(s.ranges).toEqual([{ feature: 'ret_1', min: null, max: 0.02 }]);
    expect(s.sort).toBe('symbol');
    expect(s.order).toBe('asc');
    expect(s.limit).toBe(50);
    expect(s.columns).toEqual(['rsi_14', 'adx_14']);
  });

  it('parses ranges with either bound open and rejects fully open or extra parts', () => {
    expect(parseRange('rsi_14:30:70')).toEqual({ feature: 'rsi_14', min: 30, max: 70 });
    expect(parseRange('rsi_14:70:')).toEqual({ feature: 'rsi_14', min: 70, max: null });
    expect(parseRange('rsi_14::')).toBeNull();
    expect(parseRange('rsi_14:1:2:3')).toBeNull();
    expect(parseRange('RSI:1:2')).toBeNull();
  });
});

describe('screener API parameters', () => {
  it('maps the state to GET /assets parameters with repeated ranges and a column list', () => {
    expect(toAssetQuery(full)).toEqual({
      q: 'btc',
      asset_type: 'crypto',
      universe: 'crypto_all',
      signal: 'rsi_oversold',
      flagged: 'false',
      range: ['rsi_14::30', 'ret_1:-0.05:0.1'],
      columns: 'rsi_14,adx_14,ret_20',
      sort: 'rsi_14',
      order: 'desc',
      limit: 100,
      cursor: 'eyJrIjoxfQ',
    });
  });

  it('leaves unset filters undefined so the client omits them', () => {
    const q = toAssetQuery(DEFAULT_STATE);
    expect(q.q).toBeUndefined();
    expect(q.asset_type).toBeUndefined();
    expect(q.flagged).toBeUndefined();
    expect(q.cursor).toBeUndefined();
    expect(q.range).toEqual([]);
  });

  it('lets the export override the page size and cursor', () => {
    const q = toAssetQuery(full, { limit: 500, cursor: undefined });
    expect(q.limit).toBe(500);
    expect(q.cursor).toBeUndefined();
  });
});

describe('screener changes', () => {
  it('goes back to the first page on any change but a page move', () => {
    expect(updateScreener(full, { q: 'eth' }).cursor).toBeNull();
    expect(updateScreener(full, { cursor: 'next' }).cursor).toBe('next');
  });

  it('flips the order on the same column and starts a new numeric column descending', () => {
    expect(sortBy(full, 'rsi_14').order).toBe('asc');
    expect(sortBy(full, 'close')).toMatchObject({ sort: 'close', order: 'desc', cursor: null });
    expect(sortBy(full, 'symbol')).toMatchObject({ sort: 'symbol', order: 'asc' });
  });

  it('knows when something narrows the result', () => {
    expect(hasFilters(DEFAULT_STATE)).toBe(false);
    expect(hasFilters({ ...DEFAULT_STATE, columns: ['adx_14'], sort: 'adx_14' })).toBe(false);
    expect(hasFilters({ ...DEFAULT_STATE, flagged: false })).toBe(true);
    expect(hasFilters({ ...DEFAULT_STATE, ranges: [{ feature: 'rsi_14', min: 1, max: null }] })).toBe(true);
  });
});
