// Pure transforms behind the Backtests page: monthly returns from an equity curve, drawdown, the
// run form's parameter overrides and walk-forward fields, trade sorting and the trades as chart markers. Only types come from
// lightweight-charts, so this module stays out of the lazily loaded chart chunk's way.
import type { SeriesMarker, Time } from 'lightweight-charts';
import type { BacktestDetail, BacktestRequest } from '../../../../shared/api/contracts/backtests.ts';
import type { StrategyView } from '../../../../shared/api/contracts/strategies.ts';
import { METRIC_DEFINITIONS, type MetricKey } from '../../../../shared/engine/metrics.ts';
import type { StrategySpecInput } from '../../../../shared/strategy/spec.ts';
import { formatFractionPct, formatInt, formatNumber } from '../../lib/format.ts';

/** One point of an equity curve: the equity at a day's close. */
export interface EquityPoint {
  date: string;
  equity: number;
}

/** One calendar year of the monthly-returns table: twelve months (null without data) and the year. */
export interface MonthlyRow {
  year: number;
  months: (number | null)[];
  total: number | null;
}

/**
 * Monthly returns of an equity curve, one row per year (oldest first): a month's return is its last
 * equity over the last equity before it, minus 1; the first month's base is `start` (the starting cash)
 * when given, else the curve's first point. A year's total compounds the same way over its months.
 */
export function monthlyReturns(points: readonly EquityPoint[], start?: number): MonthlyRow[] {
  const rows = new Map<number, MonthlyRow>();
  let base = start ?? points[0]?.equity ?? Number.NaN;
  let yearBase = base;
  let month = '';
  let last = base;
  const close = (key: string) => {
    const year = Number(key.slice(0, 4));
    const row = rows.get(year) ?? { year, months: Array<number | null>(12).fill(null), total: null };
    row.months[Number(key.slice(5, 7)) - 1] = base > 0 ? last / base - 1 : null;
    row.total = yearBase > 0 ? last / yearBase - 1 : null;
    rows.set(year, row);
  };
  for (const p of points) {
    const key = p.date.slice(0, 7);
    if (key !== month) {
      if (month) {
        close(month);
        base = last;
        if (key.slice(0, 4) !== month.slice(0, 4)) yearBase = last;
      }
      month = key;
    }
    last = p.equity;
  }
  if (month) close(month);
  return [...rows.values()].sort((a, b) => a.year - b.year);
}

/**
 * The heatmap colour of a return: green up, red down, more opaque the larger it is relative to
 * `scale` (the largest absolute monthly return of the table), so one table reads at a glance.
 */
export function heatColor(value: number | null, scale: number): string | undefined {
  if (value === null || !Number.isFinite(value) || !(scale > 0)) return undefined;
  const alpha = Math.min(1, Math.abs(value) / scale) * 0.55 + 0.05;
  return value >= 0 ? `rgba(22, 163, 74, ${alpha.toFixed(3)})` : `rgba(220, 38, 38, ${alpha.toFixed(3)})`;
}

/** Largest absolute monthly return of a table (0 when it has none). */
export function heatScale(rows: readonly MonthlyRow[]): number {
  let scale = 0;
  for (const r of rows)
    for (const m of r.months) if (m !== null && Number.isFinite(m)) scale = Math.max(scale, Math.abs(m));
  return scale;
}

/** The run form's overrides text parsed, or the first problem in it. */
export type OverridesResult = { ok: true; value: Record<string, number> } | { ok: false; message: string };

const OVERRIDE_KEY = /^[a-z][a-z0-9_]*$/;

/**
 * Parses `key=value` pairs separated by spaces, commas or new lines, as `stratos backtest --set` takes
 * them one by one: `fast=20 slow=50`. Every value is a number (a built-in's parameters are); the
 * server checks each against the strategy's parameters.
 */
export function parseOverrides(text: string): OverridesResult {
  const value: Record<string, number> = {};
  for (const pair of text.split(/[\s,]+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return { ok: false, message: `"${pair}": expected key=value` };
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    if (!OVERRIDE_KEY.test(key))
      return { ok: false, message: `"${key}": expected a snake_case parameter name` };
    if (Object.hasOwn(value, key)) return { ok: false, message: `"${key}" is given twice` };
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n))
      return { ok: false, message: `"${key}": expected a number` };
    value[key] = n;
  }
  return { ok: true, value };
}

/** A built-in's parameter as GET /strategies describes it. */
export type StrategyParameter = StrategyView['parameters'][number];

/** A parameter's default and accepted range as the form shows it: `10 · integer in [2, 400]`. */
export function parameterRange(p: StrategyParameter): string {
  const lo = p.min === null ? '(−∞' : `${p.min_exclusive ? '(' : '['}${p.min}`;
  const hi = p.max === null ? '∞)' : `${p.max}${p.max_exclusive ? ')' : ']'}`;
  return `${p.default} · ${p.integer ? 'integer' : 'number'} in ${lo}, ${hi}`;
}

