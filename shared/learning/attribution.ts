// Attribution: which conditions make a setup's trades fail. A CART tree per setup (ml-cart, the mljs
// package) splits its closed trades by their entry snapshots; each leaf is a candidate rule (the path's
// conditions), and the rule's evidence is counted again on the trades themselves, so what a rule claims
// is exactly what the buffer holds whatever the tree did inside.
import { type CartNode, DecisionTreeClassifier } from 'ml-cart';
import type { LearnedTrade } from './experience.ts';
import { conditionsKey, type RuleCondition, type RuleEvidence, ruleEvidence } from './rules.ts';

/** How much evidence a proposal needs. */
export interface AttributionOptions {
  /** A setup with fewer closed trades is not modelled. */
  minTrades: number;
  /** Tree depth: at most this many conditions per rule. */
  maxDepth: number;
  /** A node with this many trades or fewer is a leaf. */
  minLeaf: number;
  /** Fewest matching trades a rule needs. */
  minSupport: number;
  /** A rule is proposed when its trades' success rate is below this. */
  maxSuccess: number;
  /** An input is modelled when at least this share of the setup's trades have it. */
  minCoverage: number;
  /** The tree learns from a setup's latest trades only, and from its most telling inputs only. */
  maxTrades: number;
  maxInputs: number;
}

/** Defaults: 30 trades a setup, rules of up to 3 conditions over at least 10 trades winning under 40%. */
export const DEFAULT_ATTRIBUTION: AttributionOptions = {
  minTrades: 30,
  maxDepth: 3,
  minLeaf: 10,
  minSupport: 10,
  maxSuccess: 0.4,
  minCoverage: 0.8,
  maxTrades: 600,
  maxInputs: 10,
};

/** A rule the model proposes for one setup, with its evidence. */
export interface ProposedRule extends RuleEvidence {
  setup: string;
  conditions: RuleCondition[];
}

/** Proposed filter rules for every setup with enough closed trades, the strongest failure lift first. */
export function proposeRules(
  trades: readonly LearnedTrade[],
  options: AttributionOptions = DEFAULT_ATTRIBUTION,
): ProposedRule[] {
  const bySetup = new Map<string, LearnedTrade[]>();
  for (const t of trades) bySetup.set(t.setup, [...(bySetup.get(t.setup) ?? []), t]);
  const out: ProposedRule[] = [];
  for (const [setup, own] of [...bySetup].sort(([a], [b]) => a.localeCompare(b))) {
    if (own.length >= options.minTrades) out.push(...setupRules(setup, own, options));
  }
  return out.sort((a, b) => b.lift - a.lift || b.support - a.support);
}

function setupRules(setup: string, all: readonly LearnedTrade[], o: AttributionOptions): ProposedRule[] {
  const trades = all.slice(-o.maxTrades);
  const labels: number[] = trades.map((t) => (t.outcome === 'win' ? 1 : 0));
  // A setup that always wins or always loses has nothing to split: retiring it is the lifecycle's call.
  if (labels.every((y) => y === labels[0])) return [];
  // The tree needs a number in every cell: a missing input takes the column's median for training only;
  // the rules then never match a missing input (matchesRule).
  const candidates = modelledInputs(trades, o.minCoverage);
  const filled = candidates.map((c) => {
    const m = median(trades.map((t) => t.snapshot[c]));
    return trades.map((t) => {
      const v = t.snapshot[c];
      return typeof v === 'number' && Number.isFinite(v) ? v : m;
    });
  });
  const chosen = mostTelling(filled, labels, o.minLeaf, o.maxInputs);
  if (chosen.length === 0) return [];
  const columns = chosen.map((j) => candidates[j]!);
  const rows = trades.map((_, i) => chosen.map((j) => filled[j]![i]!));
  const tree = new DecisionTreeClassifier({
    gainFunction: 'gini',
    maxDepth: o.maxDepth,
    minNumSamples: o.minLeaf,
  });
  tree.train(rows, labels);
  const baseRate = all.filter((t) => t.outcome === 'win').length / all.length;
  const seen = new Set<string>();
  const out: ProposedRule[] = [];
  for (const path of leafPaths(tree.root, columns)) {
    // The shortest qualifying prefix of each path: a rule names no condition it does not need.
    for (let k = 1; k <= path.length; k++) {
      const conditions = simplify(path.slice(0, k));
      const key = conditionsKey(conditions);
      // The evidence counts every trade of the setup the buffer holds, not only those the tree saw.
      const evidence = ruleEvidence(conditions, all, baseRate);
      if (evidence.support < o.minSupport || !(evidence.successRate < o.maxSuccess)) continue;
      if (!seen.has(key)) out.push({ setup, conditions, ...evidence });
      seen.add(key);
      break;
    }
  }
  return out;
}

