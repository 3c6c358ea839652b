import { latestCompleteDay } from '../calendar/index.ts';
import type { AssetType } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';

const MARKET: Record<AssetType, string> = {
  crypto: 'crypto (yesterday UTC)',
  equity: 'equities (the last closed NYSE session)',
};

/**
 * Refuses a run date after the latest complete day of the market: such a run has no bars to fetch,
 * only gaps to record. Checked where a run is requested and again where it is planned.
 */
export function refuseFutureRunDate(date: string, assetType: AssetType, now: Date = new Date()): void {
  const latest = latestCompleteDay(assetType, now);
  if (date > latest) {
    throw new AppError(
      'invalid_input',
      `run date ${date} is after the latest complete day of ${MARKET[assetType]}, ${latest}`,
      { retryable: false, details: [{ path: 'date', message: `must not be after ${latest}` }] },
    );
  }
}
