import type { AssetType, BarSeries, RawBar } from '../domain/market.ts';
import { FEATURE_NAMES } from './catalogue.ts';
import { computeFeatures } from './compute.ts';
import { returns } from './define.ts';

/** Bars of one file grouped per symbol as typed series (input sorted by symbol, then date). */
export function seriesBySymbol(bars: readonly RawBar[]): Map<string, BarSeries> {
  const out = new Map<string, BarSeries>();
  let start = 0;
  for (let i = 1; i <= bars.length; i++) {
    if (i < bars.length && bars[i]!.symbol === bars[start]!.symbol) continue;
    const part = bars.slice(start, i);
    out.set(bars[start]!.symbol, {
      dates: part.map((b) => b.date),
      open: Float64Array.from(part, (b) => b.open),
      high: Float64Array.from(part, (b) => b.high),
      low: Float64Array.from(part, (b) => b.low),
      close: Float64Array.from(part, (b) => b.close),
      volume: Float64Array.from(part, (b) => b.volume),
    });
    start = i;
  }
  return out;
}

/**
 * Percentile rank of each value among the values of the same date, as Postgres' percent_rank():
 * (rank - 1) / (count - 1) with ties sharing the lowest rank, 0 when alone; NaN values are not ranked.
 */
export function percentRanks(
  values: Map<string, Float64Array>,
  dates: Map<string, string[]>,
): Map<string, Float64Array> {
  const byDate = new Map<string, { symbol: string; index: number; value: number }[]>();
  for (const [symbol, series] of values) {
    const symbolDates = dates.get(symbol)!;
    series.forEach((value, index) => {
      if (Number.isNaN(value)) return;
      const date = symbolDates[index]!;
      const list = byDate.get(date) ?? [];
      list.push({ symbol, index, value });
      byDate.set(date, list);
    });
  }
  const out = new Map<string, Float64Array>();
  for (const [symbol, series] of values) out.set(symbol, new Float64Array(series.length).fill(Number.NaN));
  for (const list of byDate.values()) {
    list.sort((a, b) => a.value - b.value);
    let rank = 0;
    for (let i = 0; i < list.length; i++) {
      if (i === 0 || list[i]!.value !== list[i - 1]!.value) rank = i;
      out.get(list[i]!.symbol)![list[i]!.index] = list.length === 1 ? 0 : rank / (list.length - 1);
    }
  }
  return out;
}

const cell = (x: number) => (Number.isFinite(x) ? String(x) : '');

/**
 * The whole catalogue for every symbol of a bar file, as CSV lines (header first): `symbol,date`
 * then every feature column in catalogue order, empty where undefined. Universe ranks are taken
 * across the file's symbols per date; the market benchmark (BTC or SPY) is used when the file has it.
 * Yields line by line so a 600k-bar file never becomes one string.
 */
export function* featuresCsvLines(
  bars: readonly RawBar[],
  opts: { assetType: AssetType; benchmark: string },
): Generator<string> {
  const series = seriesBySymbol(bars);
  const dates = new Map([...series].map(([symbol, s]) => [symbol, s.dates]));
  const rank20 = percentRanks(new Map([...series].map(([s, b]) => [s, returns(b.close, 20)])), dates);
  const rank60 = percentRanks(new Map([...series].map(([s, b]) => [s, returns(b.close, 60)])), dates);
  const featureOpts = {
    periodsPerYear: opts.assetType === 'crypto' ? 365 : 252,
    benchmark: series.get(opts.benchmark.toUpperCase()),
  };
  yield ['symbol', 'date', ...FEATURE_NAMES].join(',');
  for (const [symbol, s] of series) {
    const values: Record<string, Float64Array> = {
      ...computeFeatures(s, featureOpts),
      rank_ret_20: rank20.get(symbol)!,
      rank_ret_60: rank60.get(symbol)!,
    };
    const columns = FEATURE_NAMES.map((n) => values[n]!);
    for (let i = 0; i < s.dates.length; i++) {
      let line = `${symbol},${s.dates[i]}`;
      for (const column of columns) line += `,${cell(column[i]!)}`;
      yield line;
    }
  }
}
