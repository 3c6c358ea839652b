import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../dashboard/src/lib/storage.ts';
import { DEFAULT_STATE, type ScreenerState } from '../../dashboard/src/screener/state.ts';
import { deleteView, loadViews, saveView, VIEWS_KEY, viewState } from '../../dashboard/src/screener/views.ts';

/** localStorage's contract over a Map; `quota` makes setItem throw as a full browser store does. */
class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  quota = false;
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.quota) throw new DOMException('quota exceeded', 'QuotaExceededError');
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

const oversold: ScreenerState = {
  ...DEFAULT_STATE,
  assetType: 'equity',
  ranges: [{ feature: 'rsi_14', min: null, max: 30 }],
  sort: 'rsi_14',
  order: 'asc',
  cursor: 'page-3',
};

describe('saved screener views', () => {
  it('saves a view and restores the same state, without the page cursor', () => {
    const store = new MemoryStore();
    const views = saveView(store, '  Oversold equities ', oversold, new Date('2026-01-05T08:00:00Z'));
    expect(views).toEqual([
      {
        name: 'Oversold equities',
        query: 'type=equity&range=rsi_14::30&sort=rsi_14&order=asc',
        savedAt: '2026-01-05T08:00:00.000Z',
      },
    ]);
    expect(viewState(views[0]!)).toEqual({ ...oversold, cursor: null });
  });

  it('replaces a view of the same name regardless of case, and lists views by name', () => {
    const store = new MemoryStore();
    saveView(store, 'zeta', DEFAULT_STATE);
    saveView(store, 'Alpha', DEFAULT_STATE);
    const views = saveView(store, 'ALPHA', oversold);
    expect(views.map((v) => v.name)).toEqual(['ALPHA', 'zeta']);
    expect(viewState(views[0]!).assetType).toBe('equity');
  });

  it('deletes a view by name', () => {
    const store = new MemoryStore();
    saveView(store, 'a', DEFAULT_STATE);
    saveView(store, 'b', DEFAULT_STATE);
    expect(deleteView(store, 'a').map((v) => v.name)).toEqual(['b']);
  });

  it('refuses an empty name and reports a store that refuses to write', () => {
    const store = new MemoryStore();
    expect(() => saveView(store, '   ', DEFAULT_STATE)).toThrow(/name/);
    store.quota = true;
    expect(() => saveView(store, 'x', DEFAULT_STATE)).toThrow(/refused/);
  });

  it('reads corrupt or foreign data as no views instead of failing', () => {
    const store = new MemoryStore();
    store.data.set(VIEWS_KEY, '{not json');
    expect(loadViews(store)).toEqual([]);
    store.data.set(VIEWS_KEY, JSON.stringify([{ name: 'ok', query: '', savedAt: 'x' }, { name: 3 }, null]));
    expect(loadViews(store).map((v) => v.name)).toEqual(['ok']);
    expect(loadViews(null)).toEqual([]);
  });
});
