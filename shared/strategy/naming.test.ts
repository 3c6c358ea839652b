import { describe, expect, it } from 'vitest';
import { canonicalJson, SHORT_ID_LENGTH, specDigest, strategyName } from './naming.ts';
import { parseStrategy, type StrategySpec } from './spec.ts';

function spec(overrides: Record<string, unknown> = {}): StrategySpec {
  return parseStrategy({
    id: 'btc_reversion',
    version: 1,
    name: 'BTC reversion',
    description: 'Buy BTC two standard deviations below its 20-day mean.',
    type: 'MR',
    asset_types: ['crypto'],
    entry: {
      long: { when: { left: { feature: 'zscore_20' }, op: '<', right: { value: -2 } } },
      max_positions: 1,
    },
    exit: { stop: { pct: 0.05 }, time_stop_bars: 5 },
    sizing: { mode: 'all_cash' },
    ...overrides,
  });
}

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe('strategyName', () => {
  it('is <ASSET>_<TYPE>_<5 base32 characters>', () => {
    expect(strategyName(spec(), 'btc')).toMatch(/^BTC_MR_[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(strategyName(spec({ type: 'ROT' }), null)).toMatch(/^MULTI_ROT_[0-9A-Z]{5}$/);
    expect(strategyName(spec(), 'brk.b')).toMatch(/^BRKB_MR_/);
  });

  it('depends on the trading rules only, not on key order, id, version, name or description', () => {
    const a = spec();
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as StrategySpec;
    const relabelled = spec({ id: 'other', version: 7, name: 'Other', description: 'Same rules.' });
    expect(specDigest(reordered)).toBe(specDigest(a));
    expect(specDigest(relabelled)).toBe(specDigest(a));
    expect(specDigest(spec({ exit: { stop: { pct: 0.06 }, time_stop_bars: 5 } }))).not.toBe(specDigest(a));
  });

  it('is pinned for a given spec, so stored names stay valid across releases', () => {
    const digest = specDigest(spec());
    expect(digest).toHaveLength(40);
    expect(strategyName(spec(), 'BTC')).toBe(`BTC_MR_${digest.slice(0, SHORT_ID_LENGTH)}`);
    expect(digest).toMatchInlineSnapshot(`"XFC306VQ69ZRWYGR5295SC1R1J5YN1VG5D7MWENV"`);
  });

  it('grows the id one character at a time past taken names, then adds a counter', () => {
    const digest = specDigest(spec());
    const first = `BTC_MR_${digest.slice(0, 5)}`;
    const second = `BTC_MR_${digest.slice(0, 6)}`;
    expect(strategyName(spec(), 'BTC', new Set([first]))).toBe(second);
    expect(strategyName(spec(), 'BTC', new Set([first, second]))).toBe(`BTC_MR_${digest.slice(0, 7)}`);
    const all = new Set(Array.from({ length: 36 }, (_, i) => `BTC_MR_${digest.slice(0, 5 + i)}`));
    expect(strategyName(spec(), 'BTC', all)).toBe(`BTC_MR_${digest}-2`);
    all.add(`BTC_MR_${digest}-2`);
    expect(strategyName(spec(), 'BTC', all)).toBe(`BTC_MR_${digest}-3`);
  });

  it('gives 2,000 different specs 2,000 different short ids without collision handling most of the time', () => {
    const names = new Set<string>();
    let collisions = 0;
    for (let i = 0; i < 2000; i++) {
      const name = strategyName(spec({ exit: { stop: { pct: 0.01 + i / 1e5 } } }), 'BTC', names);
      if (name.length > 'BTC_MR_'.length + SHORT_ID_LENGTH) collisions++;
      names.add(name);
    }
    expect(names.size).toBe(2000);
    // 2,000 ids among 32^5 ≈ 33.5 million: about 0.06 expected birthday collisions.
    expect(collisions).toBeLessThanOrEqual(2);
  });

  it('refuses an asset with nothing to name it by', () => {
    expect(() => strategyName(spec(), '..')).toThrow(/no letters or digits/);
  });
});
