// The fill contract of docs/FILL-CONTRACT.md, one describe per rule, each with hand-worked numbers.
import { describe, expect, it } from 'vitest';
import { testSpec } from '../../test/support/strategies.ts';
import type { AssetType } from '../domain/market.ts';
import type { StrategySpec } from '../strategy/spec.ts';
import { buildPanel, type Panel } from './panel.ts';
import { loadState, storeState } from './state.ts';
import {
  createState,
  type Decisions,
  type EngineState,
  type EntryDecision,
  NO_DECISIONS,
  step,
} from './step.ts';

type Bar = [open: number, high: number, low: number, close: number, volume?: number];

/** A one-asset panel from [open, high, low, close, volume?] bars on consecutive days; null is a day without a bar. */
function panelOf(bars: (Bar | null)[], assetType: AssetType = 'equity', symbol = 'X'): Panel {
  return buildPanel(
    bars.map((b, d) => ({
      symbol,
      assetType,
      date: `2024-01-${String(d + 1).padStart(2, '0')}`,
      open: b?.[0] ?? NaN,
      high: b?.[1] ?? NaN,
      low: b?.[2] ?? NaN,
      close: b?.[3] ?? NaN,
      volume: b ? (b[4] ?? 1e9) : NaN,
    })),
  );
}

/** A test spec for both markets that enters whenever there is a close, one position at a time. */
function specOf(overrides: Record<string, unknown> = {}): StrategySpec {
  return testSpec({
    asset_types: ['equity', 'crypto'],
    entry: { long: { when: { left: { feature: 'close' }, op: '>', right: { value: 0 } } }, max_positions: 1 },
    ...overrides,
  });
}

const long = (rule = 'entry:test', atr?: number): EntryDecision => ({
  asset: 0,
  side: 'long',
  rule,
  ...(atr !== undefined && { atr }),
});
const short = (rule = 'entry:test'): EntryDecision => ({ asset: 0, side: 'short', rule });
const enter = (...entries: EntryDecision[]): Decisions => ({ exits: [], entries });
const leave = (rule: string): Decisions => ({ exits: [{ asset: 0, rule }], entries: [] });

/** Steps every day; `decisions[d]` executes on day d (it was decided at day d − 1's close). */
function run(
  panel: Panel,
  spec: StrategySpec,
  cash: number,
  decisions: Record<number, Decisions>,
): EngineState {
  const state = createState(spec, panel, cash);
  for (let d = 0; d < panel.dates.length; d++) step(state, panel, d, decisions[d] ?? NO_DECISIONS);
  return state;
}

const flat: Bar = [100, 100, 100, 100];

describe('rule 1: a decision at the close of day t executes at the open of day t+1', () => {
  it('buys at the next open, not at the decision day close', () => {
    const panel = panelOf([flat, [102, 110, 101, 108]]);
    const s = run(panel, specOf(), 1020, { 1: enter(long()) });
    expect(s.fills).toEqual([
      { day: 1, asset: 0, side: 'buy', qty: 10, price: 102, fee: 0, rule: 'entry:test' },
    ]);
    // Marked at day 1's close: 10 × 108.
    expect(s.equity).toBe(1080);
    expect(s.cash).toBe(0);
  });

  it('sells an exit decision at the next open', () => {
    const panel = panelOf([flat, flat, [95, 96, 90, 91]]);
    const s = run(panel, specOf(), 1000, { 1: enter(long()), 2: leave('exit:signal') });
    expect(s.trades).toHaveLength(1);
    expect(s.trades[0]).toMatchObject({
      exitDay: 2,
      exitPrice: 95,
      pnl: -50,
      returnPct: -0.05,
      bars: 2,
      exitRule: 'exit:signal',
    });
  });
});

