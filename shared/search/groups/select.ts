// The final selection among the best groups, against overfitting: a group must not have lost much on
// any day (worst day), must keep a positive mean when any one day is left out (leave-one-day-out, so
// one lucky day cannot carry it), and among those that pass, the highest deflated Sharpe ratio wins,
// deflated by the number of distinct variations the week's ledger has tried.

import type { TrialCount } from '../optimize.ts';
import { seriesDsr } from '../overfitting.ts';
import type { GroupCandidate } from './discover.ts';

/** The selection's rules. */
export interface SelectionOptions {
  /** Lowest daily result allowed (default −2%: the weekday run's bracket stops sit about there). */
  worstDay?: number;
  /** Lowest leave-one-day-out mean allowed (default 0: positive without any single day). */
  looWorst?: number;
  /**
   * Lowest deflated Sharpe allowed (default 0, i.e. ranked, not gated: five daily results against
   * thousands of trials cannot reach the lifecycle's 0.95, which longer paper records must earn).
   */
  minDsr?: number;
}

/** The defaults of SelectionOptions, resolved. */
export const SELECTION_DEFAULTS: Required<SelectionOptions> = { worstDay: -0.02, looWorst: 0, minDsr: 0 };

/** A group as the selection judged it. */
export interface RankedGroup {
  /** 1 for the best score. */
  rank: number;
  /** Members' variation keys in the algorithms' order, joined by ' & '. */
  key: string;
  variations: string[];
  algorithms: string[];
  daily: number[];
  picks: number[];
  meanReturn: number;
  stdReturn: number;
  sharpe: number;
  worstDay: number;
  positiveDays: number;
  totalPicks: number;
  score: number;
  looWorst: number;
  dsr: number;
  trials: number;
  /** The first rule it failed, or null. */
  rejected: string | null;
  selected: boolean;
}

/** Lowest mean of the daily results with one day left out. */
export function leaveOneDayOut(daily: readonly number[]): number {
  const sum = daily.reduce((s, r) => s + r, 0);
  return Math.min(...daily.map((r) => (sum - r) / (daily.length - 1)));
}

/**
 * Judges the discovery's groups (best score first) by the rules and marks the selected one. `keys`
 * are the space's member keys; a member key's algorithm is the part before its first ':'.
 */
export function selectGroups(
  groups: readonly GroupCandidate[],
  keys: readonly string[],
  count: TrialCount,
  options: SelectionOptions = {},
): RankedGroup[] {
  const o = { ...SELECTION_DEFAULTS, ...options };
  const ranked = groups.map((g, i): RankedGroup => {
    const n = g.daily.length;
    const mean = g.daily.reduce((s, r) => s + r, 0) / n;
    const std = Math.sqrt(g.daily.reduce((s, r) => s + (r - mean) ** 2, 0) / (n - 1));
    const sharpe = std > 0 ? mean / std : Number.NaN;
    const variations = g.members.map((m) => keys[m]!);
    const worstDay = Math.min(...g.daily);
    const looWorst = leaveOneDayOut(g.daily);
    const dsr = seriesDsr(g.daily, sharpe, count);
    const rejected =
      worstDay < o.worstDay
        ? `worst day ${(worstDay * 100).toFixed(2)}% below ${(o.worstDay * 100).toFixed(2)}%`
        : looWorst <= o.looWorst
          ? `leave-one-day-out mean ${(looWorst * 100).toFixed(2)}% not above ${(o.looWorst * 100).toFixed(2)}%`
          : !(dsr >= o.minDsr)
            ? `deflated Sharpe ${Number.isFinite(dsr) ? dsr.toFixed(3) : 'undefined'} below ${o.minDsr}`
            : null;
    return {
      rank: i + 1,
      key: variations.join(' & '),
      variations,
      algorithms: variations.map((v) => v.slice(0, v.indexOf(':'))),
      daily: g.daily,
      picks: g.picks,
      meanReturn: mean,
      stdReturn: std,
      sharpe,
      worstDay,
      positiveDays: g.daily.filter((r) => r > 0).length,
      totalPicks: g.picks.reduce((s, p) => s + p, 0),
      score: g.score,
      looWorst,
      dsr,
      trials: count.trials,
      rejected,
      selected: false,
    };
  });
  let best: RankedGroup | null = null;
  for (const g of ranked)
    if (
      g.rejected === null &&
      (!best || (Number.isFinite(g.dsr) ? g.dsr : -1) > (Number.isFinite(best.dsr) ? best.dsr : -1))
    )
      best = g;
  if (best) best.selected = true;
  return ranked;
}
