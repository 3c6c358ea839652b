import { useSyncExternalStore } from 'react';
import type { AssetType } from '../../shared/domain/market.ts';

export type Route =
  | { page: 'today' }
  | { page: 'asset'; assetType: AssetType; symbol: string }
  | { page: 'not-found'; path: string };

const ASSET_TYPES: readonly string[] = ['crypto', 'equity'] satisfies AssetType[];

/** `#/` is today; `#/asset/<type>/<symbol>` is one asset. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/' || path === '') return { page: 'today' };
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 3 && parts[0] === 'asset' && ASSET_TYPES.includes(parts[1] ?? '')) {
    try {
      return { page: 'asset', assetType: parts[1] as AssetType, symbol: decodeURIComponent(parts[2] ?? '') };
    } catch {
      // a malformed escape falls through to not-found
    }
  }
  return { page: 'not-found', path };
}

export const todayHref = '#/';

export function assetHref(assetType: AssetType, symbol: string): string {
  return `#/asset/${assetType}/${encodeURIComponent(symbol)}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const getHash = () => window.location.hash;

export function useRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, getHash, () => ''));
}
