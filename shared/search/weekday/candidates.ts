// The weekday run's arithmetic over one close: the selected group's variations applied to every ticker of
// the tradable universe on that day (a ticker is a candidate when every variation picks it, the same
// intersection group discovery measured), then the short-lookback sanity ranking of the candidates.
//
// Sanity score: the 5-day return divided by the 5-day volatility the last 20 daily returns imply,
//   (close[t] / close[t−5] − 1) / (σ20 · √5),  σ20 the sample deviation of the 20 close-to-close returns up to t.
// A move that is large for the ticker's own noise ranks first; a ticker whose 20 returns are all equal
// has no score and ranks last. Only bars up to the close of t are read.

import { AppError } from '../../errors/index.ts';
import { ALGORITHMS, type Algorithm, SIGNAL_DAYS, type TickerBars } from '../algorithms/index.ts';

/** A variation of the selected group: an algorithm and its parameter values by name. */
export interface GroupVariation {
  algorithm: string;
  params: Record<string, number>;
}

/** Returns the sanity score reads: 5 days back, volatility over 20 returns. */
const SANITY_DAYS = 5;
const VOL_RETURNS = 20;

/** One candidate of a close with its sanity numbers. */
export interface Candidate {
  /** Index of the ticker in the list given. */
  ticker: number;
  ret5: number;
  /** Sample standard deviation of the last 20 daily returns; NaN when there are fewer bars. */
  vol20: number;
  /** ret5 / (vol20 · √5); NaN when vol20 is 0 or unknown. */
  sanity: number;
}

/** A variation resolved against the algorithm registry: the algorithm and its values in parameter order. */
interface Resolved {
  algorithm: Algorithm;
  values: number[];
}

function resolve(v: GroupVariation): Resolved {
  const algorithm = ALGORITHMS.find((a) => a.id === v.algorithm);
  if (!algorithm) throw new AppError('invalid_input', `unknown search algorithm "${v.algorithm}"`);
  const values = algorithm.params.map((p) => {
    const x = v.params[p.name];
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new AppError('invalid_input', `${v.algorithm}: parameter ${p.name} is missing`);
    return x;
  });
  return { algorithm, values };
}

/**
 * Tickers every variation picks on the last bar of each series (all series of one length, oldest first,
 * at least HISTORY_BARS + SIGNAL_DAYS bars), in the given order.
 */
export function groupPicks(tickers: readonly TickerBars[], variations: readonly GroupVariation[]): number[] {
  if (variations.length === 0) return [];
  const resolved = variations.map(resolve);
  const out: number[] = [];
  const last = SIGNAL_DAYS - 1;
  const buffers = resolved.map((r) => new Float64Array(r.algorithm.features * SIGNAL_DAYS));
  for (let k = 0; k < tickers.length; k++) {
    const bars = tickers[k]!;
    // The signal days end at the last bar: the close the weekday run decides on.
    const first = bars.close.length - SIGNAL_DAYS;
    let all = true;
    for (let v = 0; v < resolved.length && all; v++) {
      const { algorithm, values } = resolved[v]!;
      const f = buffers[v]!;
      algorithm.compute(bars, values, first, f, 0);
      all = algorithm.rule(f, 0, last, values);
    }
    if (all) out.push(k);
  }
  return out;
}

/** The sanity numbers of one ticker on its last bar (see the file header). */
export function sanityOf(close: Float64Array): Omit<Candidate, 'ticker'> {
  const t = close.length - 1;
  const ret5 = t >= SANITY_DAYS ? close[t]! / close[t - SANITY_DAYS]! - 1 : Number.NaN;
  let vol20 = Number.NaN;
  if (t >= VOL_RETURNS) {
    let sum = 0;
    for (let i = t - VOL_RETURNS + 1; i <= t; i++) sum += close[i]! / close[i - 1]! - 1;
    const mean = sum / VOL_RETURNS;
    let ss = 0;
    for (let i = t - VOL_RETURNS + 1; i <= t; i++) ss += (close[i]! / close[i - 1]! - 1 - mean) ** 2;
    vol20 = Math.sqrt(ss / (VOL_RETURNS - 1));
  }
  const sanity = vol20 > 0 ? ret5 / (vol20 * Math.sqrt(SANITY_DAYS)) : Number.NaN;
  return { ret5, vol20, sanity };
}

/** Candidates by sanity score, best first; unscored ones last; ties by the given order. */
export function rankBySanity(tickers: readonly TickerBars[], picked: readonly number[]): Candidate[] {
  const scored = picked.map((k) => ({ ticker: k, ...sanityOf(tickers[k]!.close) }));
  const key = (c: Candidate) => (Number.isNaN(c.sanity) ? Number.NEGATIVE_INFINITY : c.sanity);
  return scored.sort((a, b) => key(b) - key(a) || a.ticker - b.ticker);
}
