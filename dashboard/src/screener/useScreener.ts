import { useCallback, useMemo } from 'react';
import { navigate, screenerHref } from '../router.ts';
import { parseScreener, type ScreenerState, serializeScreener, updateScreener } from './state.ts';

/**
 * The screener's state, read from and written to the URL. Edits replace the history entry (a
 * filter tweak is not a page); the URL is the single source, so a reload or a shared link shows
 * the same result.
 */
export function useScreener(query: string) {
  const state = useMemo(() => parseScreener(query), [query]);
  const replace = useCallback((next: ScreenerState) => {
    navigate(screenerHref(serializeScreener(next)), { replace: true });
  }, []);
  const set = useCallback(
    (change: Partial<ScreenerState>) => replace(updateScreener(state, change)),
    [state, replace],
  );
  return { state, set, replace };
}
