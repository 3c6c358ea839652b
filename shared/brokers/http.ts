import { AppError, errorMessage } from '../errors/index.ts';
import type { HttpClient } from '../providers/http/client.ts';
import { backoffDelay } from '../providers/http/retry.ts';
import { BrokerError } from './types.ts';

// What the HTTP brokers (Alpaca, IBKR's Client Portal) share: reading a failure of the resilient HTTP
// client as a BrokerError, and sending an order so that it is never placed twice.

/** The HTTP status a failure of `requestJson` carried, if the broker answered at all. */
export function httpStatus(err: unknown): number | undefined {
  if (!(err instanceof AppError)) return undefined;
  const status = (err.options.details as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A failure no broker-specific rule claimed, as a BrokerError: 429 `rate_limited` (with the wait the
 * broker asked for), 401 `unauthorized`, 404 `not_found`, a timeout `timeout`, 5xx and network
 * errors `unavailable`, any other refusal `rejected` with the broker's message.
 */
export function transportError(err: unknown, broker: string, client: HttpClient): BrokerError {
  if (err instanceof BrokerError) return err;
  const status = httpStatus(err);
  const message = errorMessage(err);
  if (status === 429) {
    const wait = client.blockedUntil - client.clock.now();
    return new BrokerError('rate_limited', message, broker, wait > 0 ? { retryAfterMs: wait } : {});
  }
  if (status === 401) return new BrokerError('unauthorized', message, broker);
  if (status === 404) return new BrokerError('not_found', message, broker);
  if (status === undefined && /timed out/.test(message)) return new BrokerError('timeout', message, broker);
  if (status === undefined || status >= 500 || status === 408)
    return new BrokerError('unavailable', message, broker);
  return new BrokerError('rejected', message, broker);
}

/** How `submitSafely` sends one order and finds it again. */
export interface SafeSubmit<T> {
  broker: string;
  clientOrderId: string;
  client: HttpClient;
  /** One attempt at sending the order, with no retry of its own. */
  send(): Promise<T>;
  /** The order as the broker has it under the client order id, or null when it has none. */
  lookup(): Promise<T | null>;
  /** The broker's reading of a failed send (its refusals first, then `transportError`). */
  classify(err: unknown): BrokerError;
  /** Sends at most this many times (default 4). */
  attempts?: number;
}

/**
 * Sends an order at most once in effect. A refusal is thrown as is. A 429 means the broker did not
 * read the order, so it is sent again once the wait it asked for is over (the HTTP client holds every
 * request until then). After a timeout or a 5xx the broker may have accepted it: the order is looked
 * up by its client order id BEFORE anything is sent again, and returned if it is there. Should an
 * earlier attempt land after the look-up, the broker refuses the resend as a duplicate client order
 * id, and the order is looked up again rather than reported as a duplicate.
 */
export async function submitSafely<T>(s: SafeSubmit<T>): Promise<T> {
  const attempts = s.attempts ?? 4;
  const { limits, clock } = s.client;
  let last: BrokerError | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await s.send();
    } catch (err) {
      const e = s.classify(err);
      if (e.kind === 'duplicate_client_order_id' && attempt > 0) {
        const found = await find(s, e);
        if (found) return found;
        throw e;
      }
      if (e.kind === 'rate_limited') {
        last = e;
        continue;
      }
      if (e.kind !== 'timeout' && e.kind !== 'unavailable') throw e;
      const found = await find(s, e);
      if (found) return found;
      last = e;
      await clock.sleep(backoffDelay(attempt, limits.backoffBaseMs, limits.backoffMaxMs, clock.random));
    }
  }
  throw last ?? new BrokerError('unavailable', `order ${s.clientOrderId}: no attempt was made`, s.broker);
}

/** Looks the order up after an ambiguous failure; if that fails too, the order's fate is unknown. */
async function find<T>(s: SafeSubmit<T>, cause: BrokerError): Promise<T | null> {
  try {
    return await s.lookup();
  } catch (err) {
    throw new BrokerError(
      'timeout',
      `order ${s.clientOrderId} may have been accepted (${cause.message}) and looking it up failed: ${errorMessage(err)}; look it up before sending it again`,
      s.broker,
    );
  }
}
