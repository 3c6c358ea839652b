/** Longest request body parsed: far above the largest valid one (POST /runs naming 5,000 symbols, ~115 KB). */
export const MAX_BODY_CHARS = 4_000_000;

/**
 * Deepest nesting of arrays and objects a request body may have: above any valid body (a template at
 * its condition limit nests about 70 levels), far below where recursive validation overflows the stack.
 */
export const MAX_JSON_DEPTH = 100;

// With the `u` flag a surrogate pair reads as one code point, so only unpaired surrogates match.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Whether a string holds a UTF-16 surrogate without its pair: not well-formed Unicode, so Postgres
 * refuses it in text and jsonb (String.prototype.isWellFormed, which ES2023's lib does not type yet).
 */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** A value met on the walk; its path is spelled out only when it is the problem. */
interface Step {
  value: unknown;
  depth: number;
  key: string;
  parent: Step | null;
}

function pathOf(step: Step): string {
  const keys: string[] = [];
  for (let s: Step | null = step; s?.parent; s = s.parent) keys.push(s.key);
  return keys.reverse().join('.').slice(0, 200) || 'the body';
}

/**
 * The first structural problem of a parsed JSON value, or null: nesting deeper than `maxDepth`, or a
 * key or string with a lone surrogate. Iterative, so no input can overflow the stack.
 */
export function jsonShapeProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  const stack: Step[] = [{ value, depth: 1, key: '', parent: null }];
  for (let step = stack.pop(); step; step = stack.pop()) {
    const v = step.value;
    if (typeof v === 'string') {
      if (hasLoneSurrogate(v)) return `${pathOf(step)} contains a lone UTF-16 surrogate`;
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (step.depth > maxDepth) {
      return `${pathOf(step)} nests deeper than ${maxDepth} levels of arrays and objects`;
    }
    for (const key in v) {
      if (hasLoneSurrogate(key)) return `a key of ${pathOf(step)} contains a lone UTF-16 surrogate`;
      stack.push({ value: (v as Record<string, unknown>)[key], depth: step.depth + 1, key, parent: step });
    }
  }
  return null;
}
