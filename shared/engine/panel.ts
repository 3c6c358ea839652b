import type { AssetType, RawBar } from '../domain/market.ts';

/** One asset of a panel, in panel order. */
export interface PanelAsset {
  symbol: string;
  assetType: AssetType;
}

/**
 * The columnar data a backtest reads, built once per run. Every column holds `nAssets × nDays` cells
 * **asset-major**: the cell of asset `a` on day `d` is `a * nDays + d` (see `cell`). Asset-major keeps one
 * asset's history contiguous, which is what the time-series work wants: the template condition evaluator
 * (`shared/signals/evaluate.ts`, reading row `i - 1` as the previous day) runs over it unchanged, and
 * entry and exit conditions are evaluated once per run into Uint8Array columns before the day loop. The
 * day loop then only touches the few open positions and one precomputed byte per asset and day.
 * Missing values are NaN (a day an asset has no bar, a feature inside its lookback).
 */
export interface Panel {
  dates: readonly string[];
  assets: readonly PanelAsset[];
  nDays: number;
  nAssets: number;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Catalogue features by column name. */
  features: ReadonlyMap<string, Float64Array>;
  /** Percentile ranks of features across the panel's assets per day (as `rank` conditions read them). */
  ranks: ReadonlyMap<string, Float64Array>;
  /** 1 where the template fired for the asset that day, else 0. */
  signals: ReadonlyMap<string, Uint8Array>;
  /** Direction of the asset's AI review that day: 1 bullish, -1 bearish, 0 neutral or none. */
  reviewDirection: Int8Array;
  /** Confidence (0-1) of that review; NaN when there is none. */
  reviewConfidence: Float64Array;
}

/** The index of asset `a` on day `d` in every panel column. @internal */
export function cell(panel: Pick<Panel, 'nDays'>, a: number, d: number): number {
  return a * panel.nDays + d;
}

/** One asset's bar on one day with what the strategy reads that day; null or absent values become NaN. */
export interface PanelRow extends RawBar {
  assetType: AssetType;
  features?: Readonly<Record<string, number | null | undefined>>;
  /** Ids of the templates that fired. */
  signals?: readonly string[];
  review?: { direction: 'bullish' | 'bearish' | 'neutral'; confidence: number };
}

/** Which columns beyond OHLCV a panel holds. */
export interface PanelColumns {
  features?: readonly string[];
  /** Features to rank across assets per day; each must also be in `features`. */
  ranks?: readonly string[];
  signals?: readonly string[];
}

const num = (x: number | null | undefined): number => (typeof x === 'number' && Number.isFinite(x) ? x : NaN);

/**
 * Percentile rank of each asset's value among that day's assets, as Postgres' percent_rank(): values
 * below / (count − 1), 0 for the lowest and for a lone value, ties share the lowest rank, NaN unranked.
 */
export function rankAcrossAssets(
  panel: Pick<Panel, 'nDays' | 'nAssets'>,
  values: Float64Array,
): Float64Array {
  const { nDays, nAssets } = panel;
  const out = new Float64Array(values.length).fill(NaN);
  const day = new Float64Array(nAssets);
  for (let d = 0; d < nDays; d++) {
    let n = 0;
    for (let a = 0; a < nAssets; a++) {
      const x = values[a * nDays + d]!;
      if (!Number.isNaN(x)) day[n++] = x;
    }
    if (n === 0) continue;
    const sorted = day.subarray(0, n).sort();
    for (let a = 0; a < nAssets; a++) {
      const x = values[a * nDays + d]!;
      if (Number.isNaN(x)) continue;
      // Index of the first value equal to x: the count of values below it.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      out[a * nDays + d] = n === 1 ? 0 : lo / (n - 1);
    }
  }
  return out;
}

/** A panel while it is being filled. */
export type MutablePanel = Panel & {
  features: Map<string, Float64Array>;
  ranks: Map<string, Float64Array>;
  signals: Map<string, Uint8Array>;
};

/** A panel of these dates and assets with every value missing: NaN, signals 0, no reviews. */
export function emptyPanel(dates: string[], assets: PanelAsset[], columns: PanelColumns): MutablePanel {
  const nDays = dates.length;
  const nAssets = assets.length;
  const size = nDays * nAssets;
  const nanColumn = () => new Float64Array(size).fill(NaN);
  return {
    dates,
    assets,
    nDays,
    nAssets,
    open: nanColumn(),
    high: nanColumn(),
    low: nanColumn(),
    close: nanColumn(),
    volume: nanColumn(),
    features: new Map((columns.features ?? []).map((f) => [f, nanColumn()])),
    ranks: new Map(),
    signals: new Map((columns.signals ?? []).map((id) => [id, new Uint8Array(size)])),
    reviewDirection: new Int8Array(size),
    reviewConfidence: nanColumn(),
  };
}

/** Adds the requested cross-asset ranks to a filled panel. */
export function withRanks(panel: MutablePanel, columns: PanelColumns): Panel {
  for (const name of columns.ranks ?? []) {
    const values = panel.features.get(name);
    if (!values) throw new RangeError(`rank of ${name} needs ${name} among the panel's features`);
    panel.ranks.set(name, rankAcrossAssets(panel, values));
  }
  return panel;
}

