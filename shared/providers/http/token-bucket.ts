import type { Clock } from './clock.ts';

/** A published request limit: `limit` requests per `intervalMs`, at most `burst` at once (default: limit). */
export interface RateLimit {
  limit: number;
  intervalMs: number;
  burst?: number;
}

/** `n` requests per second. */
export const perSecond = (n: number, burst?: number): RateLimit => rate(n, 1_000, burst);
/** `n` requests per minute. */
export const perMinute = (n: number, burst?: number): RateLimit => rate(n, 60_000, burst);
/** `n` requests per hour. */
export const perHour = (n: number, burst?: number): RateLimit => rate(n, 3_600_000, burst);
/** `n` requests per day. */
export const perDay = (n: number, burst?: number): RateLimit => rate(n, 86_400_000, burst);

function rate(limit: number, intervalMs: number, burst: number | undefined): RateLimit {
  return burst === undefined ? { limit, intervalMs } : { limit, intervalMs, burst };
}

/**
 * A token bucket that refills continuously at limit/interval and holds at most `burst` tokens.
 * Reservations may take the balance below zero: each caller is told how long to wait for its own
 * token, so concurrent callers queue fairly instead of racing for the next refill.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(
    readonly limit: RateLimit,
    private readonly clock: Clock,
  ) {
    if (!(limit.limit > 0 && limit.intervalMs > 0)) throw new RangeError('a rate limit must be positive');
    this.capacity = Math.max(1, limit.burst ?? limit.limit);
    this.perMs = limit.limit / limit.intervalMs;
    this.tokens = this.capacity;
    this.updatedAt = clock.now();
  }

  /** Milliseconds until a reservation made now could be sent (0: at once); reserves nothing. */
  waitTime(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.perMs;
  }

  /** Takes one token and returns how long the caller must wait before sending. */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : -this.tokens / this.perMs;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.perMs);
    this.updatedAt = now;
  }
}
