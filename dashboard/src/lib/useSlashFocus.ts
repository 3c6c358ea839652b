import { useEffect } from 'react';

const EDITABLE = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/**
 * `/` focuses the page's search box (the last `[data-search]` in the document, so a page's own
 * search wins over the header's), unless the user is typing somewhere.
 */
export function useSlashFocus(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      const target = e.target as HTMLElement | null;
      if (target && (EDITABLE.has(target.tagName) || target.isContentEditable)) return;
      const boxes = document.querySelectorAll<HTMLInputElement>('[data-search]');
      const box = boxes[boxes.length - 1];
      if (!box) return;
      e.preventDefault();
      box.focus();
      box.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
