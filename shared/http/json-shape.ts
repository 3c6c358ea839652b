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

/**
 * The first structural problem of a parsed JSON value, or null: nesting deeper than `maxDepth`, or a
 * key or string with a lone surrogate. Iterative, so no input can overflow the stack.
 */
export function jsonShapeProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 1, path: '' }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const where = item.path || 'the body';
    if (typeof item.value === 'string') {
      if (hasLoneSurrogate(item.value)) return `${where} contains a lone UTF-16 surrogate`;
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > maxDepth) return `${where} nests deeper than ${maxDepth} levels of arrays and objects`;
    for (const [key, child] of Object.entries(item.value)) {
      const path = item.path ? `${item.path}.${key}` : key;
      if (hasLoneSurrogate(key)) return `a key of ${where} contains a lone UTF-16 surrogate`;
      stack.push({ value: child, depth: item.depth + 1, path });
    }
  }
  return null;
}
