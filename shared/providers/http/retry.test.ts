import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from './retry.ts';

describe('backoffDelay', () => {
  it('draws uniformly below base * 2^attempt (full jitter), capped at max', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, 500, 8_000, () => 0.999_999))).toEqual([
      499, 999, 1_999, 3_999,
    ]);
    expect(backoffDelay(10, 500, 8_000, () => 0.5)).toBe(4_000);
    expect(backoffDelay(3, 500, 8_000, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-05T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now, a past date meaning now', () => {
    expect(parseRetryAfter('Mon, 05 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 05 Jan 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('returns null when absent or unreadable', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});