describe('rule 2: fees and slippage on both sides', () => {
  it('buys at open × (1 + slippage), sells at open × (1 − slippage), pays fee_rate × value + fee_fixed each time', () => {
    const spec = specOf({ costs: { fee_rate: 0.001, fee_fixed: 1, slippage_rate: 0.01 } });
    const panel = panelOf([flat, [100, 100, 100, 100], [120, 120, 120, 120]]);
    const s = run(panel, spec, 1100, { 1: enter(long()), 2: leave('exit:signal') });
    // Buy: price 101; whole units affordable: (1100 − 1) / (101 × 1.001) = 10.86 → 10; fee 1.01 + 1 = 2.01.
    expect(s.fills[0]).toMatchObject({ side: 'buy', qty: 10, price: 101, fee: 2.01 });
    // Sell: price 118.8; fee 1.188 + 1 = 2.188.
    expect(s.fills[1]!.price).toBeCloseTo(118.8, 12);
    expect(s.fills[1]!.fee).toBeCloseTo(2.188, 12);
    // P&L: 1188 − 2.188 − (1010 + 2.01) = 173.802; cash 1100 − 1012.01 + 1185.812.
    expect(s.trades[0]!.pnl).toBeCloseTo(173.802, 9);
    expect(s.cash).toBeCloseTo(1273.802, 9);
  });

  it('moves a short entry down and its cover up', () => {
    const spec = specOf({
      entry: {
        short: { when: { left: { feature: 'close' }, op: '>', right: { value: 0 } } },
        max_positions: 1,
      },
      sizing: { mode: 'fixed_fraction', fraction: 0.5 },
      costs: { slippage_rate: 0.02 },
    });
    const panel = panelOf([flat, flat, [90, 90, 90, 90]]);
    const s = run(panel, spec, 1000, { 1: enter(short()), 2: leave('exit:signal') });
    // Short 500 / 98 = 5.10 → 5 units at 98; cover at 91.8: P&L 5 × (98 − 91.8) = 31.
    expect(s.fills.map((f) => [f.side, f.qty, f.price])).toEqual([
      ['sell', 5, 98],
      ['buy', 5, 91.8],
    ]);
    expect(s.trades[0]!.pnl).toBeCloseTo(31, 9);
    expect(s.equity).toBeCloseTo(1031, 9);
  });
});

describe('rule 3: a stop fills at its level, or at the open when the bar gaps through it', () => {
  const spec = specOf({ exit: { stop: { pct: 0.05 } } });

  it('fills at the stop level when the low reaches it', () => {
    const s = run(panelOf([flat, flat, [98, 99, 94, 96]]), spec, 1000, { 1: enter(long()) });
    expect(s.fills[1]).toMatchObject({ day: 2, side: 'sell', qty: 10, price: 95, rule: 'exit:stop' });
  });

  it('fills at the open when the open is already below the stop', () => {
    const s = run(panelOf([flat, flat, [90, 93, 88, 92]]), spec, 1000, { 1: enter(long()) });
    expect(s.fills[1]).toMatchObject({ price: 90, rule: 'exit:stop_gap_open' });
    expect(s.trades[0]!.pnl).toBe(-100);
  });

  it('places a short stop above the entry and fills a gap up at the open', () => {
    const shortSpec = specOf({
      entry: {
        short: { when: { left: { feature: 'close' }, op: '>', right: { value: 0 } } },
        max_positions: 1,
      },
      exit: { stop: { pct: 0.05 } },
      sizing: { mode: 'fixed_fraction', fraction: 1 },
    });
    const s = run(panelOf([flat, flat, [103, 106, 101, 104], [107, 108, 106, 107]]), shortSpec, 1000, {
      1: enter(short()),
    });
    expect(s.fills[1]).toMatchObject({ day: 2, side: 'buy', price: 105, rule: 'exit:stop' });
    const gap = run(panelOf([flat, flat, [107, 108, 106, 107]]), shortSpec, 1000, { 1: enter(short()) });
    expect(gap.fills[1]).toMatchObject({ price: 107, rule: 'exit:stop_gap_open' });
  });

  it('sets an ATR stop from atr_14 on the decision day', () => {
    const atrSpec = specOf({ exit: { stop: { atr: 2 } } });
    // Stop 100 − 2 × 3 = 94: a low of 95 does not reach it, a low of 93 does.
    const s = run(panelOf([flat, flat, [99, 100, 95, 96], [96, 97, 93, 94]]), atrSpec, 1000, {
      1: enter(long('e', 3)),
    });
    expect(s.fills[1]).toMatchObject({ day: 3, price: 94, rule: 'exit:stop' });
    const noAtr = run(panelOf([flat, flat]), atrSpec, 1000, { 1: enter(long()) });
    expect(noAtr.refusals).toEqual([{ day: 1, asset: 0, rule: 'entry:test', reason: 'no_atr' }]);
  });
});

