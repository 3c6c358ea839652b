import { describe, expect, it } from 'vitest';
import { defaultFeedDate, groupFeed, strengthDelta } from '../../dashboard/src/components/signals/feed.ts';
import type { SignalFeedItem } from '../../shared/api/contracts/signals.ts';

const item = (over: Partial<SignalFeedItem>): SignalFeedItem => ({
  change: 'new',
  template: 'rsi_oversold',
  template_version: 1,
  name: 'RSI oversold',
  symbol: 'AAA',
  asset_type: 'equity',
  direction: 'bullish',
  strength: 50,
  previous_date: '2026-01-01',
  previous_strength: null,
  ...over,
});

describe('groupFeed', () => {
  it('always returns new, active and ended, in that order, even when empty', () => {
    expect(groupFeed([]).map((s) => [s.change, s.count, s.groups.length])).toEqual([
      ['new', 0, 0],
      ['active', 0, 0],
      ['ended', 0, 0],
    ]);
  });

  it('groups each section by template, biggest group first, assets strongest first', () => {
    const sections = groupFeed([
      item({ symbol: 'A', template: 'golden_cross', name: 'Golden cross', strength: 10 }),
      item({ symbol: 'B', strength: 20 }),
      item({ symbol: 'C', strength: 80 }),
      item({ symbol: 'D', change: 'ended', strength: 40 }),
      item({ symbol: 'E', change: 'active', strength: 60, previous_strength: 55 }),
    ]);
    const [fresh, active, ended] = sections;
    expect(fresh?.count).toBe(3);
    expect(fresh?.groups.map((g) => g.template)).toEqual(['rsi_oversold', 'golden_cross']);
    expect(fresh?.groups[0]?.items.map((i) => i.symbol)).toEqual(['C', 'B']);
    expect(active?.groups[0]?.items.map((i) => i.symbol)).toEqual(['E']);
    expect(ended?.count).toBe(1);
  });

  it('breaks ties by symbol, so the order is stable across refetches', () => {
    const [fresh] = groupFeed([item({ symbol: 'Z' }), item({ symbol: 'M' })]);
    expect(fresh?.groups[0]?.items.map((i) => i.symbol)).toEqual(['M', 'Z']);
  });
});

describe('strengthDelta', () => {
  it('compares an active signal with its previous day only', () => {
    expect(strengthDelta(item({ change: 'active', strength: 60, previous_strength: 55 }))).toBe(5);
    expect(strengthDelta(item({ change: 'new', strength: 60 }))).toBeNull();
    expect(strengthDelta(item({ change: 'ended', previous_strength: 55 }))).toBeNull();
  });
});

describe('defaultFeedDate', () => {
  const latest = [
    { asset_type: 'crypto', date: '2026-01-10' },
    { asset_type: 'equity', date: '2026-01-09' },
    { asset_type: 'equity', date: '2026-01-09' },
  ];

  it("opens on the market's own latest date", () => {
    expect(defaultFeedDate(latest, 'equity')).toBe('2026-01-09');
    expect(defaultFeedDate(latest, 'crypto')).toBe('2026-01-10');
  });

  it('opens on the newest date of either market when none is chosen', () => {
    expect(defaultFeedDate(latest, null)).toBe('2026-01-10');
  });

  it('is null when nothing fired yet', () => {
    expect(defaultFeedDate([], null)).toBeNull();
    expect(defaultFeedDate(latest.slice(0, 1), 'equity')).toBeNull();
  });
});
