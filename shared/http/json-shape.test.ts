import { describe, expect, it } from 'vitest';
import { hasLoneSurrogate, jsonShapeProblem, MAX_JSON_DEPTH } from './json-shape.ts';

const nested = (depth: number) => JSON.parse(`${'{"a":'.repeat(depth - 1)}[]${'}'.repeat(depth - 1)}`);

describe('jsonShapeProblem', () => {
  it('accepts ordinary JSON, astral characters (surrogate pairs) included', () => {
    expect(jsonShapeProblem({ name: 'BTC 😀 ünïcödé', n: [1, 2, { x: null, y: true }] })).toBeNull();
    expect(jsonShapeProblem('\ud83d\ude00')).toBeNull();
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH))).toBeNull();
  });

  it('names the place of a lone surrogate, in a value or in a key', () => {
    expect(jsonShapeProblem({ a: [{ b: 'x\ud800' }] })).toBe('a.0.b contains a lone UTF-16 surrogate');
    expect(jsonShapeProblem({ a: { '\udc00': 1 } })).toBe('a key of a contains a lone UTF-16 surrogate');
    expect(jsonShapeProblem('\ude00\ud83d')).toBe('the body contains a lone UTF-16 surrogate');
  });

  it('refuses nesting past the limit without recursion, however deep', () => {
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH + 1))).toMatch(/nests deeper than 100 levels/);
    expect(jsonShapeProblem(nested(200_000))).toMatch(/^a\.a\.a.* nests deeper than 100 levels/);
  });
});

describe('hasLoneSurrogate', () => {
  it('is true only for unpaired surrogates', () => {
    expect(['\ud800', 'a\udfffb', '\udc00\ud800'].map(hasLoneSurrogate)).toEqual([true, true, true]);
    expect(['', 'plain', '\ud800\udc00', '𝄞'].map(hasLoneSurrogate)).toEqual([false, false, false, false]);
  });
});
