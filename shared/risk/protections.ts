// Protections after freqtrade's (plugins/protections): small rules that look at recent closed trades or the
// equity curve and return locks with an expiry and a reason. Every lock is derived from history at the day it
// was triggered, so recomputing them on any later day gives the same locks (nothing to store to stay right).
import { addDays } from '../calendar/index.ts';

/** A closed trade as protections see it. */
export interface ClosedTrade {
  asset: string;
  /** Exit date (YYYY-MM-DD). */
  exitDate: string;
  /** Whether the exit was a stop-loss. */
  stoppedOut: boolean;
}

/** A daily equity snapshot. */
export interface EquityPoint {
  date: string;
  equity: number;
}

/** Which protections run and with which windows; durations in calendar days. */
export interface ProtectionsConfig {
  /** `tradeLimit` stop-outs within `lookbackDays` lock new entries for `lockDays` (every asset or only that one). */
  stoplossGuard?: { lookbackDays: number; tradeLimit: number; lockDays: number; perAsset?: boolean };
  /** A peak-to-trough fall of the equity of `maxDrawdown` within `lookbackDays` locks every entry for `lockDays`. */
  maxDrawdown?: { lookbackDays: number; maxDrawdown: number; lockDays: number };
  /** After any exit of an asset, no re-entry into it for `days`. */
  cooldown?: { days: number };
}

/** A lock: no new entries in `asset` (every asset when null) from `from` until, not including, `until`. */
export interface Lock {
  rule: 'stoploss_guard' | 'max_drawdown' | 'cooldown';
  asset: string | null;
  from: string;
  until: string;
  reason: string;
}

/** The history protections read, everything up to and including `date`. */
export interface ProtectionHistory {
  date: string;
  trades: readonly ClosedTrade[];
  equity: readonly EquityPoint[];
}

function stoplossLocks(h: ProtectionHistory, c: NonNullable<ProtectionsConfig['stoplossGuard']>): Lock[] {
  const stops = h.trades.filter((t) => t.stoppedOut && t.exitDate <= h.date);
  const locks: Lock[] = [];
  // A lock can only be active today if it was triggered within the last lockDays.
  const earliest = addDays(h.date, -c.lockDays + 1);
  for (const trigger of stops) {
    if (trigger.exitDate < earliest) continue;
    const windowStart = addDays(trigger.exitDate, -c.lookbackDays + 1);
    const counted = stops.filter(
      (t) =>
        t.exitDate >= windowStart &&
        t.exitDate <= trigger.exitDate &&
        (!c.perAsset || t.asset === trigger.asset),
    ).length;
    if (counted < c.tradeLimit) continue;
    locks.push({
      rule: 'stoploss_guard',
      asset: c.perAsset ? trigger.asset : null,
      from: trigger.exitDate,
      until: addDays(trigger.exitDate, c.lockDays),
      reason:
        `${counted} stop-outs${c.perAsset ? ` on ${trigger.asset}` : ''} in the ${c.lookbackDays} days to ` +
        `${trigger.exitDate} (limit ${c.tradeLimit}): entries locked for ${c.lockDays} days`,
    });
  }
  return locks;
}

function drawdownLocks(h: ProtectionHistory, c: NonNullable<ProtectionsConfig['maxDrawdown']>): Lock[] {
  const curve = h.equity.filter((p) => p.date <= h.date).sort((a, b) => (a.date < b.date ? -1 : 1));
  const earliest = addDays(h.date, -c.lockDays + 1);
  const locks: Lock[] = [];
  for (const trigger of curve) {
    if (trigger.date < earliest) continue;
    const windowStart = addDays(trigger.date, -c.lookbackDays + 1);
    let peak = Number.NEGATIVE_INFINITY;
    let worst = 0;
    for (const p of curve) {
      if (p.date < windowStart || p.date > trigger.date) continue;
      peak = Math.max(peak, p.equity);
      if (peak > 0) worst = Math.max(worst, 1 - p.equity / peak);
    }
    // 1e-12: a fall of exactly the limit (98,800 from 104,000 at 5%) reaches it despite the division's rounding.
    if (worst < c.maxDrawdown - 1e-12) continue;
    locks.push({
      rule: 'max_drawdown',
      asset: null,
      from: trigger.date,
      until: addDays(trigger.date, c.lockDays),
      reason:
        `drawdown ${(worst * 100).toFixed(2)}% in the ${c.lookbackDays} days to ${trigger.date} reached ` +
        `${(c.maxDrawdown * 100).toFixed(2)}%: every entry locked for ${c.lockDays} days`,
    });
  }
  return locks;
}

function cooldownLocks(h: ProtectionHistory, c: NonNullable<ProtectionsConfig['cooldown']>): Lock[] {
  return h.trades
    .filter((t) => t.exitDate <= h.date)
    .map((t) => ({
      rule: 'cooldown' as const,
      asset: t.asset,
      from: t.exitDate,
      until: addDays(t.exitDate, c.days),
      reason: `exited ${t.asset} on ${t.exitDate}: no re-entry for ${c.days} days`,
    }));
}

/** The locks active on `h.date` (from ≤ date < until), one per rule and asset, the longest-lasting first. */
export function activeLocks(h: ProtectionHistory, config: ProtectionsConfig): Lock[] {
  const all = [
    ...(config.stoplossGuard ? stoplossLocks(h, config.stoplossGuard) : []),
    ...(config.maxDrawdown ? drawdownLocks(h, config.maxDrawdown) : []),
    ...(config.cooldown ? cooldownLocks(h, config.cooldown) : []),
  ];
  const seen = new Set<string>();
  return all
    .filter((l) => l.from <= h.date && h.date < l.until)
    .sort((a, b) =>
      a.until !== b.until
        ? a.until < b.until
          ? 1
          : -1
        : a.rule !== b.rule
          ? a.rule < b.rule
            ? -1
            : 1
          : (a.asset ?? '') < (b.asset ?? '')
            ? -1
            : 1,
    )
    .filter((l) => {
      // Of several locks of one rule on one asset, the one lasting longest says enough.
      const key = `${l.rule}:${l.asset ?? '*'}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** The lock that keeps `asset` from a new entry, if any (a lock on every asset counts). */
export function lockFor(locks: readonly Lock[], asset: string): Lock | null {
  return locks.find((l) => l.asset === null || l.asset === asset) ?? null;
}
