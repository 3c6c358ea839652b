// Shadow strategies: ghost variants of the live exits tracked on the same entries, with no orders. Each
// ghost exits by the engine's fill rules (shared/engine/fills.ts: a stop gapped through fills at the
// open, the stop before the target inside one bar, nothing on the entry bar), so a shadow that beats
// the live exits would have done so under the same contract.
import { stopPrice, targetPrice } from '../engine/fills.ts';
import type { Snapshot } from './experience.ts';

/** The exits a trade is held to: stop and target as fractions of the entry price, and a time stop. */
export interface ExitPlan {
  stop: number;
  target: number;
  /** Bars after the entry bar; the close of the last one exits. */
  maxBars: number;
}

/** The three ghosts. */
export const SHADOWS = ['tighter', 'wider', 'scalp'] as const;
export type ShadowName = (typeof SHADOWS)[number];

/** Live exits when the entry's snapshot does not say: a 5% stop, a 10% target, 20 bars. */
const DEFAULT_LIVE: ExitPlan = { stop: 0.05, target: 0.1, maxBars: 20 };

/** The live exits of a trade: its snapshot's stop_pct, target_pct and max_bars, else the defaults. */
export function liveExits(snapshot: Snapshot): ExitPlan {
  const pick = (v: number | null | undefined, fallback: number) =>
    typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
  return {
    stop: pick(snapshot.stop_pct, DEFAULT_LIVE.stop),
    target: pick(snapshot.target_pct, DEFAULT_LIVE.target),
    maxBars: Math.round(pick(snapshot.max_bars, DEFAULT_LIVE.maxBars)),
  };
}

/**
 * A ghost's exits from the live ones: tighter halves stop and target, wider takes 1.5 times both, scalp
 * takes a third of the target (at most 1%), half the stop and at most 3 bars.
 */
export function shadowExits(shadow: ShadowName, live: ExitPlan): ExitPlan {
  switch (shadow) {
    case 'tighter':
      return { stop: live.stop / 2, target: live.target / 2, maxBars: live.maxBars };
    case 'wider':
      return { stop: live.stop * 1.5, target: live.target * 1.5, maxBars: live.maxBars };
    case 'scalp':
      return {
        stop: live.stop / 2,
        target: Math.min(live.target / 3, 0.01),
        maxBars: Math.min(3, live.maxBars),
      };
  }
}

/** One bar a ghost is walked over. */
export interface GhostBar {
  at: string;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** A ghost trade's end. */
export interface GhostExit {
  at: string;
  price: number;
  reason: 'stop' | 'target' | 'time';
  /** Price return in the trade's direction, before costs (the live side is compared the same way). */
  pnl: number;
}

/**
 * Walks a ghost from its entry: `bars[0]` is the entry bar (filled at `entryPrice`), the exits start on
 * the next bar. Undefined while the bars so far end before any exit (the ghost is still open).
 */
export function ghostExit(
  side: 'long' | 'short',
  entryPrice: number,
  bars: readonly GhostBar[],
  plan: ExitPlan,
): GhostExit | undefined {
  const dir = side === 'long' ? 1 : -1;
  const stopLevel = entryPrice * (1 - dir * plan.stop);
  const targetLevel = entryPrice * (1 + dir * plan.target);
  const done = (at: string, price: number, reason: GhostExit['reason']): GhostExit => ({
    at,
    price,
    reason,
    pnl: dir * (price / entryPrice - 1),
  });
  for (let i = 1; i < bars.length; i++) {
    const b = bars[i]!;
    const stop = stopPrice(dir, stopLevel, b.open, b.high, b.low);
    if (Number.isFinite(stop)) return done(b.at, stop, 'stop');
    const target = targetPrice(dir, targetLevel, b.open, b.high, b.low);
    if (Number.isFinite(target)) return done(b.at, target, 'target');
    if (i >= plan.maxBars) return done(b.at, b.close, 'time');
  }
  return undefined;
}

/** A shadow against the live exits over the same closed trades. */
export interface ShadowReport {
  shadow: ShadowName;
  trades: number;
  /** Mean ghost return per trade, and the live exits' mean over the same trades (both before costs). */
  meanPnl: number;
  liveMeanPnl: number;
  winRate: number;
  liveWinRate: number;
  /** Enough ghost trades (30) and a higher mean return than live. */
  beatsLive: boolean;
}

/** Ghost trades a shadow needs before it can be reported as beating the live exits. */
export const MIN_GHOST_TRADES = 30;

/** Compares each shadow's closed ghosts with the live results of the same trades. */
export function shadowReports(
  ghosts: readonly { shadow: ShadowName; pnl: number; livePnl: number }[],
): ShadowReport[] {
  return SHADOWS.map((shadow) => {
    const own = ghosts.filter((g) => g.shadow === shadow);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : Number.NaN);
    const meanPnl = mean(own.map((g) => g.pnl));
    const liveMeanPnl = mean(own.map((g) => g.livePnl));
    return {
      shadow,
      trades: own.length,
      meanPnl,
      liveMeanPnl,
      winRate: mean(own.map((g) => (g.pnl > 0 ? 1 : 0))),
      liveWinRate: mean(own.map((g) => (g.livePnl > 0 ? 1 : 0))),
      beatsLive: own.length >= MIN_GHOST_TRADES && meanPnl > liveMeanPnl,
    };
  });
}
