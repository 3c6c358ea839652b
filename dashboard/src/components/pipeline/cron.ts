import { cronMatches, parseCron } from '../../../../shared/pipeline/cron.ts';

/** Why a cron expression is rejected, or null when it parses (the server checks it again on save). */
export function cronError(expr: string): string | null {
  try {
    parseCron(expr);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The first UTC minute strictly after `from` that the expression fires on, looking up to a year
 * ahead; null for an invalid expression or one that never fires (e.g. February 30th).
 * Walks days, then the spec's hours and minutes, so a yearly schedule costs ~366 day checks, not
 * half a million minute checks.
 */
export function nextCronRun(expr: string, from: Date): Date | null {
  let spec: ReturnType<typeof parseCron>;
  try {
    spec = parseCron(expr);
  } catch {
    return null;
  }
  const hours = [...spec.hour].sort((a, b) => a - b);
  const minutes = [...spec.minute].sort((a, b) => a - b);
  const start = Math.floor(from.getTime() / MINUTE) * MINUTE + MINUTE;
  const firstDay = Math.floor(start / DAY) * DAY;
  for (let day = firstDay; day <= firstDay + 366 * DAY; day += DAY) {
    // Any minute of the day that matches the day fields: hour and minute are checked below.
    const probe = new Date(day + (hours[0] ?? 0) * 60 * MINUTE + (minutes[0] ?? 0) * MINUTE);
    if (!cronMatches(spec, probe)) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const t = day + h * 60 * MINUTE + m * MINUTE;
        if (t >= start) return new Date(t);
      }
    }
  }
  return null;
}
