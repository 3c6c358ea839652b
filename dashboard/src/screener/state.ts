import type { AssetType } from '../../../shared/domain/market.ts';
import type { QueryParams } from '../api/client.ts';

// The screener's whole state as a value, and its two encodings: the URL query string (shareable,
// canonical, defaults left out) and the GET /assets parameters. Parsing is forgiving (a hand-edited
// link loses only its bad parts); the API validates feature names against the catalogue.

/** A feature range; either bound may be open. */
export interface RangeFilter {
  feature: string;
  min: number | null;
  max: number | null;
}

export type SortOrder = 'asc' | 'desc';

/** Everything that determines what the screener shows. */
export interface ScreenerState {
  q: string;
  assetType: AssetType | null;
  universe: string | null;
  /** A template id that fired on the asset's latest date. */
  signal: string | null;
  /** true: only assets with data-quality entries on their latest date; false: only without. */
  flagged: boolean | null;
  ranges: RangeFilter[];
  /** Feature columns shown, in order. */
  columns: string[];
  sort: string;
  order: SortOrder;
  limit: number;
  /** Opaque page cursor from the API's `next_cursor`; null is the first page. */
  cursor: string | null;
}

/** Feature columns shown when the link names none. */
export const DEFAULT_COLUMNS: readonly string[] = ['ret_1', 'ret_20', 'rsi_14', 'dist_sma_200', 'rvol_20'];
export const PAGE_SIZES: readonly number[] = [25, 50, 100, 200];

export const DEFAULT_STATE: ScreenerState = {
  q: '',
  assetType: null,
  universe: null,
  signal: null,
  flagged: null,
  ranges: [],
  columns: [...DEFAULT_COLUMNS],
  sort: 'symbol',
  order: 'asc',
  limit: 50,
  cursor: null,
};

const IDENT = /^[a-z0-9_]{1,60}$/;
const MAX_RANGES = 20;
const MAX_COLUMNS = 40;

const bound = (s: string | undefined): number | null | undefined => {
  if (s === undefined || s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

/** `rsi_14:30:70`, `rsi_14::30` or `rsi_14:70:` as a range; null when malformed or fully open. */
export function parseRange(text: string): RangeFilter | null {
  const [feature, lo, hi, ...rest] = text.split(':');
  if (rest.length > 0 || !feature || !IDENT.test(feature)) return null;
  const min = bound(lo);
  const max = bound(hi);
  if (min === undefined || max === undefined || (min === null && max === null)) return null;
  return { feature, min, max };
}

/** A range in the API's and the URL's `feature:min:max` form. */
export function formatRange(r: RangeFilter): string {
  return `${r.feature}:${r.min ?? ''}:${r.max ?? ''}`;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The state a screener query string describes (the part of the hash after `?`). */
export function parseScreener(query: string): ScreenerState {
  const p = new URLSearchParams(query);
  const state: ScreenerState = { ...DEFAULT_STATE, columns: [...DEFAULT_COLUMNS] };
  state.q = (p.get('q') ?? '').slice(0, 50);
  const type = p.get('type');
  if (type === 'crypto' || type === 'equity') state.assetType = type;
  const universe = p.get('universe');
  if (universe && IDENT.test(universe)) state.universe = universe;
  const signal = p.get('signal');
  if (signal && IDENT.test(signal)) state.signal = signal;
  const flagged = p.get('flagged');
  if (flagged === 'true' || flagged === 'false') state.flagged = flagged === 'true';
  state.ranges = p
    .getAll('range')
    .map(parseRange)
    .filter((r): r is RangeFilter => r !== null)
    .slice(0, MAX_RANGES);
  const cols = p.get('cols');
  if (cols !== null) {
    state.columns = [...new Set(cols.split(',').filter((c) => IDENT.test(c)))].slice(0, MAX_COLUMNS);
  }
  const sort = p.get('sort');
  if (sort && IDENT.test(sort)) state.sort = sort;
  const order = p.get('order');
  if (order === 'asc' || order === 'desc') state.order = order;
  const limit = Number(p.get('limit'));
  if (Number.isInteger(limit) && limit >= 1 && limit <= 500) state.limit = limit;
  const cursor = p.get('cursor');
  if (cursor && cursor.length <= 500) state.cursor = cursor;
  return state;
}

/** The canonical query string of a state: fixed key order, defaults left out. */
export function serializeScreener(state: ScreenerState): string {
  const p = new URLSearchParams();
  if (state.q.trim()) p.set('q', state.q.trim());
  if (state.assetType) p.set('type', state.assetType);
  if (state.universe) p.set('universe', state.universe);
  if (state.signal) p.set('signal', state.signal);
  if (state.flagged !== null) p.set('flagged', String(state.flagged));
  for (const r of state.ranges) if (r.min !== null || r.max !== null) p.append('range', formatRange(r));
  if (!sameList(state.columns, DEFAULT_COLUMNS)) p.set('cols', state.columns.join(','));
  if (state.sort !== DEFAULT_STATE.sort || state.order !== DEFAULT_STATE.order) {
    p.set('sort', state.sort);
    p.set('order', state.order);
  }
  if (state.limit !== DEFAULT_STATE.limit) p.set('limit', String(state.limit));
  if (state.cursor) p.set('cursor', state.cursor);
  // `:` and `,` are legal in a query string; unescaped, a link reads as `range=rsi_14::30`.
  return p.toString().replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

/** The GET /assets parameters of a state; `overrides` replace single ones (the CSV export's page size). */
export function toAssetQuery(state: ScreenerState, overrides: Partial<QueryParams> = {}): QueryParams {
  return {
    q: state.q.trim() || undefined,
    asset_type: state.assetType ?? undefined,
    universe: state.universe ?? undefined,
    signal: state.signal ?? undefined,
    flagged: state.flagged === null ? undefined : String(state.flagged),
    range: state.ranges.filter((r) => r.min !== null || r.max !== null).map(formatRange),
    columns: state.columns.length ? state.columns.join(',') : undefined,
    sort: state.sort,
    order: state.order,
    limit: state.limit,
    cursor: state.cursor ?? undefined,
    ...overrides,
  };
}

/** Whether anything narrows the result (search, type, universe, signal, flag or a range). */
export function hasFilters(state: ScreenerState): boolean {
  return Boolean(
    state.q.trim() ||
      state.assetType ||
      state.universe ||
      state.signal ||
      state.flagged !== null ||
      state.ranges.length > 0,
  );
}

/**
 * Applies a change from the UI. Anything but a page move starts again at the first page: a cursor
 * belongs to one filter and sort.
 */
export function updateScreener(state: ScreenerState, change: Partial<ScreenerState>): ScreenerState {
  const next = { ...state, ...change };
  if (!('cursor' in change)) next.cursor = null;
  return next;
}

/** Sorting by a header: the same column flips the order; a new one starts descending, except text. */
export function sortBy(state: ScreenerState, column: string): ScreenerState {
  if (column === state.sort) return updateScreener(state, { order: state.order === 'asc' ? 'desc' : 'asc' });
  return updateScreener(state, { sort: column, order: column === 'symbol' ? 'asc' : 'desc' });
}
