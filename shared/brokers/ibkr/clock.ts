import { addDays, isTradingDay } from '../../calendar/index.ts';
import type { MarketClock } from '../types.ts';

// The Client Portal API has no market clock, so the IBKR broker reads the NYSE calendar the rest of
// Stratos uses (weekends, holidays, special closures): regular hours 09:30-16:00 New York time.
// Early closes (13:00 on some holiday eves) are not in that calendar and count as full sessions.

const OPEN_MINUTE = 9 * 60 + 30;
const CLOSE_MINUTE = 16 * 60;

const offsetFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  timeZoneName: 'longOffset',
});

/** New York's UTC offset in minutes at an instant (-300 in winter, -240 in summer). */
function newYorkOffset(at: number): number {
  const name = offsetFormat.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** The instant of a New York wall-clock minute on a date. */
function newYorkInstant(date: string, minute: number): number {
  const naive = Date.parse(`${date}T00:00:00Z`) + minute * 60_000;
  // The offset at the naive instant is right except within hours of a DST switch, which is never 09:30 or 16:00.
  return naive - newYorkOffset(naive) * 60_000;
}

/** The US equity market's clock at `now`: open during a session, and the next open and close. */
export function usEquityClock(now: number): MarketClock {
  const today = new Date(now + newYorkOffset(now) * 60_000).toISOString().slice(0, 10);
  let nextOpen: number | null = null;
  let nextClose: number | null = null;
  for (let day = today; nextOpen === null || nextClose === null; day = addDays(day, 1)) {
    if (!isTradingDay('equity', day)) continue;
    const open = newYorkInstant(day, OPEN_MINUTE);
    const close = newYorkInstant(day, CLOSE_MINUTE);
    if (nextOpen === null && open > now) nextOpen = open;
    if (nextClose === null && close > now) nextClose = close;
  }
  const iso = (t: number) => new Date(t).toISOString();
  // Open: the next close comes before the next open.
  return {
    timestamp: iso(now),
    isOpen: nextClose < nextOpen,
    nextOpen: iso(nextOpen),
    nextClose: iso(nextClose),
  };
}
