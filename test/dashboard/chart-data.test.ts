import { describe, expect, it } from 'vitest';
import {
  available,
  COLORS,
  chartColumns,
  DEFAULT_OVERLAYS,
  DEFAULT_PANE,
  histogramPoints,
  linePoints,
  OVERLAYS,
  PANES,
  parseChartPrefs,
  planLevels,
  signalMarkers,
} from '../../dashboard/src/lib/chartData.ts';
import type { AssetDetail } from '../../shared/api/contracts/assets.ts';
import { FEATURE_NAMES } from '../../shared/features/catalogue.ts';

const dates = ['2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06'];

function detail(series: AssetDetail['series'], signals: AssetDetail['signals'] = []): AssetDetail {
  return {
    asset: { id: 1, symbol: 'AAPL', name: null, asset_type: 'equity', sector: null, exchange: null },
    bars: dates.map((date, i) => ({
      date,
      open: 10 + i,
      high: 11 + i,
      low: 9 + i,
      close: 10.5 + i,
      volume: 1000,
    })),
    series,
    features: {},
    signals,
    reviews: [],
    quality: [],
  };
}

const overlay = (id: string) => OVERLAYS.find((o) => o.id === id)!;
const pane = (id: string) => PANES.find((p) => p.id === id)!;

describe('chart series mapping', () => {
  it('reads only catalogue feature columns, so the API can serve every overlay and pane', () => {
    const catalogue = new Set<string>(FEATURE_NAMES);
    const columns = chartColumns();
    expect(columns.filter((c) => !catalogue.has(c))).toEqual([]);
    for (const needed of [
      'sma_200',
      'ema_200',
      'kc_upper_20',
      'dc_lower_20',
      'supertrend_dir_10',
      'macd_hist',
      'minus_di_14',
    ])
      expect(columns).toContain(needed);
  });

  it('maps a series onto the bars with whitespace inside the lookback', () => {
    const points = linePoints(detail({ sma_20: [null, null, 11, 12] }), overlay('sma20').lines[0]!);
    expect(points).toEqual([
      { time: '2026-01-01' },
      { time: '2026-01-02' },
      { time: '2026-01-05', value: 11 },
      { time: '2026-01-06', value: 12 },
    ]);
  });

  it("draws Donchian's middle as the midpoint of its channel", () => {
    const d = detail({ dc_upper_20: [null, 14, 16, 18], dc_lower_20: [null, 10, 10, 12] });
    const middle = overlay('dc').lines.find((l) => l.key === 'dc_middle_20')!;
    expect(linePoints(d, middle)?.map((p) => ('value' in p ? p.value : null))).toEqual([null, 12, 13, 15]);
  });

  it('colours SuperTrend by its direction and hides the jump on a flip', () => {
    const d = detail({ supertrend_10: [null, 9, 13, 12], supertrend_dir_10: [null, 1, -1, -1] });
    expect(linePoints(d, overlay('st').lines[0]!)).toEqual([
      { time: '2026-01-01' },
      // The segment from the last up point to the first down point would be a vertical jump.
      { time: '2026-01-02', value: 9, color: 'transparent' },
      { time: '2026-01-05', value: 13, color: COLORS.down },
      { time: '2026-01-06', value: 12, color: COLORS.down },
    ]);
  });

  it('knows an overlay is unavailable when a series it needs is missing', () => {
    const d = detail({ supertrend_10: [1, 2, 3, 4] });
    expect(available(d, overlay('st'))).toBe(false);
    expect(linePoints(d, overlay('st').lines[0]!)).toBeNull();
    expect(available(detail({ rsi_14: [1, 2, 3, 4] }), pane('rsi'))).toBe(true);
  });

  it("colours MACD's histogram by sign", () => {
    const points = histogramPoints(detail({ macd_hist: [null, 0.5, -0.25, 0] }), 'macd_hist', {
      positive: 'green',
      negative: 'red',
    });
    expect(points).toEqual([
      { time: '2026-01-01' },
      { time: '2026-01-02', value: 0.5, color: 'green' },
      { time: '2026-01-05', value: -0.25, color: 'red' },
      { time: '2026-01-06', value: 0, color: 'green' },
    ]);
  });

  it('defines MACD with its signal line and histogram, and ADX with both directional lines', () => {
    expect(pane('macd').lines.map((l) => l.column)).toEqual(['macd', 'macd_signal']);
    expect(pane('macd').histogram).toBe('macd_hist');
    expect(pane('adx').lines.map((l) => l.column)).toEqual(['adx_14', 'plus_di_14', 'minus_di_14']);
  });
});

describe('markers and plan lines', () => {
  it('marks where a signal starts, not every day it holds', () => {
    const s = (date: string, template: string, direction: 'bullish' | 'bearish') => ({
      date,
      template,
      template_version: 1,
      name: template,
      direction,
      strength: 50,
      evidence: {},
    });
    const markers = signalMarkers(
      detail({}, [
        s('2026-01-02', 'uptrend', 'bullish'),
        s('2026-01-05', 'uptrend', 'bullish'),
        s('2026-01-05', 'breakdown', 'bearish'),
      ]),
    );
    expect(markers.map((m) => [m.time, m.shape, m.text])).toEqual([
      ['2026-01-02', 'arrowUp', 'uptrend'],
      ['2026-01-05', 'arrowDown', 'breakdown'],
    ]);
  });

  it('draws the entry zone, the stop and each target of the latest plan', () => {
    const levels = planLevels({ entryLow: 99, entryHigh: 101, stop: 95, targets: [110, 120] });
    expect(levels.map((l) => [l.title, l.price, l.color])).toEqual([
      ['entry low', 99, COLORS.entry],
      ['entry high', 101, COLORS.entry],
      ['stop', 95, COLORS.stop],
      ['T1', 110, COLORS.target],
      ['T2', 120, COLORS.target],
    ]);
    expect(planLevels({ entryLow: 100, entryHigh: 100, stop: null, targets: [] })).toHaveLength(1);
    expect(planLevels(null)).toEqual([]);
  });
});

describe('chart preferences', () => {
  it('restores stored choices and drops unknown overlays', () => {
    expect(parseChartPrefs(JSON.stringify({ overlays: ['kc', 'nope', 'st'], pane: 'macd' }))).toEqual({
      overlays: ['kc', 'st'],
      pane: 'macd',
    });
    expect(parseChartPrefs(JSON.stringify({ overlays: [], pane: 'none' }))).toEqual({
      overlays: [],
      pane: 'none',
    });
  });

  it('falls back to the defaults for missing or corrupt data', () => {
    const defaults = { overlays: [...DEFAULT_OVERLAYS], pane: DEFAULT_PANE };
    expect(parseChartPrefs(null)).toEqual(defaults);
    expect(parseChartPrefs('{oops')).toEqual(defaults);
    expect(parseChartPrefs(JSON.stringify({ pane: 'volume' }))).toEqual(defaults);
  });
});
