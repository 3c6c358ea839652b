// The risk layer between a ranking and its trades: which new entries may open, at what size, and whether
// the day still buys at all. Every answer carries the decisions of the rules that made it.
import type { DeltaTrade } from '../portfolio/orders/index.ts';
import type { TargetWeight } from '../portfolio/targets/index.ts';
import { type ConsensusSources, consensus } from './consensus.ts';
import {
  type ConvictionBook,
  type ConvictionConfig,
  convictionSizing,
  DEFAULT_CONVICTION,
} from './conviction.ts';
import { DAILY_PROFIT_CAP, dailyProfitCap } from './profit-cap.ts';
import { type Lock, lockFor } from './protections.ts';
import type { Regime } from './regime.ts';
import type { RiskDecision } from './types.ts';

/** Limits of the risk layer. */
export interface RiskConfig {
  /** Daily profit cap as a fraction of the day's starting equity (default 0.0025). */
  profitCap: number;
  /** Positive sources an entry needs among signals, review, sentiment and momentum. */
  minPositiveSources: number;
  maxPositions: number;
  conviction: ConvictionConfig;
}

/** Defaults from the original trading brain: 0.25% cap, 2 positive sources, 20 positions. */
export const DEFAULT_RISK: RiskConfig = {
  profitCap: DAILY_PROFIT_CAP,
  minPositiveSources: 2,
  maxPositions: 20,
  conviction: DEFAULT_CONVICTION,
};

/** The state of the book on the decision day. */
export interface RiskContext {
  /** Equity at the session's start and now, for the daily profit cap. */
  day: { startEquity: number; equity: number };
  /** Assets currently held. */
  held: readonly string[];
  /** The day's market regime (marketRegime). */
  regime: Regime;
  /** Locks active on the day (activeLocks). */
  locks: readonly Lock[];
  /** Conviction points per setup. */
  conviction: ConvictionBook;
}

/** An asset the ranking would hold, with its score's components and its setup (for conviction). */
export interface EntryCandidate {
  asset: string;
  score: number | null;
  components: ConsensusSources;
  setup: string;
}

/**
 * The verdict on one candidate: the entry gates (profit cap, threshold, consensus, locks, slots) decide new
 * entries only; the sizing (regime, conviction) applies to held assets too, so the day after an entry, or a
 * rebalance redone after its fills, asks for the same weight and trades nothing.
 */
export interface EntryDecision {
  asset: string;
  held: boolean;
  allow: boolean;
  /** Product of the sizing rules' multipliers (0 for a refused entry). */
  sizeMultiplier: number;
  /** The first refusal's reason, or the sizing that applies. */
  reason: string;
  decisions: RiskDecision[];
}

/** The day's verdicts: whether it buys at all, and one decision per candidate in the order given. */
export interface RiskResult {
  buysAllowed: boolean;
  day: RiskDecision[];
  entries: EntryDecision[];
}

function lockDecision(lock: Lock | null): RiskDecision {
  return lock
    ? {
        rule: 'lock',
        allow: false,
        sizeMultiplier: 1,
        reason: `${lock.rule} until ${lock.until}: ${lock.reason}`,
      }
    : { rule: 'lock', allow: true, sizeMultiplier: 1, reason: 'no active lock' };
}

function entryThreshold(score: number | null, regime: Regime): RiskDecision {
  const allow = score !== null && score > regime.entryThreshold;
  return {
    rule: 'entry_threshold',
    allow,
    sizeMultiplier: 1,
    reason: `score ${score === null ? 'none' : score.toFixed(4)} ${allow ? 'above' : 'not above'} the entry threshold ${regime.entryThreshold}`,
  };
}

/**
 * Risk decisions for candidates in rank order: held assets stay; a new entry needs the entry threshold of the
 * regime, consensus, no lock and a free position slot (slots go to the best-ranked first). Every position is
 * sized by the regime and its setup's conviction.
 */
