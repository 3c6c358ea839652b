import { type KeyValueStore, readItem, writeItem } from '../lib/storage.ts';
import { parseScreener, type ScreenerState, serializeScreener } from './state.ts';

// Named screener views kept in localStorage. A view stores the canonical query string (the same
// encoding as the URL), so a view and a link are interchangeable and old views survive new fields.

/** localStorage key; the suffix versions the stored shape. */
export const VIEWS_KEY = 'stratos.screener.views.v1';
const MAX_VIEWS = 50;
const MAX_NAME = 60;

/** A saved view. */
export interface SavedView {
  name: string;
  /** The screener query string, without a page cursor. */
  query: string;
  savedAt: string;
}

function isView(v: unknown): v is SavedView {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.name === 'string' && typeof o.query === 'string' && typeof o.savedAt === 'string';
}

/** The saved views, sorted by name; unreadable storage gives none rather than an error. */
export function loadViews(store: KeyValueStore | null): SavedView[] {
  const raw = readItem(store, VIEWS_KEY);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter(isView).sort((a, b) => a.name.localeCompare(b.name)) : [];
  } catch {
    return [];
  }
}

function store(s: KeyValueStore | null, views: SavedView[]): boolean {
  return writeItem(s, VIEWS_KEY, JSON.stringify(views));
}

/**
 * Saves `state` as `name`, replacing a view of the same name (names compare trimmed and
 * case-insensitively). Throws when the name is empty, too long, or storage refuses.
 */
export function saveView(
  s: KeyValueStore | null,
  name: string,
  state: ScreenerState,
  now = new Date(),
): SavedView[] {
  const clean = name.trim();
  if (!clean) throw new Error('a view needs a name');
  if (clean.length > MAX_NAME) throw new Error(`view names are at most ${MAX_NAME} characters`);
  const views = loadViews(s).filter((v) => v.name.toLowerCase() !== clean.toLowerCase());
  if (views.length >= MAX_VIEWS) throw new Error(`at most ${MAX_VIEWS} views; delete one first`);
  views.push({
    name: clean,
    query: serializeScreener({ ...state, cursor: null }),
    savedAt: now.toISOString(),
  });
  if (!store(s, views)) throw new Error('the browser refused to store the view');
  return loadViews(s);
}

/** Deletes the view called `name`; returns the remaining views. */
export function deleteView(s: KeyValueStore | null, name: string): SavedView[] {
  store(
    s,
    loadViews(s).filter((v) => v.name !== name),
  );
  return loadViews(s);
}

/** The screener state a view restores. */
export function viewState(view: SavedView): ScreenerState {
  return parseScreener(view.query);
}