/**
 * The first override the strategy would refuse, checked against its parameters before the request is
 * sent: an unknown name (a strategy that is not built in takes none), a fraction where a whole number
 * is asked, or a value outside the range. Null when all are fine; the server checks again.
 */
export function overrideProblem(
  strategy: string,
  parameters: readonly StrategyParameter[],
  values: Readonly<Record<string, number>>,
): string | null {
  for (const [name, value] of Object.entries(values)) {
    const p = parameters.find((x) => x.name === name);
    if (!p)
      return parameters.length === 0
        ? `${strategy} is not built in and takes no parameters`
        : `"${name}": ${strategy} takes ${parameters.map((x) => x.name).join(', ')}`;
    const below = p.min !== null && (p.min_exclusive ? value <= p.min : value < p.min);
    const above = p.max !== null && (p.max_exclusive ? value >= p.max : value > p.max);
    if ((p.integer && !Number.isInteger(value)) || below || above)
      return `"${name}": expected ${parameterRange(p).split(' · ')[1]}`;
  }
  return null;
}

/** The run form's walk-forward fields as typed. */
export interface WalkForwardFields {
  mode: '' | 'rolling' | 'anchored';
  train: string;
  test: string;
  step: string;
  embargo: string;
}

/** The walk-forward part of POST /backtests, or the first problem in the fields; none when the mode is off. */
export type WalkForwardResult =
  | { ok: true; value: BacktestRequest['walk_forward'] }
  | { ok: false; message: string };

/**
 * Reads the walk-forward fields: train and test are required whole numbers of trading days (at least
 * 1); step (at least test) and embargo (at least 0) may be left empty for the server's defaults (step =
 * test, embargo = the strategy's lookback).
 */
export function parseWalkForward(f: WalkForwardFields): WalkForwardResult {
  if (f.mode === '') return { ok: true, value: undefined };
  const out: Record<string, number> = {};
  const fields: [keyof WalkForwardFields, boolean, number][] = [
    ['train', true, 1],
    ['test', true, 1],
    ['step', false, 1],
    ['embargo', false, 0],
  ];
  for (const [name, required, min] of fields) {
    const raw = f[name].trim();
    if (raw === '') {
      if (required) return { ok: false, message: `walk-forward ${name}: required` };
      continue;
    }
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      return { ok: false, message: `walk-forward ${name}: expected a whole number of days, at least ${min}` };
    out[name] = n;
  }
  if (out.step !== undefined && out.step < out.test!)
    return { ok: false, message: 'walk-forward step: at least test, so test windows do not overlap' };
  return { ok: true, value: { mode: f.mode, train: out.train!, test: out.test!, ...out } };
}

/** The overrides as the form and the lists show them: `fast=20 slow=50`. */
export function formatOverrides(overrides: Readonly<Record<string, number>>): string {
  return Object.entries(overrides)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** A closed trade as GET /backtests/:id lists it. */
export type TradeRow = BacktestDetail['trades'][number];

/** A trade with its number in the backtest's trade order (1-based), which the list can sort by. */
export type NumberedTrade = TradeRow & { n: number };

/** Columns the trade list sorts by. */
export type TradeSortKey =
  | 'n'
  | 'symbol'
  | 'side'
  | 'entry_date'
  | 'exit_date'
  | 'pnl'
  | 'return_pct'
  | 'bars';

/** A copy of `trades` sorted by one column; ties keep their order (the sort is stable). */
export function sortTrades(
  trades: readonly NumberedTrade[],
  key: TradeSortKey,
  order: 'asc' | 'desc',
): NumberedTrade[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...trades].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    const c =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : String(x) < String(y)
          ? -1
          : String(x) > String(y)
            ? 1
            : 0;
    return sign * c;
  });
}

/** Trade marker colours: apart from the signal markers' green and red. */
export const TRADE_COLORS = { long: '#2563eb', short: '#f97316', exit: '#a855f7' };

/**
 * One asset's trades as chart markers, in time order: an arrow at each entry (up below the bar for a
 * long, down above it for a short) and a square at each exit with the trade's return.
 */
export function tradeMarkers(
  trades: readonly TradeRow[],
  assetType: string,
  symbol: string,
): SeriesMarker<Time>[] {
  const markers: SeriesMarker<Time>[] = [];
  for (const t of trades) {
    if (t.symbol !== symbol || t.asset_type !== assetType) continue;
    markers.push(
      t.side === 'long'
        ? {
            time: t.entry_date,
            position: 'belowBar',
            shape: 'arrowUp',
            color: TRADE_COLORS.long,
            text: 'buy',
          }
        : {
            time: t.entry_date,
            position: 'aboveBar',
            shape: 'arrowDown',
            color: TRADE_COLORS.short,
            text: 'short',
          },
      {
        time: t.exit_date,
        position: t.side === 'long' ? 'aboveBar' : 'belowBar',
        shape: 'square',
        color: TRADE_COLORS.exit,
        text: `exit ${formatFractionPct(t.return_pct, 1, true)}`,
      },
    );
  }
  // lightweight-charts wants markers in time order; the sort is stable, so a same-day exit stays after its entry.
  return markers.sort((a, b) =>
    String(a.time) < String(b.time) ? -1 : String(a.time) > String(b.time) ? 1 : 0,
  );
}