export function evaluateRisk(
  candidates: readonly EntryCandidate[],
  context: RiskContext,
  config: RiskConfig = DEFAULT_RISK,
): RiskResult {
  const cap = dailyProfitCap(context.day, config.profitCap);
  const held = new Set(context.held);
  let open = held.size;
  const entries = candidates.map((c): EntryDecision => {
    const sizing = [context.regime, convictionSizing(context.conviction, c.setup, config.conviction)];
    const sizeMultiplier = Number(sizing.reduce((m, d) => m * d.sizeMultiplier, 1).toFixed(12));
    const sized = `size x${sizeMultiplier}`;
    if (held.has(c.asset))
      return {
        asset: c.asset,
        held: true,
        allow: true,
        sizeMultiplier,
        reason: `held, ${sized}`,
        decisions: sizing,
      };
    const decisions = [
      cap,
      entryThreshold(c.score, context.regime),
      consensus(c.components, config.minPositiveSources),
      lockDecision(lockFor(context.locks, c.asset)),
      maxPositionsDecision(open, config.maxPositions),
      ...sizing,
    ];
    const refused = decisions.find((d) => !d.allow);
    if (refused)
      return {
        asset: c.asset,
        held: false,
        allow: false,
        sizeMultiplier: 0,
        reason: refused.reason,
        decisions,
      };
    open++;
    return {
      asset: c.asset,
      held: false,
      allow: true,
      sizeMultiplier,
      reason: `entry at ${sized}`,
      decisions,
    };
  });
  return { buysAllowed: cap.allow, day: [cap, context.regime], entries };
}

function maxPositionsDecision(open: number, max: number): RiskDecision {
  const allow = open < max;
  return {
    rule: 'max_positions',
    allow,
    sizeMultiplier: 1,
    reason: `${open} open of at most ${max}${allow ? '' : ': no new entries'}`,
  };
}

/** Targets after risk: refused entries dropped, the rest scaled by their size multiplier (the rest stays cash). */
export function riskAdjustedTargets(targets: readonly TargetWeight[], risk: RiskResult): TargetWeight[] {
  const byAsset = new Map(risk.entries.map((e) => [e.asset, e]));
  return targets.flatMap((t) => {
    const e = byAsset.get(t.asset);
    if (!e) return [t];
    return e.allow ? [{ asset: t.asset, weight: t.weight * e.sizeMultiplier }] : [];
  });
}

/**
 * A long-only book without margin holds at most 100%: when sizing (conviction above 1) asks for more, every
 * weight is scaled back by the same factor, and the decision says by how much.
 */
export function capExposure(
  weights: readonly TargetWeight[],
  max = 1,
): { weights: TargetWeight[]; decision: RiskDecision | null } {
  const total = weights.reduce((sum, t) => sum + t.weight, 0);
  if (total <= max + 1e-12) return { weights: [...weights], decision: null };
  const k = max / total;
  return {
    weights: weights.map((t) => ({ asset: t.asset, weight: t.weight * k })),
    decision: {
      rule: 'exposure_cap',
      allow: true,
      sizeMultiplier: k,
      reason: `sized weights sum to ${(total * 100).toFixed(2)}%: scaled by ${k.toFixed(4)} to ${(max * 100).toFixed(0)}% (no margin)`,
    },
  };
}

/** Trades after the daily profit cap: once it is reached every BUY becomes a HOLD that says so. */
export function gateTrades(trades: readonly DeltaTrade[], risk: RiskResult): DeltaTrade[] {
  if (risk.buysAllowed) return [...trades];
  const reason = risk.day.find((d) => d.rule === 'daily_profit_cap')?.reason ?? 'no new buys today';
  return trades.map((t) =>
    t.side === 'BUY'
      ? {
          ...t,
          side: 'HOLD' as const,
          quantity: 0,
          targetQuantity: t.currentQuantity,
          reason: `${t.reason}; held back: ${reason}`,
        }
      : t,
  );
}
