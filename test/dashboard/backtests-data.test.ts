import { describe, expect, it } from 'vitest';
import {
  formatMetric,
  formatOverrides,
  heatColor,
  heatScale,
  idParam,
  METRICS,
  monthlyReturns,
  NEW_STRATEGY,
  type NumberedTrade,
  overrideProblem,
  parameterRange,
  parseOverrides,
  parseWalkForward,
  type StrategyParameter,
  sortTrades,
  specMarkets,
  type TradeRow,
  tradeMarkers,
} from '../../dashboard/src/components/backtests/backtestData.ts';
import { backtestHref, parseRoute } from '../../dashboard/src/router.ts';
import { METRIC_DEFINITIONS } from '../../shared/engine/metrics.ts';
import { parseStrategy } from '../../shared/strategy/spec.ts';

describe('monthlyReturns', () => {
  it('compounds each month from the last equity before it, the first from the starting cash', () => {
    const rows = monthlyReturns(
      [
        { date: '2024-11-28', equity: 1100 },
        { date: '2024-11-29', equity: 1200 },
        { date: '2024-12-02', equity: 1080 },
        { date: '2024-12-31', equity: 1320 },
        { date: '2025-01-02', equity: 1320 },
        { date: '2025-03-03', equity: 990 },
      ],
      1000,
    );
    expect(rows.map((r) => r.year)).toEqual([2024, 2025]);
    const [y2024, y2025] = rows;
    // November: 1200 / 1000 - 1; December: 1320 / 1200 - 1; the year: 1320 / 1000 - 1.
    expect(y2024?.months[10]).toBeCloseTo(0.2, 12);
    expect(y2024?.months[11]).toBeCloseTo(0.1, 12);
    expect(y2024?.months.slice(0, 10)).toEqual(Array(10).fill(null));
    expect(y2024?.total).toBeCloseTo(0.32, 12);
    // January flat, February without data, March: 990 / 1320 - 1; the year from December's close.
    expect(y2025?.months[0]).toBe(0);
    expect(y2025?.months[1]).toBeNull();
    expect(y2025?.months[2]).toBeCloseTo(-0.25, 12);
    expect(y2025?.total).toBeCloseTo(-0.25, 12);
  });

  it('starts from the first point without a starting equity, and is empty without points', () => {
    const [row] = monthlyReturns([
      { date: '2025-06-02', equity: 50 },
      { date: '2025-06-30', equity: 55 },
    ]);
    expect(row?.months[5]).toBeCloseTo(0.1, 12);
    expect(monthlyReturns([])).toEqual([]);
  });

  it('leaves a month null when its base is not positive (a wiped-out account)', () => {
    const [row] = monthlyReturns(
      [
        { date: '2025-01-31', equity: 0 },
        { date: '2025-02-28', equity: 0 },
      ],
      100,
    );
    expect(row?.months[0]).toBe(-1);
    expect(row?.months[1]).toBeNull();
  });
});

describe('heatmap colours', () => {
  it('scales by the largest absolute month and colours by sign', () => {
    const rows = [{ year: 2025, months: [0.02, -0.1, null, ...Array(9).fill(null)], total: -0.08 }];
    expect(heatScale(rows)).toBe(0.1);
    expect(heatColor(-0.1, 0.1)).toBe('rgba(220, 38, 38, 0.600)');
    expect(heatColor(0.02, 0.1)).toBe('rgba(22, 163, 74, 0.160)');
    expect(heatColor(null, 0.1)).toBeUndefined();
    expect(heatColor(0.02, 0)).toBeUndefined();
  });
});

describe('parseOverrides', () => {
  it('reads numeric key=value pairs separated by spaces, commas or lines', () => {
    expect(parseOverrides('fast=20, slow=50\nstop=0.05 size=1e3')).toEqual({
      ok: true,
      value: { fast: 20, slow: 50, stop: 0.05, size: 1000 },
    });
    expect(parseOverrides('  ')).toEqual({ ok: true, value: {} });
    expect(formatOverrides({ fast: 20, slow: 50 })).toBe('fast=20 slow=50');
  });

  it('names the first bad pair', () => {
    expect(parseOverrides('fast')).toEqual({ ok: false, message: '"fast": expected key=value' });
    expect(parseOverrides('=3')).toEqual({ ok: false, message: '"=3": expected key=value' });
    expect(parseOverrides('Fast=3')).toMatchObject({ ok: false, message: /snake_case/ });
    expect(parseOverrides('fast=1 fast=2')).toEqual({ ok: false, message: '"fast" is given twice' });
    expect(parseOverrides('fast=')).toEqual({ ok: false, message: '"fast": expected a number' });
    expect(parseOverrides('fast=ten')).toEqual({ ok: false, message: '"fast": expected a number' });
    expect(parseOverrides('fast=Infinity')).toEqual({ ok: false, message: '"fast": expected a number' });
    expect(parseOverrides('__proto__=1')).toMatchObject({ ok: false });
  });
});

