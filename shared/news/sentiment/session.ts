import { addDays, isTradingDay } from '../../calendar/index.ts';
import type { AssetType } from '../../domain/market.ts';

// New York wall-clock parts of an instant, DST included (Intl knows the zone's history).
const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The New York calendar date and minute of the day of an instant. */
export function newYorkTime(at: Date): { date: string; minute: number } {
  const parts: Record<string, string> = {};
  for (const p of NEW_YORK.formatToParts(at)) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The first trading day strictly after a date. */
export function nextTradingDay(assetType: AssetType, date: string): string {
  let d = addDays(date, 1);
  while (!isTradingDay(assetType, d)) d = addDays(d, 1);
  return d;
}

/** The US equity close, in minutes after midnight New York time. */
const CLOSE_MINUTE = 16 * 60;

/**
 * The trading day whose close is the first to see an article (point in time). Equities: published
 * before 16:00 New York time on a trading day counts for that day, at or after 16:00 or on a
 * closed day for the next session. Crypto: the UTC day (its daily bar closes at 00:00 UTC).
 * An article dated by day only could have appeared after any close that day: the next session.
 */
export function sessionOf(assetType: AssetType, publishedAt: Date, dateOnly: boolean): string {
  const utcDate = publishedAt.toISOString().slice(0, 10);
  if (dateOnly) return nextTradingDay(assetType, utcDate);
  if (assetType === 'crypto') return utcDate;
  const ny = newYorkTime(publishedAt);
  return ny.minute < CLOSE_MINUTE && isTradingDay('equity', ny.date)
    ? ny.date
    : nextTradingDay('equity', ny.date);
}
