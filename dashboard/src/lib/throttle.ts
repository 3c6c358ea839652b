/**
 * Calls `fn` at most once per `ms`: the first call runs at once, calls during the wait collapse into
 * one trailing call at its end (so the last change is never missed).
 */
export function throttle(
  fn: () => void,
  ms: number,
  timers: Pick<typeof globalThis, 'setTimeout'> = globalThis,
) {
  let waiting = false;
  let pending = false;
  const release = () => {
    if (pending) {
      pending = false;
      fn();
      timers.setTimeout(release, ms);
    } else {
      waiting = false;
    }
  };
  return () => {
    if (waiting) {
      pending = true;
      return;
    }
    waiting = true;
    fn();
    timers.setTimeout(release, ms);
  };
}