describe('rule 4: with the stop and a target inside one bar, the stop wins', () => {
  it('exits at the stop although the high passed the target', () => {
    const spec = specOf({ exit: { stop: { pct: 0.05 }, targets: [{ pct: 0.1, fraction: 1 }] } });
    const s = run(panelOf([flat, flat, [100, 111, 94, 105]]), spec, 1000, { 1: enter(long()) });
    expect(s.fills.slice(1)).toEqual([
      { day: 2, asset: 0, side: 'sell', qty: 10, price: 95, fee: 0, rule: 'exit:stop' },
    ]);
  });
});

describe('rule 5: profit targets, with partial exits', () => {
  const spec = specOf({
    exit: {
      targets: [
        { pct: 0.05, fraction: 0.5 },
        { pct: 0.1, fraction: 0.5 },
      ],
    },
  });

  it('sells each target fraction of the entry quantity at its level, both in one bar when the high reaches both', () => {
    const s = run(panelOf([flat, flat, [101, 106, 100, 104], [104, 112, 103, 111]]), spec, 1000, {
      1: enter(long()),
    });
    expect(s.fills.slice(1).map((f) => [f.day, f.qty, f.price.toFixed(9), f.rule, f.note])).toEqual([
      [2, 5, '105.000000000', 'exit:target', 'target 1 of 2'],
      [3, 5, '110.000000000', 'exit:target', 'target 2 of 2'],
    ]);
    expect(s.trades[0]).toMatchObject({ qty: 10, exitRule: 'exit:target' });
    expect(s.trades[0]!.exitPrice).toBeCloseTo(107.5, 9);
    expect(s.trades[0]!.pnl).toBeCloseTo(75, 9);
    const both = run(panelOf([flat, flat, [101, 115, 100, 104]]), spec, 1000, { 1: enter(long()) });
    expect(both.fills.slice(1).map((f) => [f.qty, f.price.toFixed(9)])).toEqual([
      [5, '105.000000000'],
      [5, '110.000000000'],
    ]);
  });

  it('rounds a partial exit down to whole units and leaves the rest for the last target', () => {
    // 7 units: half is 3.5 → 3 at the first target, the remaining 4 at the second.
    const s = run(panelOf([flat, flat, [101, 115, 100, 104]]), spec, 700, { 1: enter(long()) });
    expect(s.fills.slice(1).map((f) => f.qty)).toEqual([3, 4]);
  });

  it('fills a target at the open when the bar opens beyond it (a limit order gets the better price)', () => {
    const one = specOf({ exit: { targets: [{ pct: 0.1, fraction: 1 }] } });
    const s = run(panelOf([flat, flat, [112, 115, 111, 113]]), one, 1000, { 1: enter(long()) });
    expect(s.fills[1]).toMatchObject({ price: 112, rule: 'exit:target_gap_open' });
  });

  it('takes target and stop from the bracket row of the entry price', () => {
    const brackets = specOf({
      exit: {
        brackets: [
          { min_price: 1, max_price: 5, target_pct: 0.2, stop_pct: 0.1 },
          { min_price: 5, max_price: 50, target_pct: 0.05, stop_pct: 0.02 },
        ],
      },
    });
    const cheap: Bar = [4, 4, 4, 4];
    const s = run(panelOf([cheap, cheap, [4.1, 4.9, 3.9, 4.5]]), brackets, 100, { 1: enter(long()) });
    // 25 units at 4: target 4.8, stop 3.6; the bar reaches 4.9 but not 3.6.
    expect(s.fills[1]).toMatchObject({ qty: 25, price: 4.8, rule: 'exit:target' });
    const dear: Bar = [10, 10, 10, 10];
    const t = run(panelOf([dear, dear, [10, 10.4, 9.7, 10]]), brackets, 100, { 1: enter(long()) });
    expect(t.fills[1]).toMatchObject({ qty: 10, price: 9.8, rule: 'exit:stop' });
    const outside = run(panelOf([flat, flat]), brackets, 1000, { 1: enter(long()) });
    expect(outside.refusals).toEqual([{ day: 1, asset: 0, rule: 'entry:test', reason: 'no_bracket' }]);
  });
});

