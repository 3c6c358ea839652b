import type { RawBar } from '../domain/market.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PRICES = ['open', 'high', 'low', 'close'] as const;
const NUMBERS = [...PRICES, 'volume'] as const;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function checkNumber(bar: RawBar, field: keyof RawBar): string | null {
  // Providers hand over parsed JSON, so the static type is a hope; check what actually arrived.
  const value: unknown = bar[field];
  if (value === undefined || value === null) return `missing ${field}`;
  if (typeof value !== 'number') return `${field} ${JSON.stringify(value)} is not a number`;
  if (!Number.isFinite(value)) return `${field} is ${value}, not a finite number`;
  return null;
}

function checkDate(date: unknown): string | null {
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
  return null;
}

/**
 * Why a bar would violate the `daily_bars` constraints (or the asset symbol rule), or null when it
 * can be stored: the one gate shared by provider ingest and CSV import.
 */
export function validateBar(bar: RawBar): string | null {
  if (typeof bar.symbol !== 'string' || bar.symbol.trim() === '') return 'missing symbol';
  const dateProblem = checkDate(bar.date);
  if (dateProblem) return dateProblem;
  for (const field of NUMBERS) {
    const problem = checkNumber(bar, field);
    if (problem) return problem;
  }
  for (const field of PRICES) {
    if (bar[field] <= 0) return `non-positive price: ${field} is ${bar[field]}`;
  }
  if (bar.volume < 0) return `negative volume ${bar.volume}`;
  const { open, high, low, close } = bar;
  if (high < low) return `high ${high} is below low ${low}`;
  if (high < open) return `high ${high} is below open ${open}`;
  if (high < close) return `high ${high} is below close ${close}`;
  if (low > open) return `low ${low} is above open ${open}`;
  if (low > close) return `low ${low} is above close ${close}`;
  return null;
}
