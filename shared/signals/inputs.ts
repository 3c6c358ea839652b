import type { Condition, FeatureInput, Operand, SignalInput, SignalTemplate } from './schema.ts';

function operandInputs(o: Operand, out: Set<SignalInput>): void {
  if ('feature' in o) out.add(o.feature);
}

function conditionInputs(c: Condition, out: Set<SignalInput>): void {
  if ('all' in c) for (const x of c.all) conditionInputs(x, out);
  else if ('any' in c) for (const x of c.any) conditionInputs(x, out);
  else if ('not' in c) conditionInputs(c.not, out);
  else if ('held' in c) conditionInputs(c.held, out);
  else if ('between' in c) operandInputs(c.between, out);
  else if ('change' in c) operandInputs(c.change, out);
  // A rank is computed across the universe in SQL: the row itself need not carry the feature.
  else if ('rank' in c) return;
  else {
    operandInputs(c.left, out);
    operandInputs(c.right, out);
  }
}

/** Every input (feature or bar field) the templates read from rows: conditions, strength terms and evidence. */
export function templateInputs(templates: readonly SignalTemplate[]): Set<SignalInput> {
  const out = new Set<SignalInput>();
  for (const t of templates) {
    conditionInputs(t.when, out);
    for (const term of t.strength.terms) out.add(term.feature);
    for (const e of t.evidence) out.add(e);
  }
  return out;
}

/**
 * Walks a condition, calling `visit` on each node with how many stored rows before today it is
 * evaluated at (a `held` of N days looks at its inner condition up to N − 1 rows back).
 */
function walk(c: Condition, offset: number, visit: (c: Condition, offset: number) => void): void {
  visit(c, offset);
  if ('all' in c) for (const x of c.all) walk(x, offset, visit);
  else if ('any' in c) for (const x of c.any) walk(x, offset, visit);
  else if ('not' in c) walk(c.not, offset, visit);
  else if ('held' in c) walk(c.held, offset + c.days - 1, visit);
}

/** Stored rows before today a condition reads: 1 for a cross, N for a change over N days, nesting adds up. */
export function conditionLookback(c: Condition): number {
  let rows = 0;
  walk(c, 0, (node, offset) => {
    const own = 'cross' in node ? 1 : 'change' in node ? node.days : 0;
    rows = Math.max(rows, offset + own);
  });
  return rows;
}

/** Stored rows before today a template needs besides today's: the history is this + 1 rows long. */
export function templateLookback(t: SignalTemplate): number {
  return conditionLookback(t.when);
}

/** What `rank` conditions need: the ranked features and how many stored rows back a rank is read (held). */
export interface RankNeeds {
  features: Set<FeatureInput>;
  lookback: number;
}

/** The features the templates rank across the universe, and the deepest row a rank is read on. */
export function templateRanks(templates: readonly SignalTemplate[]): RankNeeds {
  const needs: RankNeeds = { features: new Set(), lookback: 0 };
  for (const t of templates) {
    walk(t.when, 0, (node, offset) => {
      if (!('rank' in node)) return;
      needs.features.add(node.rank);
      needs.lookback = Math.max(needs.lookback, offset);
    });
  }
  return needs;
}
