import { useSyncExternalStore } from 'react';
import type { AssetType } from '../../shared/domain/market.ts';

// A hash router: the local stack serves the build as static files at `/`, and a hash needs no
// server rewrites. A page's own state (the screener's filters) lives in the hash's query string,
// so a link reproduces the view.

/** The top-level pages, in navigation order. */
export const PAGES = [
  { page: 'today', label: 'Today', href: '#/' },
  { page: 'screener', label: 'Screener', href: '#/screener' },
  { page: 'signals', label: 'Signals', href: '#/signals' },
  { page: 'reviews', label: 'AI reviews', href: '#/reviews' },
  { page: 'backtests', label: 'Backtests', href: '#/backtests' },
  { page: 'news', label: 'News', href: '#/news' },
  { page: 'portfolio', label: 'Portfolio', href: '#/portfolio' },
  { page: 'strategies', label: 'Strategies', href: '#/strategies' },
  { page: 'search', label: 'Search', href: '#/search' },
  { page: 'learning', label: 'Learning', href: '#/learning' },
  { page: 'pipeline', label: 'Pipeline', href: '#/pipeline' },
] as const;

export type TopPage = (typeof PAGES)[number]['page'];

export type Route = (
  | { page: TopPage }
  | { page: 'asset'; assetType: AssetType; symbol: string }
  | { page: 'backtest'; id: number }
  | { page: 'not-found'; path: string }
) & {
  /** The query string after `?` in the hash (without the `?`). */
  query: string;
};

const ASSET_TYPES: readonly string[] = ['crypto', 'equity'] satisfies AssetType[];
const TOP: ReadonlyMap<string, TopPage> = new Map(PAGES.map((p) => [p.href.slice(1), p.page]));

/**
 * `#/` is today; `#/screener?…`, `#/signals`, `#/reviews`, `#/backtests`, `#/pipeline`;
 * `#/asset/<type>/<symbol>`; `#/backtests/<id>`.
 */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? '' : raw.slice(q + 1);
  const top = TOP.get(path.replace(/(.)\/+$/, '$1') || '/');
  if (top) return { page: top, query };
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 2 && parts[0] === 'backtests' && /^[1-9]\d*$/.test(parts[1] ?? '')) {
    const id = Number(parts[1]);
    if (Number.isSafeInteger(id)) return { page: 'backtest', id, query };
  }
  if (parts.length === 3 && parts[0] === 'asset' && ASSET_TYPES.includes(parts[1] ?? '')) {
    try {
      return {
        page: 'asset',
        assetType: parts[1] as AssetType,
        symbol: decodeURIComponent(parts[2] ?? ''),
        query,
      };
    } catch {
      // a malformed escape falls through to not-found
    }
  }
  return { page: 'not-found', path, query };
}

export const todayHref = '#/';

/** Link to one asset's page. */
export function assetHref(assetType: AssetType, symbol: string): string {
  return `#/asset/${assetType}/${encodeURIComponent(symbol)}`;
}

/** Link to one backtest's result, optionally compared with another. */
export function backtestHref(id: number, compare?: number): string {
  return compare === undefined ? `#/backtests/${id}` : `#/backtests/${id}?compare=${compare}`;
}

/** Link to the screener with a query string (as `serializeScreener` writes it). */
export function screenerHref(query = ''): string {
  return query ? `#/screener?${query}` : '#/screener';
}

const CHANGE = 'hashchange';

/**
 * Goes to `href` (a `#/…` link). `replace` rewrites the current history entry instead of adding one:
 * filter edits should not fill the back button with every keystroke.
 */
export function navigate(href: string, opts: { replace?: boolean } = {}): void {
  if (window.location.hash === href) return;
  if (opts.replace) {
    window.history.replaceState(window.history.state, '', href);
    // replaceState fires no event; subscribers listen for hashchange.
    window.dispatchEvent(new HashChangeEvent(CHANGE));
  } else {
    window.location.hash = href;
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener(CHANGE, onChange);
  return () => window.removeEventListener(CHANGE, onChange);
}

const getHash = () => window.location.hash;

/** The current route; re-renders on navigation. */
export function useRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, getHash, () => ''));
}
