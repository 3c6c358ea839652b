import type { AssetType, Direction } from '../domain/market.ts';
import { templateInputs } from './inputs.ts';
import type { CompareOp, Condition, Operand, SignalTemplate, Strength } from './schema.ts';

/** One asset's inputs (features and bar fields) on one stored trading day; null or absent where undefined. */
export type EvalRow = Readonly<Record<string, number | null | undefined>>;

/** One asset's stored rows, oldest first: the last row is the day being evaluated, the others its past. */
export type History = readonly EvalRow[];

/** One value per stored row of an asset, oldest first; null or NaN where undefined. */
export type Column = ArrayLike<number | null>;

/** An asset's inputs by name as columns aligned with its stored rows: what the evaluator reads. */
export type Columns = Readonly<Record<string, Column | undefined>>;

/**
 * Percentile ranks of features across the universe, as columns aligned with an asset's rows:
 * `ranks[feature][i]` is its rank on the date of row i; null, NaN or absent where unranked or not loaded.
 */
export type Ranks = Columns;

/** Input values by name, as recorded on a fact. */
export type Evidence = Record<string, number | null>;

/** What one template says about one asset on one day. */
export interface TemplateResult {
  fired: boolean;
  /** 0-100, two decimals; 0 when the template did not fire. */
  strength: number;
  evidence: Evidence;
}

/** One asset's stored rows as columns, oldest first, with their dates and universe ranks. */
export interface AssetSeries {
  assetId: number;
  assetType: AssetType;
  dates: readonly string[];
  columns: Columns;
  ranks: Ranks;
}

/** A fired template for one asset and date: a `daily_signal_facts` row. */
export interface SignalFact {
  assetId: number;
  date: string;
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

/** A condition compiled once per template: its truth on row `i` of an asset's columns. */
type Test = (columns: Columns, ranks: Ranks, i: number) => Truth;

/** An operand's value on row `i`. */
type Value = (columns: Columns, i: number) => number | null;

function at(column: Column | undefined, i: number): number | null {
  const x = column?.[i];
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function operand(o: Operand): Value {
  if ('value' in o) {
    const { value } = o;
    return () => value;
  }
  const { feature } = o;
  const times = o.times ?? 1;
  return (columns, i) => {
    const x = at(columns[feature], i);
    return x === null ? null : x * times;
  };
}

function compare(a: number, op: CompareOp, b: number): boolean {
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

function compile(c: Condition): Test {
  if ('all' in c) {
    const subs = c.all.map(compile);
    return (columns, ranks, i) => {
      let result: Truth = true;
      for (const sub of subs) {
        const t = sub(columns, ranks, i);
        if (t === false) return false;
        if (t === null) result = null;
      }
      return result;
    };
  }
  if ('any' in c) {
    const subs = c.any.map(compile);
    return (columns, ranks, i) => {
      let result: Truth = false;
      for (const sub of subs) {
        const t = sub(columns, ranks, i);
        if (t === true) return true;
        if (t === null) result = null;
      }
      return result;
    };
  }
  if ('not' in c) {
    const sub = compile(c.not);
    return (columns, ranks, i) => {
      const t = sub(columns, ranks, i);
      return t === null ? null : !t;
    };
  }
  if ('held' in c) {
    // All of the last `days` rows, as `all` over days: rows before the first stored one are unknown.
    const sub = compile(c.held);
    const { days } = c;
    return (columns, ranks, i) => {
      let result: Truth = i + 1 >= days ? true : null;
      for (let j = i; j > i - days && j >= 0; j--) {
        const t = sub(columns, ranks, j);
        if (t === false) return false;
        if (t === null) result = null;
      }
      return result;
    };
  }
  if ('cross' in c) {
    const left = operand(c.left);
    const right = operand(c.right);
    const above = c.cross === 'above';
    return (columns, _ranks, i) => {
      if (i < 1) return null;
      const l0 = left(columns, i - 1);
      const r0 = right(columns, i - 1);
      const l1 = left(columns, i);
      const r1 = right(columns, i);
      if (l0 === null || r0 === null || l1 === null || r1 === null) return null;
      return above ? l0 <= r0 && l1 > r1 : l0 >= r0 && l1 < r1;
    };
  }
  if ('between' in c) {
    const x = operand(c.between);
    const { min, max } = c;
    return (columns, _ranks, i) => {
      const v = x(columns, i);
      return v === null ? null : min <= v && v <= max;
    };
  }
  if ('change' in c) {
    const x = operand(c.change);
    const { days, op, value } = c;
    const pct = c.mode === 'pct';
    return (columns, _ranks, i) => {
      if (i < days) return null;
      const now = x(columns, i);
      const then = x(columns, i - days);
      if (now === null || then === null || (pct && then <= 0)) return null;
      return compare(pct ? now / then - 1 : now - then, op, value);
    };
  }
  if ('rank' in c) {
    const { rank, op, value } = c;
    return (_columns, ranks, i) => {
      const r = at(ranks[rank], i);
      return r === null ? null : compare(r, op, value);
    };
  }
  const left = operand(c.left);
  const right = operand(c.right);
  const { op } = c;
  return (columns, _ranks, i) => {
    const a = left(columns, i);
    const b = right(columns, i);
    return a === null || b === null ? null : compare(a, op, b);
  };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function strength(s: Strength, columns: Columns, i: number): number {
  let total = s.base;
  for (const term of s.terms) {
    const x = at(columns[term.feature], i);
    if (x !== null) total += term.weight * clamp((x - term.from) / (term.to - term.from), 0, 1);
  }
  return Math.round(clamp(total, 0, 100) * 100) / 100;
}

function evidence(t: SignalTemplate, columns: Columns, i: number): Evidence {
  const out: Evidence = {};
  for (const name of t.evidence) out[name] = at(columns[name], i);
  return out;
}

/**
 * Evaluates one template on the last row of an asset's history (oldest first; it needs
 * templateLookback(t) + 1 rows, fewer never fire), with the universe ranks aligned to that history.
 */
export function evaluateTemplate(t: SignalTemplate, history: History, ranks: Ranks = {}): TemplateResult {
  const i = history.length - 1;
  if (i < 0) throw new RangeError(`evaluating ${t.id}: the history has no rows`);
  const columns: Record<string, Column> = {};
  for (const name of templateInputs([t])) columns[name] = history.map((row) => row[name] ?? null);
  const fired = compile(t.when)(columns, ranks, i) === true;
  return {
    fired,
    strength: fired ? strength(t.strength, columns, i) : 0,
    evidence: evidence(t, columns, i),
  };
}

/**
 * Evaluates every template that applies to each asset's type on each of its rows dated `from` or
 * later (earlier rows are history only) and returns the facts that fired, per asset in date order.
 */
export function evaluateAll(
  templates: readonly SignalTemplate[],
  assets: readonly AssetSeries[],
  from: string,
): SignalFact[] {
  const compiled = templates.map((t) => ({ t, test: compile(t.when) }));
  const facts: SignalFact[] = [];
  for (const a of assets) {
    const applicable = compiled.filter(({ t }) => t.asset_types.includes(a.assetType));
    for (let i = 0; i < a.dates.length; i++) {
      const date = a.dates[i]!;
      if (date < from) continue;
      for (const { t, test } of applicable) {
        if (test(a.columns, a.ranks, i) !== true) continue;
        facts.push({
          assetId: a.assetId,
          date,
          template: t.id,
          templateVersion: t.version,
          direction: t.direction,
          strength: strength(t.strength, a.columns, i),
          evidence: evidence(t, a.columns, i),
        });
      }
    }
  }
  return facts;
}
