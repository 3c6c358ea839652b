import { describe, expect, it } from 'vitest';
import { buildPanel, cell, type PanelRow, panelFromSeries, rankAcrossAssets } from './panel.ts';

function row(symbol: string, date: string, close: number, extra: Partial<PanelRow> = {}): PanelRow {
  return {
    symbol,
    assetType: 'equity',
    date,
    open: close - 1,
    high: close + 1,
    low: close - 2,
    close,
    volume: 1000,
    ...extra,
  };
}

describe('buildPanel', () => {
  it('lays columns out asset-major over the union of dates, NaN where an asset has no bar', () => {
    const panel = buildPanel([
      row('MSFT', '2024-01-03', 31),
      row('AAPL', '2024-01-02', 10),
      row('AAPL', '2024-01-04', 12),
      row('MSFT', '2024-01-02', 30),
    ]);
    expect(panel.dates).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
    expect(panel.assets.map((a) => a.symbol)).toEqual(['AAPL', 'MSFT']);
    expect([...panel.close]).toEqual([10, NaN, 12, 30, 31, NaN]);
    expect(panel.close[cell(panel, 1, 1)]).toBe(31);
    expect(panel.open[cell(panel, 0, 2)]).toBe(11);
    expect(panel.low[cell(panel, 1, 0)]).toBe(28);
  });

  it('holds the requested features (NaN for null), signal bytes and reviews', () => {
    const panel = buildPanel(
      [
        row('AAPL', '2024-01-02', 10, {
          features: { rsi_14: 25, sma_200: null },
          signals: ['rsi_oversold', 'not_loaded'],
          review: { direction: 'bullish', confidence: 0.8 },
        }),
        row('AAPL', '2024-01-03', 11, {
          features: { rsi_14: 35 },
          review: { direction: 'bearish', confidence: 0.4 },
        }),
      ],
      { features: ['rsi_14', 'sma_200'], signals: ['rsi_oversold'] },
    );
    expect([...panel.features.get('rsi_14')!]).toEqual([25, 35]);
    expect([...panel.features.get('sma_200')!]).toEqual([NaN, NaN]);
    expect([...panel.signals.get('rsi_oversold')!]).toEqual([1, 0]);
    expect(panel.signals.has('not_loaded')).toBe(false);
    expect([...panel.reviewDirection]).toEqual([1, -1]);
    expect([...panel.reviewConfidence]).toEqual([0.8, 0.4]);
  });

  it('refuses a repeated symbol and date, and a symbol in two markets', () => {
    expect(() => buildPanel([row('AAPL', '2024-01-02', 10), row('AAPL', '2024-01-02', 11)])).toThrow(
      /two rows/,
    );
    expect(() =>
      buildPanel([row('X', '2024-01-02', 10), { ...row('X', '2024-01-03', 10), assetType: 'crypto' }]),
    ).toThrow(/both equity and crypto/);
  });

  it('ranks features across assets per day as percent_rank, ties low, lone value 0', () => {
    const rows = [
      row('A', 'd1', 1, { features: { ret_20: 0.1 } }),
      row('B', 'd1', 1, { features: { ret_20: 0.3 } }),
      row('C', 'd1', 1, { features: { ret_20: 0.1 } }),
      row('D', 'd1', 1, { features: { ret_20: null } }),
      row('E', 'd1', 1, { features: { ret_20: 0.5 } }),
      row('A', 'd2', 1, { features: { ret_20: 0.2 } }),
    ];
    const panel = buildPanel(rows, { features: ['ret_20'], ranks: ['ret_20'] });
    const ranks = panel.ranks.get('ret_20')!;
    // d1: values 0.1, 0.1, 0.3, 0.5 among four ranked assets: 0/3, 0/3, 2/3, 3/3.
    expect([0, 1, 2, 3, 4].map((a) => ranks[cell(panel, a, 0)])).toEqual([0, 2 / 3, 0, NaN, 1]);
    expect(ranks[cell(panel, 0, 1)]).toBe(0);
    expect(() => buildPanel(rows, { ranks: ['ret_20'] })).toThrow(/among the panel's features/);
    expect([...rankAcrossAssets({ nDays: 1, nAssets: 2 }, new Float64Array([NaN, NaN]))]).toEqual([NaN, NaN]);
  });
});

describe('panelFromSeries', () => {
  it('builds the same panel as buildPanel from the same data', () => {
    const rows: PanelRow[] = [
      row('MSFT', '2024-01-03', 31, { features: { rsi_14: 40 }, signals: ['rsi_oversold'] }),
      row('AAPL', '2024-01-02', 10, { features: { rsi_14: null } }),
      row('AAPL', '2024-01-04', 12, { features: { rsi_14: 25 }, signals: ['rsi_oversold'] }),
      row('MSFT', '2024-01-02', 30, { features: { rsi_14: 55 } }),
    ];
    const columns = { features: ['rsi_14'], ranks: ['rsi_14'], signals: ['rsi_oversold'] };
    const bySymbol = (symbol: string) => {
      const mine = rows.filter((r) => r.symbol === symbol).sort((x, y) => (x.date < y.date ? -1 : 1));
      return {
        symbol,
        assetType: 'equity' as const,
        dates: mine.map((r) => r.date),
        open: mine.map((r) => r.open),
        high: mine.map((r) => r.high),
        low: mine.map((r) => r.low),
        close: mine.map((r) => r.close),
        volume: mine.map((r) => r.volume),
        features: { rsi_14: mine.map((r) => r.features?.rsi_14 ?? NaN) },
        signals: { rsi_oversold: mine.map((r) => (r.signals?.includes('rsi_oversold') ? 1 : 0)) },
      };
    };
    expect(panelFromSeries([bySymbol('MSFT'), bySymbol('AAPL')], columns)).toEqual(buildPanel(rows, columns));
  });

  it('refuses an asset twice and dates that do not rise', () => {
    const s = {
      symbol: 'X',
      assetType: 'equity' as const,
      open: [1, 1],
      high: [1, 1],
      low: [1, 1],
      close: [1, 1],
      volume: [1, 1],
    };
    expect(() =>
      panelFromSeries([
        { ...s, dates: ['d1', 'd2'] },
        { ...s, dates: ['d1', 'd2'] },
      ]),
    ).toThrow(/twice/);
    expect(() => panelFromSeries([{ ...s, dates: ['d2', 'd1'] }])).toThrow(/must rise/);
  });
});
