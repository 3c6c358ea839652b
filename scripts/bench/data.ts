import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BarSeries, RawBar } from '../../shared/domain/market.ts';
import { parseBarsCsv } from '../../shared/providers/csv/parse.ts';
import { ROOT } from '../local/database.ts';

/** The held-out real data beside the repository (../shared/data/README.md). */
const DATA_DIR = join(ROOT, '../shared/data');
/** S&P 500 constituents, daily, 2013-02-08 to 2018-02-07: 619,040 rows, 505 tickers. */
export const SP500_CSV = join(DATA_DIR, 'equities/all_stocks_5yr.csv');
/** SPY, daily, 1999-11-01 to 2020-08-28: the equity benchmark of the relative features. */
const SPY_CSV = join(DATA_DIR, 'long_series/SPY_D.csv');
export const BENCHMARK_SYMBOL = 'SPY';

/** One ticker's bars as the kernels take them, and as plain arrays for the peers that want `number[]`. */
export interface Ticker {
  symbol: string;
  series: BarSeries;
  plain: PlainSeries;
}

/** The `number[]` columns technicalindicators and the talib binding read. */
export interface PlainSeries {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

export interface Dataset {
  tickers: Ticker[];
  bars: number;
  /** Rows parseBarsCsv refused (empty cells, inconsistent OHLC): the kernels never see them. */
  rejected: number;
  readMs: number;
  parseMs: number;
}

/** Reads and parses the S&P set with the production CSV parser, timing each step. */
export function loadSp500(): Dataset {
  const t0 = performance.now();
  const text = readFileSync(SP500_CSV, 'utf8');
  const t1 = performance.now();
  const parsed = parseBarsCsv(text);
  const t2 = performance.now();
  const tickers = groupBySymbol(parsed.bars);
  return {
    tickers,
    bars: parsed.bars.length,
    rejected: parsed.rejected.length,
    readMs: t1 - t0,
    parseMs: t2 - t1,
  };
}

/** Every `step`-th ticker: the smaller set of `--quick`. */
export function everyNth(data: Dataset, step: number): Dataset {
  if (step === 1) return data;
  const tickers = data.tickers.filter((_, i) => i % step === 0);
  let bars = 0;
  for (const t of tickers) bars += t.series.close.length;
  return { ...data, tickers, bars };
}

/** Every date of the set, ascending. */
export function tradingCalendar(data: Dataset): string[] {
  const dates = new Set<string>();
  for (const t of data.tickers) for (const d of t.series.dates) dates.add(d);
  return [...dates].sort();
}

/** SPY's bars dated within [from, to], as the features stage would load the benchmark. */
export function loadBenchmark(from: string, to: string): BarSeries {
  const { bars } = parseBarsCsv(readFileSync(SPY_CSV, 'utf8'), { defaultSymbol: BENCHMARK_SYMBOL });
  return toTicker(bars.filter((b) => b.date >= from && b.date <= to)).series;
}

/** parseBarsCsv returns bars sorted by symbol, then date. */
function groupBySymbol(bars: readonly RawBar[]): Ticker[] {
  const tickers: Ticker[] = [];
  let start = 0;
  for (let i = 1; i <= bars.length; i++) {
    if (i < bars.length && bars[i]!.symbol === bars[start]!.symbol) continue;
    tickers.push(toTicker(bars.slice(start, i)));
    start = i;
  }
  return tickers;
}

function toTicker(bars: readonly RawBar[]): Ticker {
  const plain: PlainSeries = {
    open: bars.map((b) => b.open),
    high: bars.map((b) => b.high),
    low: bars.map((b) => b.low),
    close: bars.map((b) => b.close),
    volume: bars.map((b) => b.volume),
  };
  return {
    symbol: bars[0]!.symbol,
    series: {
      dates: bars.map((b) => b.date),
      open: Float64Array.from(plain.open),
      high: Float64Array.from(plain.high),
      low: Float64Array.from(plain.low),
      close: Float64Array.from(plain.close),
      volume: Float64Array.from(plain.volume),
    },
    plain,
  };
}
