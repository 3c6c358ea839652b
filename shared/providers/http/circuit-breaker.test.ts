import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../../test/support/fake-providers/clock.ts';
import { AppError } from '../../errors/index.ts';
import { CircuitBreaker } from './circuit-breaker.ts';

const opts = { failureThreshold: 3, cooldownMs: 30_000 };

function caught(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a throw');
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and then fails fast with a retryable provider_unavailable', () => {
    const breaker = new CircuitBreaker('api.example.com', opts, createVirtualClock());
    breaker.failure();
    breaker.failure();
    expect(() => breaker.admit()).not.toThrow();
    breaker.success();
    for (let i = 0; i < 3; i++) breaker.failure();
    const err = caught(() => breaker.admit());
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('provider_unavailable');
    expect(err.retryable).toBe(true);
    expect(err.message).toBe(
      'circuit open for api.example.com after 3 consecutive failures; next probe in 30 s',
    );
  });

  it('counts only consecutive failures: a success in between resets the count', () => {
    const breaker = new CircuitBreaker('h', opts, createVirtualClock());
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(() => breaker.check()).not.toThrow();
  });

  it('lets one probe through after the cooldown: success closes, failure reopens for a new cooldown', () => {
    const clock = createVirtualClock();
    const breaker = new CircuitBreaker('h', opts, clock);
    for (let i = 0; i < 3; i++) breaker.failure();
    clock.advance(29_999);
    expect(() => breaker.check()).toThrow(/next probe in 1 s/);
    clock.advance(1);
    breaker.admit();
    // While the probe is out, everyone else still fails fast.
    expect(() => breaker.admit()).toThrow(/a probe request is already out/);
    breaker.failure();
    expect(() => breaker.check()).toThrow(/next probe in 30 s/);
    clock.advance(30_000);
    breaker.admit();
    breaker.success();
    expect(() => breaker.admit()).not.toThrow();
    expect(() => breaker.admit()).not.toThrow();
  });
});
