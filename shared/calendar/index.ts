import type { AssetType } from '../domain/market.ts';

// Dates travel as 'YYYY-MM-DD' strings and are computed as whole UTC days since 1970-01-01, so no
// local time zone or daylight-saving shift can move a date.
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * NYSE full-day closures that no holiday rule produces: 9/11, the national days of mourning for
 * Presidents Reagan, Ford, G.H.W. Bush and Carter, and Hurricane Sandy.
 */
const NYSE_SPECIAL_CLOSURES: readonly string[] = [
  '2001-09-11',
  '2001-09-12',
  '2001-09-13',
  '2001-09-14',
  '2004-06-11',
  '2007-01-02',
  '2012-10-29',
  '2012-10-30',
  '2018-12-05',
  '2025-01-09',
];

function toDayNumber(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 2023-02-30 over to March; a round trip exposes such dates.
  if (new Date(ms).getUTCDate() !== d || new Date(ms).getUTCMonth() !== mo - 1) {
    throw new RangeError(`not a real calendar date: ${date}`);
  }
  return ms / DAY_MS;
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday; 1970-01-01 was a Thursday. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function ymd(year: number, month: number, dayOfMonth: number): number {
  return Date.UTC(year, month - 1, dayOfMonth) / DAY_MS;
}

/** The n-th given weekday of a month (n = -1 for the last one). */
function nthWeekday(year: number, month: number, wd: number, n: number): number {
  if (n > 0) {
    const first = ymd(year, month, 1);
    return first + ((wd - weekday(first) + 7) % 7) + (n - 1) * 7;
  }
  const last = ymd(year, month + 1, 1) - 1;
  return last - ((weekday(last) - wd + 7) % 7);
}

/** Western Easter Sunday (anonymous Gregorian computus, Meeus/Jones/Butcher). */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, dayOfMonth);
}

/** A fixed-date holiday moves to Friday when it falls on a Saturday and to Monday on a Sunday. */
function observed(day: number): number {
  const wd = weekday(day);
  return wd === 6 ? day - 1 : wd === 0 ? day + 1 : day;
}

/** NYSE holiday rules as they stand since 1998 (when MLK Day was added). */
function nyseHolidays(year: number): number[] {
  const days = [
    nthWeekday(year, 1, 1, 3), // Martin Luther King Jr. Day
    nthWeekday(year, 2, 1, 3), // Washington's Birthday
    easterSunday(year) - 2, // Good Friday
    nthWeekday(year, 5, 1, -1), // Memorial Day
    observed(ymd(year, 7, 4)),
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 11, 4, 4), // Thanksgiving
    observed(ymd(year, 12, 25)),
  ];
  // NYSE Rule 7.2: a Saturday New Year's Day is not made up on Friday Dec 31, which closes a
  // yearly accounting period; a Sunday one moves to Monday.
  const newYear = ymd(year, 1, 1);
  if (weekday(newYear) !== 6) days.push(observed(newYear));
  if (year >= 2022) days.push(observed(ymd(year, 6, 19))); // Juneteenth
  return days;
}

const closedDays = new Set(NYSE_SPECIAL_CLOSURES.map(toDayNumber));
const coveredYears = new Set<number>();

function isNyseClosed(day: number): boolean {
  const wd = weekday(day);
  if (wd === 0 || wd === 6) return true;
  const year = new Date(day * DAY_MS).getUTCFullYear();
  if (!coveredYears.has(year)) {
    for (const h of nyseHolidays(year)) closedDays.add(h);
    coveredYears.add(year);
  }
  return closedDays.has(day);
}

function isOpen(assetType: AssetType, day: number): boolean {
  return assetType === 'crypto' || !isNyseClosed(day);
}

/** Whether the market trades on a date: crypto every day, equities on NYSE trading days. */
export function isTradingDay(assetType: AssetType, date: string): boolean {
  return isOpen(assetType, toDayNumber(date));
}

/** The trading days from `from` to `to`, both inclusive, oldest first (empty when from > to). */
export function tradingDays(assetType: AssetType, from: string, to: string): string[] {
  const out: string[] = [];
  const last = toDayNumber(to);
  for (let day = toDayNumber(from); day <= last; day++) {
    if (isOpen(assetType, day)) out.push(fromDayNumber(day));
  }
  return out;
}

/** The last trading day on or before a date: the day whose close is the newest one available. */
export function latestTradingDay(assetType: AssetType, onOrBefore: string): string {
  let day = toDayNumber(onOrBefore);
  while (!isOpen(assetType, day)) day--;
  return fromDayNumber(day);
}

/** The last trading day strictly before a date. */
export function previousTradingDay(assetType: AssetType, date: string): string {
  return latestTradingDay(assetType, addDays(date, -1));
}

/** The calendar date n days after `date` (n may be negative). */
export function addDays(date: string, n: number): string {
  return fromDayNumber(toDayNumber(date) + n);
}

/** The current UTC calendar date; pass `now` to keep callers deterministic. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Minutes after midnight UTC by which a US session's daily bar is final (16:00 ET is 21:00 UTC in winter). */
const EQUITY_BAR_FINAL_MINUTE_UTC = 21 * 60 + 30;

/**
 * The newest date whose daily bar is complete at `now`: yesterday for crypto (the UTC day is the
 * bar), and for equities today once the session has closed, else the previous trading day.
 */
export function latestCompleteDay(assetType: AssetType, now: Date = new Date()): string {
  const today = todayUtc(now);
  if (assetType === 'crypto') return addDays(today, -1);
  const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
  return isTradingDay('equity', today) && minute >= EQUITY_BAR_FINAL_MINUTE_UTC
    ? today
    : previousTradingDay('equity', today);
}