/** How a metric's number reads: a fraction as a percent, a ratio, a count, or periods. */
type MetricFormat = 'pct' | 'ratio' | 'count' | 'periods';

const METRIC_FORMATS: Record<MetricKey, MetricFormat> = {
  total_return: 'pct',
  cagr: 'pct',
  volatility: 'pct',
  sharpe: 'ratio',
  sortino: 'ratio',
  max_drawdown: 'pct',
  max_drawdown_duration: 'periods',
  calmar: 'ratio',
  trades: 'count',
  win_rate: 'pct',
  profit_factor: 'ratio',
  expectancy: 'pct',
  avg_trade: 'pct',
  best_trade: 'pct',
  worst_trade: 'pct',
  exposure: 'pct',
  turnover: 'ratio',
  psr: 'pct',
};

const METRIC_LABELS: Record<MetricKey, string> = {
  total_return: 'Total return',
  cagr: 'CAGR',
  volatility: 'Volatility (ann.)',
  sharpe: 'Sharpe',
  sortino: 'Sortino',
  max_drawdown: 'Max drawdown',
  max_drawdown_duration: 'Max drawdown duration',
  calmar: 'Calmar',
  trades: 'Trades',
  win_rate: 'Win rate',
  profit_factor: 'Profit factor',
  expectancy: 'Expectancy',
  avg_trade: 'Average trade',
  best_trade: 'Best trade',
  worst_trade: 'Worst trade',
  exposure: 'Exposure',
  turnover: 'Turnover (ann.)',
  psr: 'Probabilistic Sharpe',
};

/** Every metric in table order with its label and the engine's one-line definition. */
export const METRICS: readonly { key: MetricKey; label: string; definition: string }[] = (
  Object.keys(METRIC_DEFINITIONS) as MetricKey[]
).map((key) => ({ key, label: METRIC_LABELS[key], definition: METRIC_DEFINITIONS[key] }));

/** Metrics as stored: JSON has no NaN or Infinity, so undefined values arrive as null (or are missing). */
export type StoredMetrics = Partial<Record<MetricKey, number | null>>;

/** A metric's value as the tables show it; a dash when it is undefined (no trades, flat equity). */
export function formatMetric(key: MetricKey, value: number | null | undefined): string {
  if (value === Number.POSITIVE_INFINITY) return '∞';
  switch (METRIC_FORMATS[key]) {
    case 'pct':
      return formatFractionPct(value, 2);
    case 'ratio':
      return formatNumber(value, 2);
    case 'count':
      return formatInt(value);
    case 'periods':
      return typeof value === 'number' && Number.isFinite(value)
        ? `${formatInt(value)} trading days`
        : formatInt(value);
  }
}

/** The backtest id a hash query names under `name` (`?backtest=12`), or null when it names none. */
export function idParam(query: string, name: string): number | null {
  const raw = new URLSearchParams(query).get(name);
  const id = raw && /^[1-9]\d*$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(id) ? id : null;
}

/** The markets a stored spec trades (its `asset_types`), read defensively from the API's untyped spec. */
export function specMarkets(spec: Readonly<Record<string, unknown>>): string[] {
  const types = spec.asset_types;
  return Array.isArray(types) ? types.filter((t): t is string => typeof t === 'string') : [];
}

/** A new strategy that validates as it is: RSI(14) below 30 above the 200-day average, 5% stop, 10% target. */
export const NEW_STRATEGY = {
  id: 'my_strategy',
  name: 'My strategy',
  description: 'Long when RSI(14) is below 30 above the 200-day average; 5% stop, 10% target.',
  type: 'MR',
  asset_types: ['crypto', 'equity'],
  entry: {
    long: {
      when: {
        all: [
          { left: { feature: 'rsi_14' }, op: '<', right: { value: 30 } },
          { left: { feature: 'close' }, op: '>', right: { feature: 'sma_200' } },
        ],
      },
    },
    rank: { by: 'rsi_14', order: 'asc' },
    max_positions: 5,
  },
  exit: { stop: { pct: 0.05 }, targets: [{ pct: 0.1, fraction: 1 }], time_stop_bars: 20 },
  sizing: { mode: 'equal' },
  costs: { fee_rate: 0.001, slippage_rate: 0.0005 },
} satisfies Omit<StrategySpecInput, 'version'>;