describe('overrideProblem and parameterRange', () => {
  const fast: StrategyParameter = {
    name: 'fast',
    description: 'Period of the fast SMA',
    default: 10,
    integer: true,
    min: 2,
    min_exclusive: false,
    max: 400,
    max_exclusive: false,
  };
  const stop: StrategyParameter = {
    ...fast,
    name: 'stop_pct',
    default: 0.05,
    integer: false,
    min: 0,
    min_exclusive: true,
    max: 1,
    max_exclusive: true,
  };

  it('shows the default and the range with open or closed ends', () => {
    expect(parameterRange(fast)).toBe('10 · integer in [2, 400]');
    expect(parameterRange(stop)).toBe('0.05 · number in (0, 1)');
  });

  it('refuses an unknown name, a fraction for a whole number and a value outside the range', () => {
    const params = [fast, stop];
    expect(overrideProblem('sma_cross', params, { fast: 2, stop_pct: 0.5 })).toBeNull();
    expect(overrideProblem('sma_cross', params, { slow: 3 })).toBe('"slow": sma_cross takes fast, stop_pct');
    expect(overrideProblem('rsi_swing', [], { fast: 3 })).toBe(
      'rsi_swing is not built in and takes no parameters',
    );
    expect(overrideProblem('sma_cross', params, { fast: 2.5 })).toBe('"fast": expected integer in [2, 400]');
    expect(overrideProblem('sma_cross', params, { fast: 1 })).toMatch(/expected integer/);
    expect(overrideProblem('sma_cross', params, { fast: 401 })).toMatch(/expected integer/);
    expect(overrideProblem('sma_cross', params, { stop_pct: 0 })).toBe(
      '"stop_pct": expected number in (0, 1)',
    );
    expect(overrideProblem('sma_cross', params, { stop_pct: 1 })).toMatch(/expected number/);
  });
});

describe('parseWalkForward', () => {
  const fields = { mode: 'rolling' as const, train: '252', test: '63', step: '', embargo: '' };

  it('sends nothing when off, and the server defaults for an empty step or embargo', () => {
    expect(parseWalkForward({ ...fields, mode: '' })).toEqual({ ok: true, value: undefined });
    expect(parseWalkForward(fields)).toEqual({ ok: true, value: { mode: 'rolling', train: 252, test: 63 } });
    expect(parseWalkForward({ ...fields, mode: 'anchored', step: '126', embargo: '0' })).toEqual({
      ok: true,
      value: { mode: 'anchored', train: 252, test: 63, step: 126, embargo: 0 },
    });
  });

  it('names the first bad field', () => {
    expect(parseWalkForward({ ...fields, train: '' })).toEqual({
      ok: false,
      message: 'walk-forward train: required',
    });
    expect(parseWalkForward({ ...fields, test: '0' })).toMatchObject({
      ok: false,
      message: /test: .*at least 1/,
    });
    expect(parseWalkForward({ ...fields, embargo: '2.5' })).toMatchObject({ ok: false, message: /embargo/ });
    expect(parseWalkForward({ ...fields, step: '10' })).toMatchObject({
      ok: false,
      message: /step: at least test/,
    });
  });
});

const trade = (over: Partial<TradeRow>): TradeRow => ({
  symbol: 'BTC',
  asset_type: 'crypto',
  side: 'long',
  entry_date: '2025-01-02',
  exit_date: '2025-01-09',
  qty: 1,
  entry_price: 100,
  exit_price: 110,
  pnl: 10,
  return_pct: 0.1,
  bars: 8,
  entry_rule: 'entry:ma_cross',
  exit_rule: 'exit:reverse',
  ...over,
});