describe('rule 6: a trailing stop is checked against the low before the high raises it', () => {
  const spec = specOf({ exit: { trailing: { pct: 0.1 } } });

  it('does not fire on a bar whose own high would have raised it above its low', () => {
    // Best 110 after day 2 → trail 99. Day 3: low 104 is above 99 (a trail raised by day 3's high 120 first
    // would be 108 and fire). Day 4: trail from 120 is 108; low 107 fires it.
    const s = run(
      panelOf([flat, flat, [105, 110, 104, 109], [109, 120, 104, 118], [115, 116, 107, 110]]),
      spec,
      1000,
      { 1: enter(long()) },
    );
    expect(s.fills.slice(1)).toEqual([
      { day: 4, asset: 0, side: 'sell', qty: 10, price: 108, fee: 0, rule: 'exit:trailing' },
    ]);
  });

  it('fills at the open when the bar opens below the trail', () => {
    const s = run(panelOf([flat, flat, [105, 120, 104, 118], [100, 101, 95, 96]]), spec, 1000, {
      1: enter(long()),
    });
    expect(s.fills[1]).toMatchObject({ day: 3, price: 100, rule: 'exit:trailing_gap_open' });
  });

  it('arms only after the best price reached the gain', () => {
    const armed = specOf({ exit: { trailing: { pct: 0.05, arm_after_pct: 0.1 } } });
    // Best 108 (8% gain) → not armed, the day-3 low 95 does not fire; best 112 arms it: trail 106.4.
    const s = run(
      panelOf([
        flat,
        flat,
        [100, 108, 99, 105],
        [105, 106, 95, 100],
        [100, 112, 100, 111],
        [111, 111, 105, 106],
      ]),
      armed,
      1000,
      { 1: enter(long()) },
    );
    expect(s.fills.slice(1).map((f) => [f.day, f.price, f.rule])).toEqual([[5, 106.4, 'exit:trailing']]);
  });

  it('trails a short from its lowest low, with an ATR distance', () => {
    const atrTrail = specOf({
      entry: {
        short: { when: { left: { feature: 'close' }, op: '>', right: { value: 0 } } },
        max_positions: 1,
      },
      exit: { trailing: { atr: 2 } },
      sizing: { mode: 'fixed_fraction', fraction: 1 },
    });
    // Distance 2 × 2.5 = 5. Lowest low 90 after day 2 → trail 95, the day-3 high 96 fires it.
    const s = run(panelOf([flat, flat, [98, 99, 90, 92], [93, 96, 92, 95]]), atrTrail, 1000, {
      1: { exits: [], entries: [{ asset: 0, side: 'short', rule: 'e', atr: 2.5 }] },
    });
    expect(s.fills[1]).toMatchObject({ day: 3, side: 'buy', price: 95, rule: 'exit:trailing' });
  });
});

describe('rule 7: no stop fires on the entry bar, except in end-of-day mode', () => {
  it('lets the entry bar go below the stop and checks from the next bar', () => {
    const spec = specOf({ exit: { stop: { pct: 0.05 }, targets: [{ pct: 0.1, fraction: 1 }] } });
    const s = run(panelOf([flat, [100, 115, 90, 100], [100, 101, 99, 100]]), spec, 1000, {
      1: enter(long()),
    });
    expect(s.fills).toHaveLength(1);
    expect(s.trades).toHaveLength(0);
  });

  it('in end-of-day mode enters at the open, stops inside the day, else leaves at the close', () => {
    const eod = specOf({ type: 'DAY', exit: { stop: { pct: 0.05 }, end_of_day: true } });
    const s = run(panelOf([flat, [100, 103, 94, 97], [100, 104, 97, 103]]), eod, 1000, {
      1: enter(long()),
      2: enter(long()),
    });
    expect(s.fills.map((f) => [f.day, f.side, f.price, f.rule])).toEqual([
      [1, 'buy', 100, 'entry:test'],
      [1, 'sell', 95, 'exit:stop'],
      [2, 'buy', 100, 'entry:test'],
      [2, 'sell', 103, 'exit:end_of_day'],
    ]);
    expect(s.qty[0]).toBe(0);
    // Day 1: 10 units, −5 each at the stop; day 2: 950 buys 9 units, +3 each at the close.
    expect(s.equity).toBeCloseTo(1000 - 50 + 27, 9);
  });
});

describe('rule 8: whole units for equities, fractional for crypto', () => {
  it('buys floor(cash / price) shares, but cash / price coins', () => {
    const bar: Bar = [300, 300, 300, 300];
    expect(run(panelOf([bar, bar]), specOf(), 1000, { 1: enter(long()) }).fills[0]!.qty).toBe(3);
    const coins = run(panelOf([bar, bar], 'crypto'), specOf(), 1000, { 1: enter(long()) }).fills[0]!.qty;
    expect(coins).toBeCloseTo(1000 / 300, 12);
    const forced = run(panelOf([bar, bar], 'crypto'), specOf({ units: 'whole' }), 1000, { 1: enter(long()) });
    expect(forced.fills[0]!.qty).toBe(3);
  });

  it('refuses an entry that rounds to zero units', () => {
    const bar: Bar = [300, 300, 300, 300];
    const s = run(panelOf([bar, bar]), specOf({ sizing: { mode: 'fixed_fraction', fraction: 0.1 } }), 1000, {
      1: enter(long()),
    });
    expect(s.refusals).toEqual([{ day: 1, asset: 0, rule: 'entry:test', reason: 'zero_size' }]);
  });
});

