import type { LearnedTrade, Snapshot } from './experience.ts';

/** One test of a rule: a snapshot value below, or at or above, a threshold. */
export interface RuleCondition {
  feature: string;
  op: '<' | '>=';
  value: number;
}

/** What the buffer says about a rule: the setup's trades it matches and how they ended. */
export interface RuleEvidence {
  /** The setup's closed trades whose entry snapshot matches the rule. */
  support: number;
  /** How many of those won. */
  successes: number;
  successRate: number;
  /** The setup's success rate over all its closed trades. */
  baseRate: number;
  /** Failure lift: the failure rate under the rule over the setup's failure rate (1: no information). */
  lift: number;
}

/** A learned filter: buys of `setup` whose snapshot matches every condition are blocked once active. */
export interface LearnedRule extends RuleEvidence {
  id: number;
  setup: string;
  conditions: RuleCondition[];
  status: 'proposed' | 'active' | 'retired';
}

/** Whether a snapshot meets every condition; a missing or non-finite input meets none. */
export function matchesRule(conditions: readonly RuleCondition[], snapshot: Snapshot): boolean {
  return conditions.every((c) => {
    const v = snapshot[c.feature];
    if (typeof v !== 'number' || !Number.isFinite(v)) return false;
    return c.op === '<' ? v < c.value : v >= c.value;
  });
}

/** The conditions as one line, e.g. `rsi_14 >= 71.2 and dist_sma_50 < 0.08`. */
export function describeConditions(conditions: readonly RuleCondition[]): string {
  return conditions.map((c) => `${c.feature} ${c.op} ${c.value}`).join(' and ');
}

/** A stable key of a setup's conditions (order-free), what makes reruns converge on one row per rule. */
export function conditionsKey(conditions: readonly RuleCondition[]): string {
  return conditions
    .map((c) => `${c.feature}${c.op}${c.value}`)
    .sort()
    .join('&');
}

/**
 * The first active rule of `setup` that blocks a buy with this snapshot, with the reason a decision
 * records; undefined when none does.
 */
export function blockingRule(
  rules: readonly LearnedRule[],
  setup: string,
  snapshot: Snapshot,
): { rule: LearnedRule; reason: string } | undefined {
  const rule = rules.find(
    (r) => r.status === 'active' && r.setup === setup && matchesRule(r.conditions, snapshot),
  );
  if (!rule) return undefined;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return {
    rule,
    reason:
      `learned rule #${rule.id} (${setup}: ${describeConditions(rule.conditions)}): ` +
      `${rule.support} trades, ${pct(rule.successRate)} won against ${pct(rule.baseRate)} for the setup`,
  };
}

/** A rule's evidence over a setup's closed trades. */
export function ruleEvidence(
  conditions: readonly RuleCondition[],
  trades: readonly LearnedTrade[],
  baseRate = trades.filter((t) => t.outcome === 'win').length / trades.length,
): RuleEvidence {
  const matched = trades.filter((t) => matchesRule(conditions, t.snapshot));
  const successes = matched.filter((t) => t.outcome === 'win').length;
  const successRate = matched.length > 0 ? successes / matched.length : Number.NaN;
  const lift = baseRate < 1 ? (1 - successRate) / (1 - baseRate) : Number.NaN;
  return { support: matched.length, successes, successRate, baseRate, lift };
}
