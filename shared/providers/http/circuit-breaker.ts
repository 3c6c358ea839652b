import { AppError } from '../../errors/index.ts';
import type { Clock } from './clock.ts';

/** When to stop calling a provider that keeps failing, and when to try it again. */
export interface BreakerOptions {
  /** Consecutive failed attempts (5xx, timeouts, network errors, malformed bodies) that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit fails fast before letting one probe request through. */
  cooldownMs: number;
}

type State = { kind: 'closed'; failures: number } | { kind: 'open'; since: number } | { kind: 'half-open' };

/**
 * A circuit breaker per provider host. Closed: requests flow and consecutive failures are counted.
 * Open: every request fails at once with a retryable `provider_unavailable`, so a provider that is
 * down costs the run nothing but a line per symbol. After the cooldown one probe goes through
 * (half-open): success closes the circuit, failure opens it for another cooldown.
 */
export class CircuitBreaker {
  private state: State = { kind: 'closed', failures: 0 };

  constructor(
    private readonly name: string,
    private readonly opts: BreakerOptions,
    private readonly clock: Clock,
  ) {}

  /** Throws the fail-fast error when a request may not go out now; does not change the state. */
  check(): void {
    if (this.state.kind === 'half-open') throw this.openError('a probe request is already out');
    if (this.state.kind === 'open') {
      const left = this.cooldownLeft(this.state.since);
      if (left > 0) throw this.openError(`next probe in ${Math.ceil(left / 1000)} s`);
    }
  }

  /** Lets a request out (as the probe, when the cooldown has passed) or throws like check(). */
  admit(): void {
    this.check();
    if (this.state.kind === 'open') this.state = { kind: 'half-open' };
  }

  /** The provider answered (any status it means, including 4xx and 429): it is up. */
  success(): void {
    this.state = { kind: 'closed', failures: 0 };
  }

  /** The attempt failed in a way that says the provider is down or broken. */
  failure(): void {
    if (this.state.kind === 'closed') {
      const failures = this.state.failures + 1;
      this.state =
        failures >= this.opts.failureThreshold
          ? { kind: 'open', since: this.clock.now() }
          : { kind: 'closed', failures };
    } else {
      this.state = { kind: 'open', since: this.clock.now() };
    }
  }

  private cooldownLeft(since: number): number {
    return since + this.opts.cooldownMs - this.clock.now();
  }

  private openError(why: string): AppError {
    return new AppError(
      'provider_unavailable',
      `circuit open for ${this.name} after ${this.opts.failureThreshold} consecutive failures; ${why}`,
      { details: { circuit: 'open' } },
    );
  }
}
