import { useState } from 'react';

/** The set of open rows of a table: `toggle(key)` opens a closed row and closes an open one. */
export function useToggleSet<K>(): [open: ReadonlySet<K>, toggle: (key: K) => void] {
  const [open, setOpen] = useState<ReadonlySet<K>>(new Set());
  const toggle = (key: K) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  return [open, toggle];
}