/**
 * The `keep` inputs whose best single split (each side at least `minLeaf` trades) lowers the Gini
 * impurity most. Written here because ml-cart's split search is quadratic in the trades per input: a
 * sorted sweep ranks every input in n log n, and the tree then splits only the most telling ones.
 */
function mostTelling(
  columns: readonly number[][],
  labels: readonly number[],
  minLeaf: number,
  keep: number,
): number[] {
  const n = labels.length;
  const wins = labels.reduce((s, y) => s + y, 0);
  const gini = (w: number, k: number) => (k === 0 ? 0 : 1 - (w / k) ** 2 - (1 - w / k) ** 2);
  const parent = gini(wins, n);
  const gains = columns.map((values, j) => {
    const order = [...values.keys()].sort((a, b) => values[a]! - values[b]!);
    let best = 0;
    let leftWins = 0;
    for (let k = 1; k < n; k++) {
      leftWins += labels[order[k - 1]!]!;
      // Only between distinct values, as a threshold can split.
      if (values[order[k]!] === values[order[k - 1]!] || k < minLeaf || n - k < minLeaf) continue;
      const impurity = (k * gini(leftWins, k) + (n - k) * gini(wins - leftWins, n - k)) / n;
      best = Math.max(best, parent - impurity);
    }
    return { j, gain: best };
  });
  return gains
    .filter((g) => g.gain > 0)
    .sort((a, b) => b.gain - a.gain || a.j - b.j)
    .slice(0, keep)
    .map((g) => g.j)
    .sort((a, b) => a - b);
}

/** Snapshot inputs with a finite value in at least `coverage` of the trades, sorted by name. */
function modelledInputs(trades: readonly LearnedTrade[], coverage: number): string[] {
  const counts = new Map<string, number>();
  for (const t of trades) {
    for (const [k, v] of Object.entries(t.snapshot)) {
      if (typeof v === 'number' && Number.isFinite(v)) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return [...counts]
    .filter(([, n]) => n >= coverage * trades.length)
    .map(([k]) => k)
    .sort();
}

/** Every root-to-leaf path as conditions, thresholds rounded to 4 significant digits for reading. */
function leafPaths(
  node: CartNode,
  columns: readonly string[],
  path: RuleCondition[] = [],
): RuleCondition[][] {
  if (!node.left || !node.right || node.splitColumn === undefined || node.splitValue === undefined)
    return [path];
  const feature = columns[node.splitColumn]!;
  const value = Number(node.splitValue.toPrecision(4));
  return [
    ...leafPaths(node.left, columns, [...path, { feature, op: '<', value }]),
    ...leafPaths(node.right, columns, [...path, { feature, op: '>=', value }]),
  ];
}

/** One condition per input and direction: the tightest of repeated splits on the same input. */
function simplify(path: readonly RuleCondition[]): RuleCondition[] {
  const best = new Map<string, RuleCondition>();
  for (const c of path) {
    const key = `${c.feature}${c.op}`;
    const prev = best.get(key);
    const tighter = !prev || (c.op === '<' ? c.value < prev.value : c.value > prev.value);
    if (tighter) best.set(key, c);
  }
  return [...best.values()];
}

function median(values: readonly (number | null | undefined)[]): number {
  const xs = values
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (xs.length === 0) return 0;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}
