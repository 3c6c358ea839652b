import { useSyncExternalStore } from 'react';
import { browserStore, readItem, writeItem } from './storage.ts';

// Light and dark themes: the system preference by default, or the user's explicit choice
// (persisted). The resolved theme is set as `data-theme` on <html>; the CSS variables do the rest.

/** What the user chose. */
export type ThemeChoice = 'system' | 'light' | 'dark';
/** What is shown. */
export type Theme = 'light' | 'dark';

/** localStorage key of the theme choice. */
export const THEME_KEY = 'stratos.theme';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** A stored choice; anything unknown means "follow the system". */
export function parseThemeChoice(value: string | null): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** The theme to show for a choice and the system preference. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === 'system') return systemDark ? 'dark' : 'light';
  return choice;
}

let choice: ThemeChoice = parseThemeChoice(readItem(browserStore(), THEME_KEY));
const listeners = new Set<() => void>();

const systemDark = () => typeof matchMedia === 'function' && matchMedia(DARK_QUERY).matches;

function apply(): void {
  const theme = resolveTheme(choice, systemDark());
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
  for (const listener of listeners) listener();
}

/** Applies the stored theme before the first render and follows system changes afterwards. */
export function initTheme(): void {
  apply();
  if (typeof matchMedia === 'function') matchMedia(DARK_QUERY).addEventListener('change', apply);
}

/** Stores and applies a choice. */
export function setThemeChoice(next: ThemeChoice): void {
  choice = next;
  writeItem(browserStore(), THEME_KEY, next === 'system' ? null : next);
  apply();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const snapshot = () => `${choice}:${resolveTheme(choice, systemDark())}`;

/** The current choice and resolved theme; re-renders when either changes. */
export function useTheme(): { choice: ThemeChoice; theme: Theme; setChoice: (c: ThemeChoice) => void } {
  const [c, t] = useSyncExternalStore(subscribe, snapshot, () => 'system:light').split(':');
  return {
    choice: parseThemeChoice(c ?? null),
    theme: t === 'dark' ? 'dark' : 'light',
    setChoice: setThemeChoice,
  };
}
