import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from './concurrency.ts';

describe('ConcurrencyLimiter', () => {
  it('never runs more than max tasks at once and starts the rest in arrival order', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      limiter.run(async () => {
        started.push(i);
        peak = Math.max(peak, ++running);
        await new Promise<void>((resolve) => release.push(resolve));
        running--;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    while (release.length) {
      release.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('frees the slot when a task throws', async () => {
    const limiter = new ConcurrencyLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 'next')).toBe('next');
    expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError);
  });
});
