import type { Clock } from '../../../shared/providers/http/clock.ts';

/** A clock whose sleeps return at once and move time forward; it records every wait asked for. */
export interface VirtualClock extends Clock {
  /** Every sleep requested, in ms, in order. */
  sleeps: number[];
  /** Moves time forward without a sleep (a cooldown passing). */
  advance(ms: number): void;
}

/** A virtual clock starting at a fixed instant, with jitter fixed at half the range. */
export function createVirtualClock(start = Date.parse('2026-01-05T12:00:00Z')): VirtualClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    random: () => 0.5,
    advance: (ms) => {
      now += ms;
    },
    async sleep(ms) {
      sleeps.push(ms);
      const until = now + ms;
      // Let real I/O run (the fake server answers over real sockets), then jump to the wake-up time.
      await new Promise((resolve) => setTimeout(resolve, 0));
      now = Math.max(now, until);
    },
  };
}
