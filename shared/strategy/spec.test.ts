import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.ts';
import { parseStrategy, StrategyValidationError, strategyTemplates } from './spec.ts';

/** A valid spec as JSON, the way it would arrive from the API or a file. */
function spec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'rsi_reversion',
    version: 1,
    name: 'RSI reversion',
    description: 'Buy RSI oversold in an uptrend, ATR stop, two targets.',
    type: 'MR',
    asset_types: ['equity'],
    entry: {
      long: {
        signals: { mode: 'any', templates: ['rsi_oversold', 'bb_oversold_uptrend'] },
        when: { left: { feature: 'close' }, op: '>', right: { feature: 'sma_200' } },
        review: { direction: 'bullish', min_confidence: 0.6 },
      },
      rank: { by: 'rsi_14', order: 'asc' },
      max_new_per_day: 2,
      max_positions: 5,
    },
    exit: {
      stop: { atr: 2 },
      targets: [
        { pct: 0.05, fraction: 0.5 },
        { pct: 0.1, fraction: 0.5 },
      ],
      time_stop_bars: 10,
    },
    sizing: { mode: 'risk', risk_pct: 0.01 },
    costs: { fee_rate: 0.001, fee_fixed: 1, slippage_rate: 0.0005 },
    ...overrides,
  };
}

