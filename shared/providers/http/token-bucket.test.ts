import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../../test/support/fake-providers/clock.ts';
import { perDay, perHour, perMinute, perSecond, TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('lets a full burst through at once, then paces requests at the refill rate', () => {
    const clock = createVirtualClock();
    const bucket = new TokenBucket(perMinute(5), clock);
    expect([1, 2, 3, 4, 5].map(() => bucket.reserve())).toEqual([0, 0, 0, 0, 0]);
    // 5 per minute: one token every 12 s; queued reservations wait 12 s, 24 s, ...
    expect(bucket.reserve()).toBeCloseTo(12_000);
    expect(bucket.reserve()).toBeCloseTo(24_000);
  });

  it('refills continuously with time, up to the burst and no further', () => {
    const clock = createVirtualClock();
    const bucket = new TokenBucket(perSecond(10, 2), clock);
    bucket.reserve();
    bucket.reserve();
    expect(bucket.waitTime()).toBeCloseTo(100);
    clock.advance(50);
    expect(bucket.waitTime()).toBeCloseTo(50);
    clock.advance(60_000);
    // A long idle spell refills only up to the burst of 2.
    expect([bucket.reserve(), bucket.reserve()]).toEqual([0, 0]);
    expect(bucket.reserve()).toBeCloseTo(100);
  });

  it('waitTime tells what reserve would wait without taking a token', () => {
    const clock = createVirtualClock();
    const bucket = new TokenBucket(perHour(50), clock);
    for (let i = 0; i < 50; i++) bucket.reserve();
    expect(bucket.waitTime()).toBeCloseTo(72_000);
    expect(bucket.waitTime()).toBeCloseTo(72_000);
    expect(bucket.reserve()).toBeCloseTo(72_000);
  });

  it('builds limits per second, minute, hour and day', () => {
    expect(perSecond(3)).toEqual({ limit: 3, intervalMs: 1_000 });
    expect(perMinute(200)).toEqual({ limit: 200, intervalMs: 60_000 });
    expect(perHour(50, 5)).toEqual({ limit: 50, intervalMs: 3_600_000, burst: 5 });
    expect(perDay(1_000)).toEqual({ limit: 1_000, intervalMs: 86_400_000 });
    expect(() => new TokenBucket({ limit: 0, intervalMs: 1 }, createVirtualClock())).toThrow(RangeError);
  });
});
