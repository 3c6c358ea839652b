import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.ts';
import {
  MAX_CONDITION_DEPTH,
  MAX_CONDITIONS,
  parseTemplate,
  SIGNAL_INPUTS,
  TemplateValidationError,
} from './schema.ts';

/** A valid template as JSON, the way it arrives from `signal_templates.definition` or the API. */
function template(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'rsi_oversold',
    version: 1,
    name: 'RSI oversold',
    description: 'RSI(14) below 30.',
    direction: 'bullish',
    asset_types: ['crypto', 'equity'],
    when: { left: { feature: 'rsi_14' }, op: '<', right: { value: 30 } },
    strength: { base: 50, terms: [{ feature: 'rsi_14', from: 30, to: 10, weight: 50 }] },
    evidence: ['rsi_14', 'close'],
    ...overrides,
  };
}

function issuesOf(json: unknown): { path: string; message: string }[] {
  try {
    parseTemplate(json);
  } catch (err) {
    if (err instanceof TemplateValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected the template to be rejected');
}

describe('parseTemplate', () => {
  it('returns a valid template unchanged and typed', () => {
    const json = template();
    expect(parseTemplate(json)).toEqual(json);
  });

  it('accepts every daily_features column and the bar fields as inputs', () => {
    expect(SIGNAL_INPUTS).toContain('dist_high_252');
    expect(SIGNAL_INPUTS).toContain('volume');
    for (const name of SIGNAL_INPUTS) {
      expect(() => parseTemplate(template({ evidence: [name] }))).not.toThrow();
    }
  });

  it('accepts nested all/any/not, cross, between and feature multiples', () => {
    const when = {
      all: [
        { cross: 'above', left: { feature: 'close' }, right: { feature: 'sma_50', times: 1.02 } },
        {
          any: [
            { not: { between: { feature: 'rsi_14' }, min: 40, max: 60 } },
            { all: [{ left: { feature: 'adx_14' }, op: '>=', right: { value: 25 } }] },
          ],
        },
      ],
    };
    expect(parseTemplate(template({ when })).when).toEqual(when);
  });

  it('accepts held, change and rank, nested in each other and in all/any/not', () => {
    const when = {
      all: [
        { held: { left: { feature: 'close' }, op: '>', right: { feature: 'sma_50' } }, days: 20 },
        { change: { feature: 'close' }, days: 5, mode: 'pct', op: '>=', value: 0.1 },
        { change: { feature: 'obv', times: 2 }, days: 20, mode: 'abs', op: '>', value: 0 },
        { rank: 'ret_20', op: '>=', value: 0.9 },
        { not: { held: { rank: 'ret_60', op: '<', value: 0.2 }, days: 3 } },
      ],
    };
    expect(parseTemplate(template({ when })).when).toEqual(when);
  });

  it('tells a change or rank (which carry `op`) from a comparison', () => {
    const change = {
      change: { feature: 'close' },
      days: 5,
      mode: 'abs',
      op: '>',
      value: 1,
      right: { value: 1 },
    };
    expect(issuesOf(template({ when: change }))).toEqual([
      { path: 'when', message: expect.stringMatching(/right/) },
    ]);
    const rank = { rank: 'ret_20', op: '>', value: 0.5, left: { feature: 'close' } };
    expect(issuesOf(template({ when: rank }))).toEqual([
      { path: 'when', message: expect.stringMatching(/left/) },
    ]);
  });

  it('bounds how far back a template reads, nesting included', () => {
    const deep = {
      held: { held: { change: { feature: 'close' }, days: 60, mode: 'pct', op: '>', value: 0 }, days: 60 },
      days: 3,
    };
    expect(issuesOf(template({ when: deep }))).toEqual([
      { path: 'when', message: expect.stringMatching(/more than 120 stored days/) },
    ]);
    // 1 + 59 + 60 = 120 rows back: at the bound.
    const atBound = { ...deep, days: 2 };
    expect(parseTemplate(template({ when: atBound })).when).toEqual(atBound);
  });

  it('rejects an unknown feature deep in the condition, naming the path and the name', () => {
    const when = {
      all: [
        { left: { feature: 'close' }, op: '>', right: { value: 1 } },
        { any: [{ not: { left: { feature: 'rsi_15' }, op: '<', right: { value: 30 } } }] },
      ],
    };
    const issues = issuesOf(template({ when }));
    expect(issues).toEqual([
      { path: 'when.all.1.any.0.not.left.feature', message: expect.stringContaining('"rsi_15"') },
    ]);
  });

  it('rejects names that are not plain whitelisted inputs, such as SQL text', () => {
    const issues = issuesOf(template({ evidence: ['close', 'close); drop table assets; --'] }));
    expect(issues).toEqual([{ path: 'evidence.1', message: expect.stringContaining('unknown input') }]);
  });

  it.each([
    ['a non-snake_case id', { id: 'RSI-Oversold' }, 'id', /snake_case/],
    ['version 0', { version: 0 }, 'version', /./],
    ['a fractional version', { version: 1.5 }, 'version', /./],
    ['a two-line description', { description: 'one\ntwo' }, 'description', /single line/],
    ['an unknown direction', { direction: 'up' }, 'direction', /./],
    ['no asset types', { asset_types: [] }, 'asset_types', /./],
    ['an unknown asset type', { asset_types: ['forex'] }, 'asset_types.0', /./],
    ['a repeated asset type', { asset_types: ['crypto', 'crypto'] }, 'asset_types', /repeat/],
    ['an unknown evidence name', { evidence: ['close', 'sma_13'] }, 'evidence.1', /"sma_13"/],
    [
      'an unknown strength feature',
      { strength: { base: 50, terms: [{ feature: 'nope', from: 0, to: 1, weight: 1 }] } },
      'strength.terms.0.feature',
      /"nope"/,
    ],
    ['a base above 100', { strength: { base: 120, terms: [] } }, 'strength.base', /./],
    [
      'a term with from equal to to',
      { strength: { base: 50, terms: [{ feature: 'rsi_14', from: 30, to: 30, weight: 1 }] } },
      'strength.terms.0.to',
      /differ/,
    ],
    ['an unknown operator', { when: { left: { value: 1 }, op: '=~', right: { value: 2 } } }, 'when.op', /./],
    [
      'an unknown cross direction',
      { when: { cross: 'over', left: { value: 1 }, right: { value: 2 } } },
      'when.cross',
      /./,
    ],
    ['an empty all', { when: { all: [] } }, 'when.all', /./],
    [
      'between with min above max',
      { when: { between: { feature: 'rsi_14' }, min: 60, max: 40 } },
      'when.max',
      /exceed/,
    ],
    [
      'held for 0 days',
      { when: { held: { left: { value: 1 }, op: '<', right: { value: 2 } }, days: 0 } },
      'when.days',
      /./,
    ],
    [
      'held for more than 60 days',
      { when: { held: { left: { value: 1 }, op: '<', right: { value: 2 } }, days: 61 } },
      'when.days',
      /60/,
    ],
    [
      'held without days',
      { when: { held: { left: { value: 1 }, op: '<', right: { value: 2 } } } },
      'when.days',
      /./,
    ],
    [
      'an unknown feature inside held',
      { when: { held: { left: { feature: 'rsi_15' }, op: '<', right: { value: 30 } }, days: 3 } },
      'when.held.left.feature',
      /"rsi_15"/,
    ],
    [
      'a change without a mode',
      { when: { change: { feature: 'close' }, days: 5, op: '>', value: 0 } },
      'when.mode',
      /./,
    ],
    [
      'a change with an unknown mode',
      { when: { change: { feature: 'close' }, days: 5, mode: 'log', op: '>', value: 0 } },
      'when.mode',
      /./,
    ],
    [
      'a change over a fractional number of days',
      { when: { change: { feature: 'close' }, days: 2.5, mode: 'pct', op: '>', value: 0 } },
      'when.days',
      /./,
    ],
    [
      'a change of an unknown feature',
      { when: { change: { feature: 'close; drop table assets' }, days: 5, mode: 'pct', op: '>', value: 0 } },
      'when.change.feature',
      /unknown input/,
    ],
    [
      'a change with an unknown operator',
      { when: { change: { feature: 'close' }, days: 5, mode: 'pct', op: 'between', value: 0 } },
      'when.op',
      /./,
    ],
    [
      'a rank of an unknown feature',
      { when: { rank: 'ret_21', op: '>', value: 0.5 } },
      'when.rank',
      /"ret_21"/,
    ],
    [
      'a rank of a bar field',
      { when: { rank: 'volume', op: '>', value: 0.5 } },
      'when.rank',
      /daily_features/,
    ],
    ['a rank above 1', { when: { rank: 'ret_20', op: '>', value: 1.5 } }, 'when.value', /./],
    ['a rank below 0', { when: { rank: 'ret_20', op: '<', value: -0.1 } }, 'when.value', /./],
    ['a condition with no known key', { when: { feature: 'rsi_14' } }, 'when', /expected a condition/],
    [
      'a condition with two kinds',
      { when: { not: { between: { value: 1 }, min: 0, max: 2 }, all: [] } },
      'when',
      /expected a condition/,
    ],
    [
      'an operand with both feature and value',
      { when: { left: { feature: 'close', value: 1 }, op: '>', right: { value: 1 } } },
      'when.left',
      /expected an operand/,
    ],
    [
      'a misspelled operand key',
      { when: { left: { feature: 'close', time: 2 }, op: '>', right: { value: 1 } } },
      'when.left',
      /time/,
    ],
    [
      'a string where a number belongs',
      { when: { left: { feature: 'close' }, op: '>', right: { value: '30' } } },
      'when.right.value',
      /number/,
    ],
    ['an extra top-level key', { sql: 'select 1' }, '', /sql/],
  ])('rejects %s at its path', (_, overrides, path, message) => {
    const issues = issuesOf(template(overrides));
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0]?.message).toMatch(message);
  });

  it('reports every issue at once', () => {
    const issues = issuesOf(template({ id: 'Bad', evidence: ['nope'] }));
    expect(issues.map((i) => i.path)).toEqual(['id', 'evidence.0']);
  });

  it('rejects a non-object', () => {
    expect(issuesOf('rsi_14 < 30')).toHaveLength(1);
  });

  it('throws a permanent invalid_input AppError whose message names path and problem', () => {
    let caught: unknown;
    try {
      parseTemplate(template({ evidence: ['rsi_99'] }));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    const err = caught as TemplateValidationError;
    expect(err.code).toBe('invalid_input');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^invalid signal template: evidence\.0: unknown input "rsi_99"/);
  });

  describe('limits checked before the recursive schema runs', () => {
    const leaf = { left: { feature: 'rsi_14' }, op: '<', right: { value: 30 } };
    /** A chain of `depth` conditions: nots (or one-element alls) around a comparison. */
    const nested = (depth: number, wrap: (c: unknown) => unknown) => {
      let when: unknown = leaf;
      for (let i = 1; i < depth; i++) when = wrap(when);
      return when;
    };
    const refusal = (json: unknown) => {
      try {
        parseTemplate(json);
      } catch (err) {
        return err as AppError;
      }
      throw new Error('expected the template to be rejected');
    };

    it('accepts conditions nested exactly to the limit', () => {
      expect(() =>
        parseTemplate(template({ when: nested(MAX_CONDITION_DEPTH, (c) => ({ not: c })) })),
      ).not.toThrow();
      const alls = nested(MAX_CONDITION_DEPTH, (c) => ({ all: [c] }));
      expect(() => parseTemplate(template({ when: alls }))).not.toThrow();
    });

    it('refuses one level deeper, and a stack-overflowing depth, with an error naming the limit', () => {
      for (const depth of [MAX_CONDITION_DEPTH + 1, 5_000, 200_000]) {
        for (const wrap of [(c: unknown) => ({ not: c }), (c: unknown) => ({ any: [leaf, c] })]) {
          const err = refusal(template({ when: nested(depth, wrap) }));
          expect(err).toBeInstanceOf(AppError);
          expect(err).not.toBeInstanceOf(TemplateValidationError);
          expect(err.code).toBe('invalid_input');
          expect(err.message).toContain(`deeper than ${MAX_CONDITION_DEPTH} levels`);
        }
      }
    });

    it('refuses more conditions than the limit, however shallow', () => {
      const wide = { all: Array.from({ length: MAX_CONDITIONS }, () => leaf) };
      expect(refusal(template({ when: wide })).message).toContain(`more than ${MAX_CONDITIONS} conditions`);
      const fits = { all: Array.from({ length: MAX_CONDITIONS - 1 }, () => leaf) };
      expect(() => parseTemplate(template({ when: fits }))).not.toThrow();
    });

    it('does not validate a name or description with a lone surrogate (Postgres could not store it)', () => {
      expect(issuesOf(template({ name: 'RSI \ud800' }))).toEqual([
        { path: 'name', message: expect.stringContaining('lone UTF-16 surrogate') },
      ]);
      expect(issuesOf(template({ description: 'low \udfff RSI' }))[0]?.path).toBe('description');
      expect(() => parseTemplate(template({ name: 'RSI 😀 \u{1F600}' }))).not.toThrow();
    });
  });
});