/**
 * Builds a panel from plain rows (any order): the dates are every date any row has, sorted; the assets
 * are sorted by asset type then symbol. A repeated (symbol, date) is refused, since which row wins would
 * be arbitrary.
 */
export function buildPanel(rows: readonly PanelRow[], columns: PanelColumns = {}): Panel {
  const dateSet = new Set<string>();
  const assetMap = new Map<string, PanelAsset>();
  for (const r of rows) {
    dateSet.add(r.date);
    const prior = assetMap.get(r.symbol);
    if (prior && prior.assetType !== r.assetType)
      throw new RangeError(`${r.symbol} is both ${prior.assetType} and ${r.assetType}`);
    if (!prior) assetMap.set(r.symbol, { symbol: r.symbol, assetType: r.assetType });
  }
  const dates = [...dateSet].sort();
  const assets = [...assetMap.values()].sort((x, y) =>
    x.assetType !== y.assetType ? (x.assetType < y.assetType ? -1 : 1) : x.symbol < y.symbol ? -1 : 1,
  );
  const panel = emptyPanel(dates, assets, columns);
  const { nDays } = panel;
  const dayIndex = new Map(dates.map((d, i) => [d, i]));
  const assetIndex = new Map(assets.map((a, i) => [a.symbol, i]));
  const seen = new Uint8Array(nDays * panel.nAssets);
  for (const r of rows) {
    const i = assetIndex.get(r.symbol)! * nDays + dayIndex.get(r.date)!;
    if (seen[i]) throw new RangeError(`${r.symbol} has two rows for ${r.date}`);
    seen[i] = 1;
    panel.open[i] = num(r.open);
    panel.high[i] = num(r.high);
    panel.low[i] = num(r.low);
    panel.close[i] = num(r.close);
    panel.volume[i] = num(r.volume);
    if (r.features) for (const [name, col] of panel.features) col[i] = num(r.features[name]);
    if (r.signals)
      for (const id of r.signals) {
        const col = panel.signals.get(id);
        if (col) col[i] = 1;
      }
    if (r.review) {
      panel.reviewDirection[i] =
        r.review.direction === 'bullish' ? 1 : r.review.direction === 'bearish' ? -1 : 0;
      panel.reviewConfidence[i] = num(r.review.confidence);
    }
  }
  return withRanks(panel, columns);
}

/** One asset's history as columns, oldest first: what a loader that reads per asset hands over. */
export interface AssetSeries {
  symbol: string;
  assetType: AssetType;
  dates: readonly string[];
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
  /** Feature columns aligned with `dates`; NaN where undefined. */
  features?: Readonly<Record<string, ArrayLike<number>>>;
  /** Signal columns aligned with `dates`: non-zero where the template fired. */
  signals?: Readonly<Record<string, ArrayLike<number>>>;
}

/**
 * Builds the same panel as buildPanel from per-asset columns, copying column to column instead of going
 * through one object per row (several times faster on the S&P set). Each asset's dates must rise.
 */
export function panelFromSeries(series: readonly AssetSeries[], columns: PanelColumns = {}): Panel {
  const dateSet = new Set<string>();
  for (const s of series) for (const d of s.dates) dateSet.add(d);
  const dates = [...dateSet].sort();
  const sorted = [...series].sort((x, y) =>
    x.assetType !== y.assetType ? (x.assetType < y.assetType ? -1 : 1) : x.symbol < y.symbol ? -1 : 1,
  );
  for (let k = 1; k < sorted.length; k++)
    if (sorted[k]!.symbol === sorted[k - 1]!.symbol)
      throw new RangeError(`${sorted[k]!.symbol} appears twice`);
  const panel = emptyPanel(
    dates,
    sorted.map((s) => ({ symbol: s.symbol, assetType: s.assetType })),
    columns,
  );
  const { nDays } = panel;
  sorted.forEach((s, a) => {
    // Both date lists are sorted, so one forward walk maps the asset's rows to panel cells.
    const cells = new Int32Array(s.dates.length);
    let d = 0;
    for (let k = 0; k < s.dates.length; k++) {
      const date = s.dates[k]!;
      if (k > 0 && date <= s.dates[k - 1]!) throw new RangeError(`${s.symbol}: dates must rise (${date})`);
      while (dates[d] !== date) d++;
      cells[k] = a * nDays + d;
    }
    const copy = (to: Float64Array, from: ArrayLike<number> | undefined) => {
      if (from) for (let k = 0; k < cells.length; k++) to[cells[k]!] = num(from[k]);
    };
    copy(panel.open, s.open);
    copy(panel.high, s.high);
    copy(panel.low, s.low);
    copy(panel.close, s.close);
    copy(panel.volume, s.volume);
    for (const [name, col] of panel.features) copy(col, s.features?.[name]);
    for (const [id, col] of panel.signals) {
      const from = s.signals?.[id];
      if (from) for (let k = 0; k < cells.length; k++) col[cells[k]!] = from[k] ? 1 : 0;
    }
  });
  return withRanks(panel, columns);
}