describe('rule 9: cash never goes negative; orders shrink or are refused, with the reason', () => {
  it('shrinks an entry whose fees would overdraw the cash', () => {
    const spec = specOf({
      sizing: { mode: 'fixed_fraction', fraction: 1 },
      costs: { fee_rate: 0.01, fee_fixed: 5 },
    });
    const s = run(panelOf([flat, flat]), spec, 1000, { 1: enter(long()) });
    // Wanted 10; affordable (1000 − 5) / (100 × 1.01) = 9.85 → 9; cash 1000 − 900 − 14 = 86.
    expect(s.fills[0]).toMatchObject({ qty: 9, fee: 14, note: 'cash' });
    expect(s.cash).toBeCloseTo(86, 9);
  });

  it('refuses an entry when no unit is affordable, and names the rule', () => {
    const spec = specOf({
      entry: { long: { when: { left: { value: 1 }, op: '>', right: { value: 0 } } }, max_positions: 2 },
      sizing: { mode: 'fixed_fraction', fraction: 0.6 },
    });
    const panel = twoAssets(2);
    const s = run(panel, spec, 1000, {
      1: enter(
        { asset: 0, side: 'long', rule: 'entry:signal a' },
        { asset: 1, side: 'long', rule: 'entry:signal b' },
      ),
    });
    // A takes 6 units (600); B wants 6 but 400 buys 4: shrunk, not refused.
    expect(s.fills.map((f) => [f.asset, f.qty, f.note])).toEqual([
      [0, 6, undefined],
      [1, 4, 'cash'],
    ]);
    const broke = run(panel, specOf({ ...spec, sizing: { mode: 'all_cash' } }), 1000, {
      1: enter(
        { asset: 0, side: 'long', rule: 'entry:signal a' },
        { asset: 1, side: 'long', rule: 'entry:signal b' },
      ),
    });
    expect(broke.refusals).toEqual([{ day: 1, asset: 1, rule: 'entry:signal b', reason: 'cash' }]);
    expect(broke.cash).toBe(0);
  });

  it('lets leverage 2 borrow up to the equity', () => {
    const spec = specOf({ leverage: 2 });
    // all_cash with leverage 2: cash may fall to −1 × equity, so 2,000 of value buys 20 units.
    const s = run(panelOf([flat, flat, flat]), spec, 1000, { 1: enter(long()) });
    expect(s.fills[0]!.qty).toBe(20);
    expect(s.cash).toBe(-1000);
  });

  it('caps an entry at the share of the bar volume and records it', () => {
    const spec = specOf({ costs: { max_volume_share: 0.1 } });
    const s = run(panelOf([flat, [100, 100, 100, 100, 45]]), spec, 1000, { 1: enter(long()) });
    expect(s.fills[0]).toMatchObject({ qty: 4, note: 'volume' });
  });
});

/** Two equities A and B with the same flat bars over `days` days. */
function twoAssets(days: number): Panel {
  return buildPanel(
    ['A', 'B'].flatMap((symbol) =>
      Array.from({ length: days }, (_, d) => ({
        symbol,
        assetType: 'equity' as const,
        date: `2024-01-0${d + 1}`,
        open: 100,
        high: 100,
        low: 100,
        close: 100,
        volume: 1e6,
      })),
    ),
  );
}

