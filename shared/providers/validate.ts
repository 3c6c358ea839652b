import { MIN_DATE, type RawBar } from '../domain/market.ts';
import type { IncomingBar } from './types.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBERS = ['open', 'high', 'low', 'close', 'volume'] as const;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Reasons for a price or volume that is not a finite number start with this code. */
export const NON_NUMERIC = 'non_numeric';

function checkNumber(bar: IncomingBar, field: (typeof NUMBERS)[number]): string | null {
  // Providers hand over fields as the response carried them ("NaN", "", null): check what arrived.
  const value = bar[field];
  if (value === undefined || value === null) return `${NON_NUMERIC}: missing ${field}`;
  if (typeof value !== 'number') return `${NON_NUMERIC}: ${field} ${JSON.stringify(value)} is not a number`;
  if (!Number.isFinite(value)) return `${NON_NUMERIC}: ${field} is ${value}, not a finite number`;
  return null;
}

/**
 * Why a bar's date cannot be stored, or null: it must be a real calendar date as YYYY-MM-DD, not
 * before MIN_DATE (PostgreSQL would store year 0000 as 1 BC; the API refuses such dates too).
 */
export function checkDate(date: unknown): string | null {
  if (date === undefined || date === null || date === '') return 'missing date';
  const m = typeof date === 'string' ? ISO_DATE.exec(date) : null;
  if (!m) return `date ${JSON.stringify(date)} is not YYYY-MM-DD`;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leapDay = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 1 : 0;
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]! + leapDay) {
    return `date ${date} is not a real calendar date`;
  }
  if (date < MIN_DATE) return `date ${date} is before ${MIN_DATE}, the earliest date stored`;
  return null;
}

/**
 * Why finite prices and volume would violate the `daily_bars` checks (positive prices, non-negative
 * volume, high and low bounding open and close), or null.
 */
export function checkPrices(
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): string | null {
  if (open <= 0) return `non-positive price: open is ${open}`;
  if (high <= 0) return `non-positive price: high is ${high}`;
  if (low <= 0) return `non-positive price: low is ${low}`;
  if (close <= 0) return `non-positive price: close is ${close}`;
  if (volume < 0) return `negative volume ${volume}`;
  if (high < low) return `high ${high} is below low ${low}`;
  if (high < open) return `high ${high} is below open ${open}`;
  if (high < close) return `high ${high} is below close ${close}`;
  if (low > open) return `low ${low} is above open ${open}`;
  if (low > close) return `low ${low} is above close ${close}`;
  return null;
}

/**
 * Why a bar would violate the `daily_bars` constraints (or the asset symbol rule), or null when it
 * can be stored (then every price and the volume are finite numbers): the one gate shared by
 * provider ingest and CSV import (whose parser applies checkDate and checkPrices as it reads).
 */
export function validateBar(bar: IncomingBar): string | null {
  if (typeof bar.symbol !== 'string' || bar.symbol.trim() === '') return 'missing symbol';
  const dateProblem = checkDate(bar.date);
  if (dateProblem) return dateProblem;
  for (const field of NUMBERS) {
    const problem = checkNumber(bar, field);
    if (problem) return problem;
  }
  // Every price and the volume were checked above: they are finite numbers now.
  const { open, high, low, close, volume } = bar as RawBar;
  return checkPrices(open, high, low, close, volume);
}
