import type { RawBar } from '../domain/market.ts';
import type { IncomingBar } from '../providers/types.ts';
import { validateBar } from '../providers/validate.ts';

/** Log returns of the recent past a jump is measured against. */
export const JUMP_WINDOW = 60;
/** Fewer returns than this and the distribution is too thin to call anything a jump. */
const JUMP_MIN_RETURNS = 20;
/** A return this many standard deviations from the recent mean is flagged (kept, not dropped). */
export const JUMP_SIGMAS = 10;

/** A bar that passed the screen, with the flags it carries into the ledger. */
export interface ScreenedBar {
  bar: RawBar;
  source: string;
  flags: string[];
}

/** A bar that must not be stored, and why; `bar` is the bar as it arrived (its raw payload). */
export interface RejectedBar<B extends IncomingBar = IncomingBar> {
  bar: B;
  source: string;
  reason: string;
}

/** What the screen needs besides the batch. */
export interface ScreenOptions {
  /** Today (UTC): a bar dated after it is rejected. */
  today: string;
  /** Each symbol's stored closes before the batch, oldest first (the jump check's baseline). */
  recentCloses: ReadonlyMap<string, readonly number[]>;
  /** The dates that were asked for: a bar outside them is rejected (a provider answering more). */
  window?: { from: string; to: string };
  /** Every bar has passed validateBar already (the CSV parser applies its rules as it reads): not checked again. */
  validated?: boolean;
}

const VALUES = ['open', 'high', 'low', 'close', 'volume'] as const;

/**
 * The one screen every incoming bar passes (provider ingest, daily and backfill, and CSV import).
 * Providers and parsers neither deduplicate nor drop bars: they hand over everything they parsed.
 *
 * - A bar that would violate `daily_bars` is rejected: a price or the volume that is not a finite
 *   number (`non_numeric: ...`, naming the field), OHLC inconsistent, non-positive prices, negative
 *   volume, a bad date. A date after `today` is rejected (`future_date`), as is one outside the
 *   requested window (`outside_window`).
 * - Duplicates, a (symbol, date) seen more than once in the batch: identical copies keep the first
 *   and reject the others (`duplicate`); copies with different values are all rejected
 *   (`duplicate_conflict`, naming the values), so nothing for that date is written from this batch:
 *   a bar already stored for it stays as it was, and the next run's repair window asks again.
 * - A close that jumps more than JUMP_SIGMAS standard deviations from the recent distribution of
 *   log returns is flagged but kept.
 *
 * The caller writes every rejected bar and every flag to `data_quality_ledger`.
 */
export function screenBars<B extends IncomingBar>(
  batch: readonly { bar: B; source: string }[],
  opts: ScreenOptions,
): { accepted: ScreenedBar[]; rejected: RejectedBar<B>[] } {
  const repeats = repeatedKeys(batch);
  const accepted: ScreenedBar[] = [];
  const rejected: RejectedBar<B>[] = [];
  batch.forEach(({ bar, source }, i) => {
    const same = repeats?.repeated.get(repeats.keys[i]!);
    const reason = (same && duplicateProblem(batch, same, i)) ?? problem(bar, opts);
    if (reason) rejected.push({ bar, source, reason });
    // validateBar passed: every price and the volume are finite numbers.
    else accepted.push({ bar: bar as RawBar, source, flags: [] });
  });
  flagJumps(accepted, opts.recentCloses);
  return { accepted, rejected };
}

/**
 * Each bar's (symbol, date) key and the batch indices of every key seen more than once; null when the
 * batch is in strictly ascending (symbol, date) order, which has no repeats (a parsed file's symbol).
 */
