/** A parsed 5-field cron expression (minute hour day-of-month month day-of-week), as pg_cron reads it. */
export interface CronSpec {
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
  /** cron's rule: when both day fields are restricted, either may match. */
  dayOr: boolean;
}

const FIELDS: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

function parseField(text: string, [lo, hi]: [number, number], name: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = lo;
    let to = hi;
    if (range !== '*') {
      const [a, b] = range!.split('-');
      from = Number(a);
      to = b === undefined ? (stepText === undefined ? from : hi) : Number(b);
    }
    if (![from, to, step].every(Number.isInteger) || from < lo || to > hi || from > to || step < 1) {
      throw new Error(`invalid cron ${name} field "${text}"`);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** Parses `m h dom mon dow`; throws with the offending field on bad input. */
export function parseCron(expr: string): CronSpec {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5)
    throw new Error(`cron "${expr}" must have 5 fields (minute hour day month weekday)`);
  const names = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'];
  const [minute, hour, dayOfMonth, month, dow] = parts.map((p, i) => parseField(p, FIELDS[i]!, names[i]!));
  if (dow!.has(7)) dow!.add(0);
  return {
    minute: minute!,
    hour: hour!,
    dayOfMonth: dayOfMonth!,
    month: month!,
    dayOfWeek: dow!,
    dayOr: parts[2] !== '*' && parts[4] !== '*',
  };
}

/** Whether a UTC minute matches the spec. */
export function cronMatches(spec: CronSpec, at: Date): boolean {
  const dom = spec.dayOfMonth.has(at.getUTCDate());
  const dow = spec.dayOfWeek.has(at.getUTCDay());
  const day = spec.dayOr ? dom || dow : dom && dow;
  return (
    spec.minute.has(at.getUTCMinutes()) &&
    spec.hour.has(at.getUTCHours()) &&
    spec.month.has(at.getUTCMonth() + 1) &&
    day
  );
}