function issuesOf(json: unknown, templates?: ReadonlySet<string>): { path: string; message: string }[] {
  try {
    parseStrategy(json, templates ? { templates } : {});
  } catch (err) {
    if (err instanceof StrategyValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected the spec to be rejected');
}

const paths = (json: unknown) => issuesOf(json).map((i) => i.path);

describe('parseStrategy', () => {
  it('returns a valid spec typed, with the defaults filled in', () => {
    const parsed = parseStrategy(spec());
    expect(parsed.leverage).toBe(1);
    expect(parsed.units).toBe('auto');
    expect(parsed.exit.end_of_day).toBe(false);
    expect(parsed.exit.reverse).toBe(false);
    expect(parsed.costs).toEqual({ fee_rate: 0.001, fee_fixed: 1, slippage_rate: 0.0005 });
    expect(parsed.entry.long?.signals?.templates).toEqual(['rsi_oversold', 'bb_oversold_uptrend']);
  });

  it('accepts every exit kind together except targets with brackets', () => {
    const exit = {
      stop: { pct: 0.03 },
      trailing: { atr: 3, arm_after_pct: 0.02 },
      brackets: [
        { min_price: 1, max_price: 5, target_pct: 0.1, stop_pct: 0.05 },
        { min_price: 5, max_price: 20, target_pct: 0.05 },
      ],
      time_stop_bars: 5,
      end_of_day: true,
      signal: { long: { left: { feature: 'rsi_14' }, op: '>', right: { value: 70 } } },
      on_opposite_signal: true,
      reverse: true,
    };
    const entry = {
      long: {
        signals: { mode: 'at_least', k: 2, templates: ['golden_cross', 'strong_uptrend', 'volume_surge'] },
      },
      short: { when: { cross: 'below', left: { feature: 'close' }, right: { feature: 'sma_50' } } },
      max_positions: 3,
    };
    const parsed = parseStrategy(spec({ entry, exit, sizing: { mode: 'equal' } }));
    expect(parsed.exit.brackets).toHaveLength(2);
    expect(parsed.exit.trailing).toEqual({ atr: 3, arm_after_pct: 0.02 });
  });

  it('names the field of each problem', () => {
    expect(paths(spec({ type: 'XX' }))).toEqual(['type']);
    expect(paths(spec({ sizing: { mode: 'fixed_fraction', fraction: 1.5 } }))).toEqual(['sizing.fraction']);
    expect(paths(spec({ costs: { fee_rate: -0.1 } }))).toEqual(['costs.fee_rate']);
    expect(paths(spec({ exit: { stop: { pct: 0.1, atr: 2 } } }))).toEqual(['exit.stop']);
    expect(paths(spec({ exit: { stop: { pct: 1 } } }))).toEqual(['exit.stop.pct']);
    expect(paths(spec({ entry: { max_positions: 1 } }))).toEqual(['entry']);
    expect(paths(spec({ unknown_field: 1 }))).toEqual(['']);
  });

  it('names an unknown feature inside an entry condition at its path', () => {
    const entry = {
      long: { when: { left: { feature: 'rsi_99' }, op: '<', right: { value: 30 } } },
      max_positions: 1,
    };
    const issues = issuesOf(spec({ entry }));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('entry.long.when.left.feature');
    expect(issues[0]!.message).toContain('rsi_99');
  });

  it('checks at_least k against the templates', () => {
    const entry = (signals: unknown) => ({ long: { signals }, max_positions: 1 });
    expect(paths(spec({ entry: entry({ mode: 'at_least', templates: ['a'] }) }))).toEqual([
      'entry.long.signals.k',
    ]);
    expect(paths(spec({ entry: entry({ mode: 'at_least', k: 3, templates: ['a', 'b'] }) }))).toEqual([
      'entry.long.signals.k',
    ]);
    expect(paths(spec({ entry: entry({ mode: 'any', k: 1, templates: ['a'] }) }))).toEqual([
      'entry.long.signals.k',
    ]);
    expect(paths(spec({ entry: entry({ mode: 'any', templates: ['a', 'a'] }) }))).toEqual([
      'entry.long.signals.templates',
    ]);
  });

  it('checks a moving-average cross: periods 2-400, fast and slow different', () => {
    const cross = (fast: unknown, slow: unknown) => ({
      long: { ma_cross: { fast, slow, cross: 'above' } },
      max_positions: 1,
    });
    const sma = (period: number) => ({ kind: 'sma', period });
    expect(
      parseStrategy(spec({ entry: cross(sma(10), { kind: 'ema', period: 10 }) })).entry.long?.ma_cross,
    ).toBeDefined();
    expect(paths(spec({ entry: cross(sma(10), sma(10)) }))).toEqual(['entry.long.ma_cross.slow']);
    expect(paths(spec({ entry: cross(sma(1), sma(10)) }))).toEqual(['entry.long.ma_cross.fast.period']);
  });

  it('refuses an entry with only a review filter, and a spec with no side', () => {
    const reviewOnly = { long: { review: { direction: 'bullish', min_confidence: 0.5 } }, max_positions: 1 };
    expect(paths(spec({ entry: reviewOnly }))).toEqual(['entry.long']);
  });

  it('checks targets add up to at most 1 and rise, and brackets do not overlap', () => {
    const targets = [
      { pct: 0.1, fraction: 0.7 },
      { pct: 0.05, fraction: 0.7 },
    ];
    expect(paths(spec({ exit: { targets, stop: { pct: 0.05 } } }))).toEqual([
      'exit.targets',
      'exit.targets.1.pct',
    ]);
    const brackets = [
      { min_price: 1, max_price: 10, target_pct: 0.1 },
      { min_price: 5, max_price: 20, target_pct: 0.05 },
    ];
    expect(paths(spec({ exit: { brackets, stop: { pct: 0.05 } } }))).toEqual(['exit.brackets.1.min_price']);
    expect(
      paths(spec({ exit: { brackets, targets: [{ pct: 0.1, fraction: 1 }], stop: { pct: 0.05 } } })),
    ).toContain('exit.brackets');
  });

  it('needs a stop for risk sizing and two sides for reverse and opposite-signal exits', () => {
    expect(paths(spec({ exit: {} }))).toEqual(['sizing.mode']);
    expect(paths(spec({ exit: { stop: { pct: 0.05 }, reverse: true } }))).toEqual(['exit.reverse']);
    expect(paths(spec({ exit: { stop: { pct: 0.05 }, on_opposite_signal: true } }))).toEqual([
      'exit.on_opposite_signal',
    ]);
  });

  it('names each unknown template when given the known ones', () => {
    const issues = issuesOf(spec(), new Set(['rsi_oversold']));
    expect(issues).toEqual([
      { path: 'entry.long.signals.templates.1', message: 'unknown signal template "bb_oversold_uptrend"' },
    ]);
    expect(() =>
      parseStrategy(spec(), { templates: new Set(['rsi_oversold', 'bb_oversold_uptrend']) }),
    ).not.toThrow();
  });

  it('throws an invalid_input AppError that lists the paths in its message', () => {
    try {
      parseStrategy(spec({ version: 0 }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('invalid_input');
      expect((err as AppError).message).toContain('version:');
    }
  });

  it('lists the templates a spec reads once each', () => {
    const entry = {
      long: { signals: { mode: 'all', templates: ['golden_cross', 'volume_surge'] } },
      short: { signals: { mode: 'any', templates: ['death_cross', 'volume_surge'] } },
      max_positions: 2,
    };
    expect(strategyTemplates(parseStrategy(spec({ entry })))).toEqual([
      'golden_cross',
      'volume_surge',
      'death_cross',
    ]);
  });
});