describe('rule 10: one position per asset, at most max_positions, missing bars', () => {
  it('refuses a second position in the same asset', () => {
    const s = run(panelOf([flat, flat, flat]), specOf(), 1000, { 1: enter(long()), 2: enter(long()) });
    expect(s.refusals).toEqual([{ day: 2, asset: 0, rule: 'entry:test', reason: 'already_open' }]);
  });

  it('refuses an entry past max_positions', () => {
    const spec = specOf({ sizing: { mode: 'fixed_fraction', fraction: 0.5 } });
    const s = run(twoAssets(2), spec, 1000, {
      1: enter({ asset: 0, side: 'long', rule: 'entry:a' }, { asset: 1, side: 'long', rule: 'entry:b' }),
    });
    expect(s.fills.map((f) => f.asset)).toEqual([0]);
    expect(s.refusals).toEqual([{ day: 1, asset: 1, rule: 'entry:b', reason: 'max_positions' }]);
  });

  it('refuses an entry on a day without a bar and keeps an exit pending until the next bar', () => {
    const s = run(panelOf([flat, flat, null, [90, 91, 89, 90]]), specOf(), 1000, {
      1: enter(long()),
      2: leave('exit:signal'),
    });
    expect(s.fills[1]).toMatchObject({ day: 3, price: 90, rule: 'exit:signal' });
    const none = run(panelOf([flat, null]), specOf(), 1000, { 1: enter(long()) });
    expect(none.refusals).toEqual([{ day: 1, asset: 0, rule: 'entry:test', reason: 'no_bar' }]);
  });

  it('refuses to step days out of order', () => {
    const state = createState(specOf(), panelOf([flat]), 1000);
    expect(() => step(state, panelOf([flat, flat]), 1, NO_DECISIONS)).toThrow(/expected day 0/);
  });
});

describe('rule 11: sizing reads the equity at the decision day close', () => {
  it('sizes risk-based entries as equity × risk over the stop distance', () => {
    const spec = specOf({ exit: { stop: { atr: 2 } }, sizing: { mode: 'risk', risk_pct: 0.01 } });
    const bar: Bar = [50, 50, 50, 50];
    // Risk 100 over a distance of 2 × 2 = 4 per unit: 25 units, 1,250 of a 10,000 equity.
    const s = run(panelOf([bar, bar]), spec, 10_000, { 1: enter(long('e', 2)) });
    expect(s.fills[0]).toMatchObject({ qty: 25, price: 50 });
    expect(s.stop[0]).toBe(46);
  });

  it('splits equity equally over max_positions', () => {
    const spec = specOf({
      entry: { long: { when: { left: { value: 1 }, op: '>', right: { value: 0 } } }, max_positions: 4 },
      sizing: { mode: 'equal' },
    });
    expect(run(panelOf([flat, flat]), spec, 1000, { 1: enter(long()) }).fills[0]!.qty).toBe(2);
  });

  it('uses the equity of the last close, not the cash left after earlier entries', () => {
    const spec = specOf({
      entry: { long: { when: { left: { value: 1 }, op: '>', right: { value: 0 } } }, max_positions: 2 },
      sizing: { mode: 'fixed_fraction', fraction: 0.3 },
    });
    const s = run(twoAssets(2), spec, 1000, {
      1: enter({ asset: 0, side: 'long', rule: 'entry:a' }, { asset: 1, side: 'long', rule: 'entry:b' }),
    });
    expect(s.fills.map((f) => f.qty)).toEqual([3, 3]);
  });
});

