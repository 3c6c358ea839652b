import type { RiskDecision } from './types.ts';

/** The default daily profit cap: no new buys once the day's P&L reaches 0.25% of the day's starting equity. */
export const DAILY_PROFIT_CAP = 0.0025;

// Equity is money: a P&L within a millionth of a cent of the cap has reached it (0.0025 has no exact double).
const EPSILON = 1e-8;

/**
 * Daily profit cap: once equity - startEquity ≥ cap × startEquity, no new buys for the rest of the session.
 * Compared in money, not as a ratio, so exactly 0.25% (100,250 on 100,000) is at the cap.
 */
export function dailyProfitCap(
  day: { startEquity: number; equity: number },
  cap: number = DAILY_PROFIT_CAP,
): RiskDecision {
  const pnl = day.equity - day.startEquity;
  const limit = cap * day.startEquity;
  const ratio = day.startEquity > 0 ? pnl / day.startEquity : Number.NaN;
  const reached = pnl >= limit - EPSILON;
  return {
    rule: 'daily_profit_cap',
    allow: !reached,
    sizeMultiplier: 1,
    reason: reached
      ? `day's P&L ${(ratio * 100).toFixed(4)}% reached the ${(cap * 100).toFixed(2)}% cap: no new buys today`
      : `day's P&L ${(ratio * 100).toFixed(4)}% below the ${(cap * 100).toFixed(2)}% cap`,
  };
}
