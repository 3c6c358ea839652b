import { describe, expect, it } from 'vitest';
import { throttle } from '../../dashboard/src/lib/throttle.ts';

/** Timers under the test's control: `tick()` fires the due ones. */
function manualTimers() {
  let queue: (() => void)[] = [];
  return {
    setTimeout: ((fn: () => void) => {
      queue.push(fn);
      return 0;
    }) as unknown as typeof globalThis.setTimeout,
    tick() {
      const due = queue;
      queue = [];
      for (const fn of due) fn();
    },
  };
}

describe('throttle', () => {
  it('runs the first call at once and collapses a burst into one trailing call', () => {
    const timers = manualTimers();
    let calls = 0;
    const fire = throttle(() => calls++, 1000, timers);
    fire();
    expect(calls).toBe(1);
    for (let i = 0; i < 50; i++) fire();
    expect(calls).toBe(1);
    timers.tick();
    expect(calls).toBe(2);
    timers.tick();
    expect(calls).toBe(2);
    fire();
    expect(calls).toBe(3);
  });

  it('does not add a trailing call when nothing came during the wait', () => {
    const timers = manualTimers();
    let calls = 0;
    const fire = throttle(() => calls++, 1000, timers);
    fire();
    timers.tick();
    fire();
    expect(calls).toBe(2);
  });
});
