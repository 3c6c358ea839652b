import type { AssetType, Direction } from '../domain/market.ts';
import { templateInputs } from './inputs.ts';
import {
  type CompareOp,
  type Condition,
  checkConditionLimits,
  type Operand,
  type SignalTemplate,
  type Strength,
} from './schema.ts';

/** One asset's inputs (features and bar fields) on one stored trading day; null or absent where undefined. */
export type EvalRow = Readonly<Record<string, number | null | undefined>>;

/** One asset's stored rows, oldest first: the last row is the day being evaluated, the others its past. */
export type History = readonly EvalRow[];

/** One value per stored row, oldest first; null or NaN where undefined. */
export type Column = ArrayLike<number | null>;

/** Inputs by name as columns aligned with stored rows: what the evaluator reads. */
export type Columns = Readonly<Record<string, Column | undefined>>;

/**
 * Percentile ranks of features across the universe, as columns aligned with stored rows:
 * `ranks[feature][i]` is the rank on the date of row i; null, NaN or absent where unranked or not loaded.
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

/** One asset's place in a batch: its rows are `start` to `start + dates.length - 1`, oldest first. */
export interface BatchAsset {
  assetId: number;
  assetType: AssetType;
  start: number;
  dates: readonly string[];
}

/**
 * The stored rows of several assets, asset after asset, as one set of columns and ranks: a job
 * evaluates a few large arrays rather than one small array per input and asset.
 */
export interface SeriesBatch {
  assets: readonly BatchAsset[];
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

/**
 * A condition compiled against a batch's columns: its truth on row `i` of an asset whose rows start
 * at `first` (a row before `first` belongs to another asset, so reading it is unknown).
 */
export type Test = (i: number, first: number) => Truth;

/** An operand's value on row `i`. */
type Value = (i: number) => number | null;

function at(column: Column | undefined, i: number): number | null {
  const x = column?.[i];
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function operand(o: Operand, columns: Columns): Value {
  if ('value' in o) {
    const { value } = o;
    return () => value;
  }
  const column = columns[o.feature];
  const times = o.times ?? 1;
  return (i) => {
    const x = at(column, i);
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

/** Compiles a condition against columns (one asset's rows contiguous), as templates and strategies evaluate it. */
export function compile(c: Condition, columns: Columns, ranks: Ranks): Test {
  const sub = (x: Condition) => compile(x, columns, ranks);
  if ('all' in c) {
    const subs = c.all.map(sub);
    return (i, first) => {
      let result: Truth = true;
      for (const test of subs) {
        const t = test(i, first);
        if (t === false) return false;
        if (t === null) result = null;
      }
      return result;
    };
  }
  if ('any' in c) {
    const subs = c.any.map(sub);
    return (i, first) => {
      let result: Truth = false;
      for (const test of subs) {
        const t = test(i, first);
        if (t === true) return true;
        if (t === null) result = null;
      }
      return result;
    };
  }
  if ('not' in c) {
    const test = sub(c.not);
    return (i, first) => {
      const t = test(i, first);
      return t === null ? null : !t;
    };
  }
  if ('held' in c) {
    // All of the last `days` rows, as `all` over days: rows before the first stored one are unknown.
    const test = sub(c.held);
    const { days } = c;
    return (i, first) => {
      let result: Truth = i - days + 1 >= first ? true : null;
      for (let j = i; j > i - days && j >= first; j--) {
        const t = test(j, first);
        if (t === false) return false;
        if (t === null) result = null;
      }
      return result;
    };
  }
  if ('cross' in c) {
    const left = operand(c.left, columns);
    const right = operand(c.right, columns);
    const above = c.cross === 'above';
    return (i, first) => {
      if (i - 1 < first) return null;
      const l0 = left(i - 1);
      const r0 = right(i - 1);
      const l1 = left(i);
      const r1 = right(i);
      if (l0 === null || r0 === null || l1 === null || r1 === null) return null;
      return above ? l0 <= r0 && l1 > r1 : l0 >= r0 && l1 < r1;
    };
  }
  if ('between' in c) {
    const x = operand(c.between, columns);
    const { min, max } = c;
    return (i) => {
      const v = x(i);
      return v === null ? null : min <= v && v <= max;
    };
  }
  if ('change' in c) {
    const x = operand(c.change, columns);
    const { days, op, value } = c;
    const pct = c.mode === 'pct';
    return (i, first) => {
      if (i - days < first) return null;
      const now = x(i);
      const then = x(i - days);
      if (now === null || then === null || (pct && then <= 0)) return null;
      return compare(pct ? now / then - 1 : now - then, op, value);
    };
  }
  if ('rank' in c) {
    const column = ranks[c.rank];
    const { op, value } = c;
    return (i) => {
      const r = at(column, i);
      return r === null ? null : compare(r, op, value);
    };
  }
  const left = operand(c.left, columns);
  const right = operand(c.right, columns);
  const { op } = c;
  return (i) => {
    const a = left(i);
    const b = right(i);
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

// A history shorter than templateLookback(t) + 1 rows leaves the lookback unknown: the template does not fire.
/**
 * Evaluates one template on the last row of an asset's history (oldest first), with ranks aligned to it.
 * @internal
 */
export function evaluateTemplate(t: SignalTemplate, history: History, ranks: Ranks = {}): TemplateResult {
  const i = history.length - 1;
  if (i < 0) throw new RangeError(`evaluating ${t.id}: the history has no rows`);
  // A template built in code skips parseTemplate: the recursive walks below need its limits too.
  checkConditionLimits(t.when);
  const columns: Record<string, Column> = {};
  for (const name of templateInputs([t])) columns[name] = history.map((row) => row[name] ?? null);
  const fired = compile(t.when, columns, ranks)(i, 0) === true;
  return {
    fired,
    strength: fired ? strength(t.strength, columns, i) : 0,
    evidence: evidence(t, columns, i),
  };
}

/** Evaluates each template on each row dated `from` or later of the assets of its types; returns what fired. */
export function evaluateAll(
  templates: readonly SignalTemplate[],
  batch: SeriesBatch,
  from: string,
): SignalFact[] {
  for (const t of templates) checkConditionLimits(t.when);
  const compiled = templates.map((t) => ({ t, test: compile(t.when, batch.columns, batch.ranks) }));
  const byType = new Map<AssetType, typeof compiled>();
  const facts: SignalFact[] = [];
  for (const a of batch.assets) {
    let applicable = byType.get(a.assetType);
    if (!applicable) {
      applicable = compiled.filter(({ t }) => t.asset_types.includes(a.assetType));
      byType.set(a.assetType, applicable);
    }
    for (let k = 0; k < a.dates.length; k++) {
      const date = a.dates[k]!;
      if (date < from) continue;
      const i = a.start + k;
      for (const { t, test } of applicable) {
        if (test(i, a.start) !== true) continue;
        facts.push({
          assetId: a.assetId,
          date,
          template: t.id,
          templateVersion: t.version,
          direction: t.direction,
          strength: strength(t.strength, batch.columns, i),
          evidence: evidence(t, batch.columns, i),
        });
      }
    }
  }
  return facts;
}
