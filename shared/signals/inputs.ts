import type { Condition, FeatureInput, Operand, SignalInput, SignalTemplate } from './schema.ts';

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

/** How far back a template reads each input: a row input or a ranked feature, and its deepest row. */
interface Reads {
  inputs: Map<SignalInput, number>;
  ranks: Map<FeatureInput, number>;
}

function read<K>(out: Map<K, number>, key: K, depth: number): void {
  out.set(key, Math.max(depth, out.get(key) ?? 0));
}

function readCondition(when: Condition, out: Reads): void {
  const operand = (o: Operand, depth: number) => {
    if ('feature' in o) read(out.inputs, o.feature, depth);
  };
  walk(when, 0, (c, offset) => {
    if ('between' in c) operand(c.between, offset);
    else if ('change' in c) operand(c.change, offset + c.days);
    else if ('rank' in c) read(out.ranks, c.rank, offset);
    else if ('cross' in c) {
      operand(c.left, offset + 1);
      operand(c.right, offset + 1);
    } else if ('op' in c) {
      operand(c.left, offset);
      operand(c.right, offset);
    }
  });
}

function reads(templates: readonly SignalTemplate[]): Reads {
  const out: Reads = { inputs: new Map(), ranks: new Map() };
  for (const t of templates) {
    readCondition(t.when, out);
    for (const term of t.strength.terms) read(out.inputs, term.feature, 0);
    for (const e of t.evidence) read(out.inputs, e, 0);
  }
  return out;
}

/** Every input (feature or bar field) the templates read from rows: conditions, strength terms and evidence. */
export function templateInputs(templates: readonly SignalTemplate[]): Set<SignalInput> {
  return new Set(reads(templates).inputs.keys());
}

/** The row inputs (features or bar fields) and the ranked features one condition reads. */
export function conditionInputs(c: Condition): { inputs: Set<SignalInput>; ranks: Set<FeatureInput> } {
  const out: Reads = { inputs: new Map(), ranks: new Map() };
  readCondition(c, out);
  return { inputs: new Set(out.inputs.keys()), ranks: new Set(out.ranks.keys()) };
}

/** The deepest stored row before today at which the templates read each row input (0: today only). */
export function inputDepths(templates: readonly SignalTemplate[]): Map<SignalInput, number> {
  return reads(templates).inputs;
}

/** The features `rank` conditions rank across the universe, each with the deepest stored row it is read at. */
export function templateRanks(templates: readonly SignalTemplate[]): Map<FeatureInput, number> {
  return reads(templates).ranks;
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
