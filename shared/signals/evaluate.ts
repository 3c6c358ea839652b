import type { AssetType, Direction } from '../domain/market.ts';
import type { Comparison, Condition, Operand, SignalTemplate, Strength } from './schema.ts';

/** One asset's inputs (features and bar fields) on one trading day; null or absent where undefined. */
export type Row = Record<string, number | null>;

/** Input values by name, as recorded on a fact. */
export type Evidence = Record<string, number | null>;

/** What one template says about one asset on one day. */
export interface TemplateResult {
  fired: boolean;
  /** 0-100, two decimals; 0 when the template did not fire. */
  strength: number;
  evidence: Evidence;
}

/** One asset's rows for the evaluated day and the trading day before it (null if there is none). */
export interface AssetRows {
  assetId: number;
  assetType: AssetType;
  today: Row;
  previous: Row | null;
}

/** A fired template for one asset: a `daily_signal_facts` row without its date. */
export interface SignalFact {
  assetId: number;
  template: string;
  templateVersion: number;
  direction: Direction;
  strength: number;
  evidence: Evidence;
}

/**
 * Three-valued (Kleene) truth: null when missing inputs leave the answer unknown. Only `true`
 * fires, so a template never fires on missing data, not even through `not`.
 */
type Truth = boolean | null;

function input(row: Row, name: string): number | null {
  const x = row[name];
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function operand(o: Operand, row: Row): number | null {
  if ('value' in o) return o.value;
  const x = input(row, o.feature);
  return x === null ? null : x * (o.times ?? 1);
}

function compare(a: number, op: Comparison['op'], b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

function truth(c: Condition, today: Row, previous: Row | null): Truth {
  if ('all' in c) {
    let result: Truth = true;
    for (const sub of c.all) {
      const t = truth(sub, today, previous);
      if (t === false) return false;
      if (t === null) result = null;
    }
    return result;
  }
  if ('any' in c) {
    let result: Truth = false;
    for (const sub of c.any) {
      const t = truth(sub, today, previous);
      if (t === true) return true;
      if (t === null) result = null;
    }
    return result;
  }
  if ('not' in c) {
    const t = truth(c.not, today, previous);
    return t === null ? null : !t;
  }
  if ('cross' in c) {
    if (previous === null) return null;
    const [l0, r0, l1, r1] = [
      operand(c.left, previous),
      operand(c.right, previous),
      operand(c.left, today),
      operand(c.right, today),
    ];
    if (l0 === null || r0 === null || l1 === null || r1 === null) return null;
    return c.cross === 'above' ? l0 <= r0 && l1 > r1 : l0 >= r0 && l1 < r1;
  }
  if ('between' in c) {
    const x = operand(c.between, today);
    return x === null ? null : c.min <= x && x <= c.max;
  }
  const [a, b] = [operand(c.left, today), operand(c.right, today)];
  return a === null || b === null ? null : compare(a, c.op, b);
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function strength(s: Strength, today: Row): number {
  let total = s.base;
  for (const term of s.terms) {
    const x = input(today, term.feature);
    if (x !== null) total += term.weight * clamp((x - term.from) / (term.to - term.from), 0, 1);
  }
  return Math.round(clamp(total, 0, 100) * 100) / 100;
}

/** Evaluates one template on one asset's day; `previous` is the prior trading day's row, needed by crosses. */
export function evaluateTemplate(t: SignalTemplate, today: Row, previous: Row | null): TemplateResult {
  const fired = truth(t.when, today, previous) === true;
  return {
    fired,
    strength: fired ? strength(t.strength, today) : 0,
    evidence: Object.fromEntries(t.evidence.map((name) => [name, input(today, name)])),
  };
}

/** Evaluates every template that applies to each asset's type and returns the facts that fired. */
export function evaluateAll(templates: readonly SignalTemplate[], rows: readonly AssetRows[]): SignalFact[] {
  const facts: SignalFact[] = [];
  for (const row of rows) {
    for (const t of templates) {
      if (!t.asset_types.includes(row.assetType)) continue;
      const result = evaluateTemplate(t, row.today, row.previous);
      if (!result.fired) continue;
      facts.push({
        assetId: row.assetId,
        template: t.id,
        templateVersion: t.version,
        direction: t.direction,
        strength: result.strength,
        evidence: result.evidence,
      });
    }
  }
  return facts;
}