// vectorbt's Portfolio.from_signals fills at the signal bar's close; our contract fills at the next open.
// Each case below is vectorbt's (tests/test_portfolio.py, polakowo/vectorbt) with the timing shifted: the
// bar vectorbt buys at the close of becomes a bar whose open is that close, decided the day before.
describe('rule 12: the volume cap applies to exits, the rest carried to the next open', () => {
  const capped = (exit: Record<string, unknown>) => specOf({ exit, costs: { max_volume_share: 0.1 } });

  it('fills a stop up to the cap and the rest at the following opens', () => {
    const bars: Bar[] = [flat, flat, [98, 99, 94, 96, 40], [93, 97, 92, 95, 30], [96, 97, 95, 96]];
    const s = run(panelOf(bars), capped({ stop: { pct: 0.05 } }), 1000, { 1: enter(long()) });
    // Day 2: the stop at 95 may take 10% of 40 = 4 units; 6 are carried, so the close marks 380 + 6 × 96.
    // Day 3: 3 of them at the open 93 (10% of 30), no check inside the bar; day 4: the last 3 at 96.
    expect(s.fills.slice(1)).toEqual([
      { day: 2, asset: 0, side: 'sell', qty: 4, price: 95, fee: 0, rule: 'exit:stop', note: 'volume' },
      { day: 3, asset: 0, side: 'sell', qty: 3, price: 93, fee: 0, rule: 'exit:stop', note: 'volume' },
      { day: 4, asset: 0, side: 'sell', qty: 3, price: 96, fee: 0, rule: 'exit:stop' },
    ]);
    // Exit price (4 × 95 + 3 × 93 + 3 × 96) / 10 = 94.7; P&L 947 − 1,000.
    expect(s.trades).toEqual([expect.objectContaining({ qty: 10, exitPrice: 94.7, pnl: -53, exitDay: 4 })]);
    expect(s.cash).toBe(947);
  });

  it('marks the carried rest at the close and keeps it working through a stored state', () => {
    const bars: Bar[] = [flat, flat, [98, 99, 94, 96, 40], [93, 97, 92, 95, 30], [96, 97, 95, 96]];
    const spec = capped({ stop: { pct: 0.05 } });
    const panel = panelOf(bars);
    const state = createState(spec, panel, 1000);
    for (let d = 0; d <= 2; d++) step(state, panel, d, d === 1 ? enter(long()) : NO_DECISIONS);
    expect(state.equity).toBe(380 + 6 * 96);
    expect(state.pendingExit[0]).toBe('exit:stop');
    const resumed = loadState(storeState(state));
    for (let d = 3; d <= 4; d++) step(resumed, panel, d, NO_DECISIONS);
    expect(resumed.fills.map((f) => f.qty)).toEqual([10, 4, 3, 3]);
  });

  it('carries the rest of a capped partial target and checks no later target in that bar', () => {
    const spec = capped({
      targets: [
        { pct: 0.05, fraction: 0.5 },
        { pct: 0.1, fraction: 0.5 },
      ],
    });
    const bars: Bar[] = [flat, flat, [101, 111, 100, 108, 30], [108, 109, 107, 108]];
    const s = run(panelOf(bars), spec, 1000, { 1: enter(long()) });
    // Day 2: target 1 wants 5 at 105, the cap allows 3; its 2 others fill at day 3's open 108. Target 2
    // (110) was reached on day 2 but its bar's volume was spent, and day 3's high 109 misses it.
    expect(s.fills.slice(1)).toEqual([
      {
        day: 2,
        asset: 0,
        side: 'sell',
        qty: 3,
        price: 105,
        fee: 0,
        rule: 'exit:target',
        note: 'target 1 of 2, volume',
      },
      { day: 3, asset: 0, side: 'sell', qty: 2, price: 108, fee: 0, rule: 'exit:target' },
    ]);
    expect(s.qty[0]).toBe(5);
    expect(s.pendingExit[0]).toBeUndefined();
  });

  it('lets an end-of-day close sell what its open bought: both are capped by the same bar', () => {
    const spec = capped({ end_of_day: true });
    const s = run(panelOf([flat, [100, 100, 100, 100, 50], flat]), spec, 1000, { 1: enter(long()) });
    // The entry may take 10% of 50 = 5 units; the close has the same room, so nothing stays overnight.
    expect(s.fills.map((f) => [f.day, f.qty, f.rule, f.note])).toEqual([
      [1, 5, 'entry:test', 'volume'],
      [1, 5, 'exit:end_of_day', undefined],
    ]);
    expect(s.qty[0]).toBe(0);
  });
});

