import { AppError, errorMessage } from '../../errors/index.ts';
import type { NewsError, NewsItem, NewsResult } from '../types.ts';

/** One page of a provider's answer: its items, and whether another page may follow. */
export interface NewsPage {
  items: NewsItem[];
  more: boolean;
}

/**
 * Runs a provider's batches one after another, each page by page up to `maxPages`, through the
 * shared HTTP client (which paces, retries and breaks the circuit). A batch that fails is recorded
 * with its symbols and whether to retry; the items of pages before the failure are kept. When
 * `isQuota` says an error is the provider's daily quota (or the client's own daily bucket is
 * empty), no further request is sent: the result says `quotaExhausted` and lists the symbols left.
 */
export async function fetchBatches(
  batches: readonly string[][],
  maxPages: number,
  page: (symbols: string[], index: number) => Promise<NewsPage>,
  isQuota: (err: AppError) => boolean,
): Promise<NewsResult> {
  const result: NewsResult = { items: [], errors: [], requests: 0, quotaExhausted: false };
  for (const [b, symbols] of batches.entries()) {
    if (result.quotaExhausted) {
      result.errors.push(...quotaLeft(batches.slice(b)));
      break;
    }
    try {
      for (let index = 0; index < maxPages; index++) {
        result.requests++;
        const { items, more } = await page(symbols, index);
        result.items.push(...items);
        if (!more) break;
      }
    } catch (err) {
      const error: NewsError = {
        symbols,
        error: errorMessage(err),
        retryable: err instanceof AppError && err.retryable,
      };
      result.errors.push(error);
      if (err instanceof AppError && (isQuota(err) || rateLimited(err))) result.quotaExhausted = true;
    }
  }
  return result;
}

function quotaLeft(batches: readonly string[][]): NewsError[] {
  const symbols = batches.flat();
  return symbols.length === 0
    ? []
    : [{ symbols, error: 'not fetched: the daily request quota is used up', retryable: true }];
}

/** The client refused to wait for its own rate bucket (a daily allowance spent in this process). */
function rateLimited(err: AppError): boolean {
  return (err.options.details as { rateLimited?: boolean } | undefined)?.rateLimited === true;
}

/** The HTTP status a provider error carried, if any. */
export function statusOf(err: AppError): number | undefined {
  return (err.options.details as { status?: number } | undefined)?.status;
}

/** A number from a response field, or null when it is absent or not finite. */
export function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A trimmed string from a response field, or null. */
export function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** An ISO UTC instant from a provider's timestamp, or null when it cannot be read. */
export function instantOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
