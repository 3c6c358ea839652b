import { parseStrategy, type StrategySpec } from '../../shared/strategy/spec.ts';

// Strategy specs the engine's tests and its bench build on.

/** A valid spec named `test` (an equity signal strategy sized all-cash), with `overrides` on top. */
export function testSpec(overrides: Record<string, unknown>): StrategySpec {
  return parseStrategy({
    id: 'test',
    version: 1,
    name: 'Test',
    description: 'A test strategy.',
    type: 'SIG',
    asset_types: ['equity'],
    sizing: { mode: 'all_cash' },
    ...overrides,
  });
}

/**
 * SMA 5/20 crosses both ways (ranked by RSI 14) with every kind of exit (ATR stop, two targets, an
 * armed trailing stop, a time stop, reverse), risk sizing and costs: the engine's busiest path.
 */
export function multiExitSpec(
  limits: { max_new_per_day: number; max_positions: number },
  overrides: Record<string, unknown> = {},
): StrategySpec {
  return testSpec({
    type: 'TF',
    entry: {
      long: { when: { cross: 'above', left: { feature: 'sma_5' }, right: { feature: 'sma_20' } } },
      short: { when: { cross: 'below', left: { feature: 'sma_5' }, right: { feature: 'sma_20' } } },
      rank: { by: 'rsi_14', order: 'desc' },
      ...limits,
    },
    exit: {
      stop: { atr: 2 },
      targets: [
        { pct: 0.04, fraction: 0.5 },
        { pct: 0.08, fraction: 0.5 },
      ],
      trailing: { pct: 0.05, arm_after_pct: 0.02 },
      time_stop_bars: 15,
      reverse: true,
    },
    sizing: { mode: 'risk', risk_pct: 0.01 },
    costs: { fee_rate: 0.0005, fee_fixed: 1, slippage_rate: 0.0005 },
    ...overrides,
  });
}
