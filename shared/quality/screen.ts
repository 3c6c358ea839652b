import type { RawBar } from '../domain/market.ts';
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

/** A bar that must not be stored, and why. */
export interface RejectedBar {
  bar: RawBar;
  source: string;
  reason: string;
}

/**
 * Screens an incoming batch: structurally invalid bars, future dates and duplicate (symbol, date)
 * pairs are rejected; a close that jumps more than JUMP_SIGMAS standard deviations from the recent
 * distribution of log returns is flagged but kept. `recentCloses` holds each symbol's stored closes
 * before the batch, oldest first.
 */
export function screenBars(
  batch: readonly { bar: RawBar; source: string }[],
  opts: { today: string; recentCloses: ReadonlyMap<string, readonly number[]> },
): { accepted: ScreenedBar[]; rejected: RejectedBar[] } {
  const accepted: ScreenedBar[] = [];
  const rejected: RejectedBar[] = [];
  const seen = new Set<string>();
  for (const { bar, source } of batch) {
    const reason =
      validateBar(bar) ??
      (bar.date > opts.today ? `date ${bar.date} is in the future (today is ${opts.today})` : null) ??
      (seen.has(`${bar.symbol}|${bar.date}`)
        ? `duplicate bar for ${bar.symbol} on ${bar.date} in one batch`
        : null);
    if (reason) {
      rejected.push({ bar, source, reason });
      continue;
    }
    seen.add(`${bar.symbol}|${bar.date}`);
    accepted.push({ bar, source, flags: [] });
  }
  flagJumps(accepted, opts.recentCloses);
  return { accepted, rejected };
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
    const closes = [...(recentCloses.get(symbol) ?? [])];
    const returns: number[] = [];
    for (let i = 1; i < closes.length; i++) returns.push(Math.log(closes[i]! / closes[i - 1]!));
    for (const s of list) {
      const previous = closes.at(-1);
      if (previous !== undefined) {
        const r = Math.log(s.bar.close / previous);
        const window = returns.slice(-JUMP_WINDOW);
        if (window.length >= JUMP_MIN_RETURNS) {
          const mean = window.reduce((a, b) => a + b, 0) / window.length;
          const sd = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / (window.length - 1));
          const sigmas = sd > 0 ? Math.abs(r - mean) / sd : Number.POSITIVE_INFINITY;
          if (sigmas > JUMP_SIGMAS && r !== mean) {
            s.flags.push(
              `close ${s.bar.close} moved ${(r * 100).toFixed(1)}% (log) from ${previous}: ${sigmas === Number.POSITIVE_INFINITY ? 'after a flat period' : `${sigmas.toFixed(1)} standard deviations`} beyond the last ${window.length} returns`,
            );
          }
        }
        returns.push(r);
      }
      closes.push(s.bar.close);
    }
  }
}
