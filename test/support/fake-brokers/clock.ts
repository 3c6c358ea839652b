import type { Clock } from '../../../shared/providers/http/clock.ts';

/** A clock whose sleeps return at once but move its time on, recording each wait (tests never really wait). */
export interface VirtualClock extends Clock {
  sleeps: number[];
}

/** Real time plus every sleep taken so far. */
export function virtualClock(): VirtualClock {
  let offset = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now() + offset,
    sleep: async (ms) => {
      sleeps.push(ms);
      offset += ms;
    },
    random: () => 0.5,
  };
}