describe('sortTrades', () => {
  const trades: NumberedTrade[] = [
    { ...trade({ symbol: 'ETH', pnl: 5 }), n: 1 },
    { ...trade({ symbol: 'BTC', pnl: -3 }), n: 2 },
    { ...trade({ symbol: 'ADA', pnl: 5 }), n: 3 },
  ];
  it('sorts numbers and text either way, ties in trade order, without touching the input', () => {
    expect(sortTrades(trades, 'pnl', 'desc').map((t) => t.n)).toEqual([1, 3, 2]);
    expect(sortTrades(trades, 'pnl', 'asc').map((t) => t.n)).toEqual([2, 1, 3]);
    expect(sortTrades(trades, 'n', 'desc').map((t) => t.n)).toEqual([3, 2, 1]);
    expect(sortTrades(trades, 'symbol', 'asc').map((t) => t.symbol)).toEqual(['ADA', 'BTC', 'ETH']);
    expect(trades.map((t) => t.n)).toEqual([1, 2, 3]);
  });
});

describe('tradeMarkers', () => {
  it('marks one asset’s entries and exits in time order', () => {
    const markers = tradeMarkers(
      [
        trade({
          side: 'short',
          entry_date: '2025-02-03',
          exit_date: '2025-02-10',
          return_pct: -0.05,
        }),
        trade({}),
        trade({ symbol: 'ETH' }),
        trade({ asset_type: 'equity' }),
      ],
      'crypto',
      'BTC',
    );
    expect(markers.map((m) => [m.time, m.shape, m.position, m.text])).toEqual([
      ['2025-01-02', 'arrowUp', 'belowBar', 'buy'],
      ['2025-01-09', 'square', 'aboveBar', 'exit +10.0%'],
      ['2025-02-03', 'arrowDown', 'aboveBar', 'short'],
      ['2025-02-10', 'square', 'belowBar', 'exit -5.0%'],
    ]);
  });
});

describe('metrics table', () => {
  it('lists every metric the engine defines, with its definition', () => {
    expect(METRICS.map((m) => m.key)).toEqual(Object.keys(METRIC_DEFINITIONS));
    for (const m of METRICS) expect(m.definition).toBe(METRIC_DEFINITIONS[m.key]);
  });

  it('formats fractions as percents, ratios, counts and undefined values', () => {
    expect(formatMetric('total_return', 0.1234)).toBe('12.34%');
    expect(formatMetric('sharpe', 1.23456)).toBe('1.23');
    expect(formatMetric('trades', 12)).toBe('12');
    expect(formatMetric('max_drawdown_duration', 30)).toBe('30 trading days');
    expect(formatMetric('profit_factor', Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatMetric('win_rate', null)).toBe('—');
    expect(formatMetric('calmar', undefined)).toBe('—');
  });
});

describe('the new-strategy draft', () => {
  it('validates as it is, so the editor opens on a valid spec', () => {
    expect(parseStrategy({ ...NEW_STRATEGY, version: 1 }).id).toBe('my_strategy');
  });
});

describe('backtest links', () => {
  it('routes #/backtests and #/backtests/<id>, keeping the comparison in the query', () => {
    expect(parseRoute('#/backtests')).toEqual({ page: 'backtests', query: '' });
    expect(parseRoute('#/backtests/12?compare=7')).toEqual({ page: 'backtest', id: 12, query: 'compare=7' });
    expect(parseRoute(backtestHref(12, 7))).toEqual(parseRoute('#/backtests/12?compare=7'));
    expect(parseRoute('#/backtests/0').page).toBe('not-found');
    expect(parseRoute('#/backtests/1e3').page).toBe('not-found');
    expect(parseRoute('#/backtests/99999999999999999999').page).toBe('not-found');
  });

  it('reads a backtest id from a page query, ignoring anything that is not one', () => {
    expect(idParam('backtest=12', 'backtest')).toBe(12);
    expect(idParam('compare=3&x=1', 'compare')).toBe(3);
    expect(idParam('backtest=-1', 'backtest')).toBeNull();
    expect(idParam('backtest=abc', 'backtest')).toBeNull();
    expect(idParam('backtest=99999999999999999999', 'backtest')).toBeNull();
    expect(idParam('', 'backtest')).toBeNull();
  });

  it('reads the markets of an untyped stored spec', () => {
    expect(specMarkets({ asset_types: ['crypto', 3, 'equity'] })).toEqual(['crypto', 'equity']);
    expect(specMarkets({})).toEqual([]);
  });
});