function repeatedKeys(
  batch: readonly { bar: IncomingBar }[],
): { keys: string[]; repeated: Map<string, number[]> } | null {
  let ascending = true;
  for (let i = 1; i < batch.length && ascending; i++) {
    const a = batch[i - 1]!.bar;
    const b = batch[i]!.bar;
    ascending = a.symbol < b.symbol || (a.symbol === b.symbol && a.date < b.date);
  }
  if (ascending) return null;
  const first = new Map<string, number>();
  const repeated = new Map<string, number[]>();
  const keys = batch.map(({ bar }, i) => {
    const key = `${bar.symbol}|${bar.date}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else repeated.set(key, [...(repeated.get(key) ?? [earlier]), i]);
    return key;
  });
  return { keys, repeated };
}

/** Why one bar on its own cannot be stored, or null. */
function problem(bar: IncomingBar, opts: ScreenOptions): string | null {
  return (
    (opts.validated ? null : validateBar(bar)) ??
    (bar.date > opts.today ? `future_date: ${bar.date} is after today (${opts.today})` : null) ??
    (opts.window && (bar.date < opts.window.from || bar.date > opts.window.to)
      ? `outside_window: ${bar.date} is outside the requested ${opts.window.from}..${opts.window.to}`
      : null)
  );
}

/** The duplicate rule for copy `i` of a (symbol, date) that `same` (batch indices) holds more than once. */
function duplicateProblem(
  batch: readonly { bar: IncomingBar }[],
  same: readonly number[],
  i: number,
): string | null {
  const bars = same.map((k) => batch[k]!.bar);
  const { symbol, date } = bars[0]!;
  const differing = VALUES.filter((f) => new Set(bars.map((b) => JSON.stringify(b[f]) ?? '')).size > 1);
  if (differing.length > 0) {
    const values = differing.map(
      (f) => `${f} ${bars.map((b) => JSON.stringify(b[f]) ?? 'missing').join(' vs ')}`,
    );
    return `duplicate_conflict: ${bars.length} different bars for ${symbol} on ${date} in one batch (${values.join('; ')}); none is stored`;
  }
  const copy = same.indexOf(i);
  return copy === 0
    ? null
    : `duplicate: copy ${copy + 1} of ${bars.length} identical bars for ${symbol} on ${date} in one batch`;
}

function flagJumps(accepted: ScreenedBar[], recentCloses: ReadonlyMap<string, readonly number[]>): void {
  const bySymbol = new Map<string, ScreenedBar[]>();
  for (const s of accepted) {
    const list = bySymbol.get(s.bar.symbol) ?? [];
    list.push(s);
    bySymbol.set(s.bar.symbol, list);
  }
  for (const [symbol, list] of bySymbol) {
    list.sort((a, b) => (a.bar.date < b.bar.date ? -1 : 1));
    const stored = recentCloses.get(symbol) ?? [];
    const returns: number[] = [];
    for (let i = 1; i < stored.length; i++) returns.push(Math.log(stored[i]! / stored[i - 1]!));
    let previous = stored.at(-1);
    for (const s of list) {
      if (previous !== undefined) {
        const r = Math.log(s.bar.close / previous);
        // The last JUMP_WINDOW returns, summed in order (as a slice would be) without copying them.
        const from = Math.max(0, returns.length - JUMP_WINDOW);
        const n = returns.length - from;
        if (n >= JUMP_MIN_RETURNS) {
          let sum = 0;
          for (let k = from; k < returns.length; k++) sum += returns[k]!;
          const mean = sum / n;
          let squares = 0;
          for (let k = from; k < returns.length; k++) squares += (returns[k]! - mean) ** 2;
          const sd = Math.sqrt(squares / (n - 1));
          const sigmas = sd > 0 ? Math.abs(r - mean) / sd : Number.POSITIVE_INFINITY;
          if (sigmas > JUMP_SIGMAS && r !== mean) {
            s.flags.push(
              `close ${s.bar.close} moved ${(r * 100).toFixed(1)}% (log) from ${previous}: ${sigmas === Number.POSITIVE_INFINITY ? 'after a flat period' : `${sigmas.toFixed(1)} standard deviations`} beyond the last ${n} returns`,
            );
          }
        }
        returns.push(r);
      }
      previous = s.bar.close;
    }
  }
}