describe('rule 13: shorts keep a maintenance margin; a margin call covers them at the next open', () => {
  const shortSpec = (extra: Record<string, unknown> = {}) =>
    specOf({
      entry: {
        short: { when: { left: { feature: 'close' }, op: '>', right: { value: 0 } } },
        max_positions: 1,
      },
      sizing: { mode: 'all_cash' },
      ...extra,
    });

  it('holds the proceeds and covers every short when equity falls below 30% of their value', () => {
    const bars: Bar[] = [flat, flat, [140, 155, 138, 150], [150, 162, 149, 160], [170, 171, 165, 168]];
    const s = run(panelOf(bars), shortSpec(), 1000, { 1: enter(short()) });
    // Day 1: 10 short at 100 (all_cash short = the exposure room, 1 × 1,000); cash 2,000 holds the proceeds.
    // Day 2: equity 2,000 − 1,500 = 500 ≥ 0.3 × 1,500 = 450. Day 3: 400 < 480: covered at day 4's open 170.
    expect(s.fills.slice(1)).toEqual([
      { day: 4, asset: 0, side: 'buy', qty: 10, price: 170, fee: 0, rule: 'exit:margin_call' },
    ]);
    expect(s.cash).toBe(300);
    expect(s.trades[0]).toMatchObject({ side: 'short', pnl: -700, exitRule: 'exit:margin_call' });
  });

  it('reads the maintenance share from the spec', () => {
    const bars: Bar[] = [flat, flat, [140, 155, 138, 150], [150, 151, 149, 150]];
    const s = run(panelOf(bars), shortSpec({ short_maintenance: 0.5 }), 1000, { 1: enter(short()) });
    // Day 2: 500 < 0.5 × 1,500 = 750: covered at day 3's open 150, cash 2,000 − 1,500.
    expect(s.fills[1]).toMatchObject({ day: 3, price: 150, rule: 'exit:margin_call' });
    expect(s.cash).toBe(500);
  });

  it('shows the deficit of a gap past the whole equity and refuses entries while cash is below zero', () => {
    const bars: Bar[] = [flat, flat, [140, 155, 138, 150], [150, 162, 149, 160], [250, 260, 240, 250], flat];
    const s = run(panelOf(bars), shortSpec(), 1000, { 1: enter(short()), 5: enter(short()) });
    // Covered at 250: 2,000 − 2,500 leaves cash at −500, a debt the fill names; no new short can open.
    expect(s.fills[1]).toMatchObject({ day: 4, price: 250, rule: 'exit:margin_call', note: 'deficit' });
    expect(s.cash).toBe(-500);
    expect(s.equity).toBe(-500);
    expect(s.refusals).toEqual([{ day: 5, asset: 0, rule: 'entry:test', reason: 'cash' }]);
  });
});

describe('vectorbt reference cases (tests/test_portfolio.py) under next-open timing', () => {
  it('F1: sl_stop on close 5,4,3,2,1 (open = close + 0.25, high + 0.5, low − 0.5): 10% → 4.25 at the gap, 20% → 4.0', () => {
    const closes = [5, 4, 3, 2, 1];
    const bars: Bar[] = closes.map((c) => [c + 0.25, c + 0.5, c - 0.5, c]);
    // Entry bar: opens at vectorbt's entry price 5 (bar 0's close).
    const panel = panelOf([[5, 5, 5, 5], [5, 5.5, 4.5, 5], ...bars.slice(1)]);
    for (const [pct, price] of [
      [0.1, 4.25],
      [0.2, 4.0],
    ] as const) {
      const s = run(panel, specOf({ exit: { stop: { pct } } }), 100, { 1: enter(long()) });
      expect(s.fills[0]).toMatchObject({ qty: 20, price: 5 });
      expect(s.fills[1]).toMatchObject({ day: 2, qty: 20, price });
    }
  });

  it('F2: sl_trail on close 4,5,4,3,2 (close-only bars): 10% → bar 2 at 4.0, 50% → bar 4 at 2.0', () => {
    const panel = panelOf([4, 4, 5, 4, 3, 2].map((c): Bar => [c, c, c, c]));
    const ten = run(panel, specOf({ exit: { trailing: { pct: 0.1 } } }), 100, { 1: enter(long()) });
    expect(ten.fills[0]).toMatchObject({ qty: 25, price: 4 });
    expect(ten.fills[1]).toMatchObject({ day: 3, price: 4 });
    const half = run(panel, specOf({ exit: { trailing: { pct: 0.5 } } }), 100, { 1: enter(long()) });
    expect(half.fills[1]).toMatchObject({ day: 5, price: 2 });
  });

  it('F3: fees 0.1 and slippage 0.1 on close 1,2,3,4,5, size 1: buy at 1, sell at 4', () => {
    // vectorbt enters at bar 0 and exits at bar 3; with next-open timing the opens carry those closes.
    const panel = panelOf([1, 1, 2, 3, 4, 5].map((c): Bar => [c, c, c, c]));
    const fees = run(panel, specOf({ costs: { fee_rate: 0.1 } }), 1.1, {
      1: enter(long()),
      4: leave('exit:signal'),
    });
    expect(fees.fills.map((f) => [f.qty, f.price, f.fee])).toEqual([
      [1, 1, 0.1],
      [1, 4, 0.4],
    ]);
    const slip = run(panel, specOf({ costs: { slippage_rate: 0.1 } }), 1.1, {
      1: enter(long()),
      4: leave('exit:signal'),
    });
    expect(slip.fills.map((f) => f.qty)).toEqual([1, 1]);
    expect(slip.fills[0]!.price).toBeCloseTo(1.1, 12);
    expect(slip.fills[1]!.price).toBeCloseTo(3.6, 12);
  });
});
