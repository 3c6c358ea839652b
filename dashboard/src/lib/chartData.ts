// Pure transforms from the API's AssetDetail to lightweight-charts data: which feature series each
// overlay and lower pane draws, and how. Only types come from lightweight-charts, so this module
// stays out of the lazily loaded chart chunk's way.
import type { HistogramData, LineData, SeriesMarker, Time, WhitespaceData } from 'lightweight-charts';
import type { AssetDetail } from '../../../shared/api/contracts/assets.ts';

export const COLORS = {
  up: '#16a34a',
  down: '#dc2626',
  upVolume: 'rgba(22, 163, 74, 0.35)',
  downVolume: 'rgba(220, 38, 38, 0.35)',
  neutral: '#64748b',
  entry: '#2563eb',
  stop: '#dc2626',
  target: '#16a34a',
};

/** How a line is drawn; the chart maps it to lightweight-charts' LineStyle. */
export type Stroke = 'solid' | 'dotted' | 'dashed';

/**
 * One drawn line. `column` is a feature series; a derived line names the series it is computed
 * from in `from` (Donchian's middle, SuperTrend's up and down legs).
 */
export interface LineDef {
  key: string;
  label: string;
  color: string;
  stroke: Stroke;
  column: string;
  derive?: 'midpoint' | 'trend';
  from?: readonly string[];
}

/** An overlay the user can toggle on the price pane. */
export interface OverlayDef {
  id: string;
  label: string;
  lines: readonly LineDef[];
}

const line = (column: string, label: string, color: string, stroke: Stroke = 'solid'): LineDef => ({
  key: column,
  label,
  color,
  stroke,
  column,
});

const band = (prefix: string, label: string, color: string): LineDef[] => [
  line(`${prefix}_upper_20`, `${label} upper`, color),
  line(`${prefix}_middle_20`, `${label} middle`, color, 'dotted'),
  line(`${prefix}_lower_20`, `${label} lower`, color),
];

/** The price-pane overlays, in toolbar order. Every column is a catalogue feature (a test checks). */
export const OVERLAYS: readonly OverlayDef[] = [
  { id: 'sma20', label: 'SMA 20', lines: [line('sma_20', 'SMA 20', '#f59e0b')] },
  { id: 'sma50', label: 'SMA 50', lines: [line('sma_50', 'SMA 50', '#8b5cf6')] },
  { id: 'sma200', label: 'SMA 200', lines: [line('sma_200', 'SMA 200', '#0ea5e9')] },
  { id: 'ema20', label: 'EMA 20', lines: [line('ema_20', 'EMA 20', '#f97316', 'dashed')] },
  { id: 'ema50', label: 'EMA 50', lines: [line('ema_50', 'EMA 50', '#a855f7', 'dashed')] },
  { id: 'ema200', label: 'EMA 200', lines: [line('ema_200', 'EMA 200', '#06b6d4', 'dashed')] },
  { id: 'bb', label: 'Bollinger 20', lines: band('bb', 'BB', '#94a3b8') },
  { id: 'kc', label: 'Keltner 20', lines: band('kc', 'KC', '#14b8a6') },
  {
    id: 'dc',
    label: 'Donchian 20',
    lines: [
      line('dc_upper_20', 'DC upper', '#e879f9'),
      {
        key: 'dc_middle_20',
        label: 'DC middle',
        color: '#e879f9',
        stroke: 'dotted',
        column: 'dc_upper_20',
        derive: 'midpoint',
        from: ['dc_upper_20', 'dc_lower_20'],
      },
      line('dc_lower_20', 'DC lower', '#e879f9'),
    ],
  },
  {
    id: 'st',
    label: 'SuperTrend 10',
    lines: [
      {
        key: 'supertrend_10',
        label: 'SuperTrend',
        color: COLORS.up,
        stroke: 'solid',
        column: 'supertrend_10',
        derive: 'trend',
        from: ['supertrend_10', 'supertrend_dir_10'],
      },
    ],
  },
];

/** A lower pane: lines, an optional histogram and reference levels. */
export interface PaneDef {
  id: string;
  label: string;
  lines: readonly LineDef[];
  histogram?: string;
  levels: readonly number[];
  /** Fixed value range, for bounded oscillators. */
  range?: readonly [number, number];
}

/** The lower panes; one is shown at a time. */
export const PANES: readonly PaneDef[] = [
  {
    id: 'rsi',
    label: 'RSI 14',
    lines: [line('rsi_14', 'RSI 14', '#7c3aed')],
    levels: [70, 30],
    range: [0, 100],
  },
  {
    id: 'macd',
    label: 'MACD 12/26/9',
    lines: [line('macd', 'MACD', '#2563eb'), line('macd_signal', 'signal', '#f97316')],
    histogram: 'macd_hist',
    levels: [0],
  },
  {
    id: 'adx',
    label: 'ADX 14',
    lines: [
      line('adx_14', 'ADX', '#0f766e'),
      line('plus_di_14', '+DI', COLORS.up, 'dotted'),
      line('minus_di_14', '−DI', COLORS.down, 'dotted'),
    ],
    levels: [25],
    range: [0, 100],
  },
];

export type OverlayId = string;
export type PaneId = string | 'none';

/** Overlays on when the user has not chosen. */
export const DEFAULT_OVERLAYS: readonly OverlayId[] = ['sma20', 'sma50', 'sma200'];
export const DEFAULT_PANE: PaneId = 'rsi';

/** Every feature series the overlays and panes read: the `series` parameter of the asset request. */
export function chartColumns(): string[] {
  const columns = new Set<string>();
  for (const def of [...OVERLAYS, ...PANES]) {
    for (const l of def.lines) for (const c of l.from ?? [l.column]) columns.add(c);
  }
  for (const pane of PANES) if (pane.histogram) columns.add(pane.histogram);
  return [...columns];
}

type Point = LineData<Time> | WhitespaceData<Time>;

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** A feature series aligned with the bars; nulls (inside a lookback) become whitespace. */
export function lineData(detail: AssetDetail, column: string): Point[] | null {
  const values = detail.series[column];
  if (!values) return null;
  return detail.bars.map((bar, i) => {
    const v = values[i];
    return finite(v) ? { time: bar.date, value: v } : { time: bar.date };
  });
}

/**
 * The points of one line definition, or null when the series it needs are missing.
 *
 * SuperTrend is green while the trend is up and red while it is down. On a flip the band jumps to
 * the other side of the price; lightweight-charts joins consecutive points and colours a segment
 * with its first point's colour, so the point before a flip is transparent and the jump is not drawn.
 */
export function linePoints(detail: AssetDetail, def: LineDef): Point[] | null {
  if (!def.derive) return lineData(detail, def.column);
  const [a, b] = (def.from ?? []).map((c) => detail.series[c]);
  if (!a || !b) return null;
  return detail.bars.map((bar, i) => {
    const x = a[i];
    const y = b[i];
    if (!finite(x) || !finite(y)) return { time: bar.date };
    if (def.derive === 'midpoint') return { time: bar.date, value: (x + y) / 2 };
    const next = b[i + 1];
    const color = finite(next) && next !== y ? 'transparent' : y > 0 ? COLORS.up : COLORS.down;
    return { time: bar.date, value: x, color };
  });
}

/** Whether the asset has the series an overlay or pane needs (an older API may send fewer). */
export function available(detail: AssetDetail, def: OverlayDef | PaneDef): boolean {
  return def.lines.some((l) => (l.from ?? [l.column]).every((c) => Boolean(detail.series[c])));
}

/** A histogram series coloured by sign (MACD's histogram). */
export function histogramPoints(
  detail: AssetDetail,
  column: string,
  colors: { positive: string; negative: string },
): (HistogramData<Time> | WhitespaceData<Time>)[] | null {
  const values = detail.series[column];
  if (!values) return null;
  return detail.bars.map((bar, i) => {
    const v = values[i];
    if (!finite(v)) return { time: bar.date };
    return { time: bar.date, value: v, color: v >= 0 ? colors.positive : colors.negative };
  });
}

/** Volume bars coloured by the candle's direction. */
export function volumePoints(detail: AssetDetail): HistogramData<Time>[] {
  return detail.bars.map((b) => ({
    time: b.date,
    value: b.volume,
    color: b.close >= b.open ? COLORS.upVolume : COLORS.downVolume,
  }));
}

/**
 * One marker per (date, direction) where a signal starts: a template that also fired on the previous
 * bar is still the same event, so a state such as "strong uptrend" marks its first day only.
 * Bullish below the bar, bearish above, neutral on it.
 */
export function signalMarkers(detail: AssetDetail): SeriesMarker<Time>[] {
  const index = new Map(detail.bars.map((b, i) => [b.date, i]));
  const fired = new Set(detail.signals.map((s) => `${s.date}/${s.template}`));
  const groups = new Map<string, { date: string; direction: string; names: string[] }>();
  for (const s of detail.signals) {
    const i = index.get(s.date);
    if (i === undefined) continue;
    const previous = detail.bars[i - 1];
    if (previous && fired.has(`${previous.date}/${s.template}`)) continue;
    const key = `${s.date}/${s.direction}`;
    const g = groups.get(key) ?? { date: s.date, direction: s.direction, names: [] };
    g.names.push(s.template);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((g) => {
      const text = g.names.length <= 2 ? g.names.join(', ') : `${g.names.length} signals`;
      if (g.direction === 'bullish')
        return { time: g.date, position: 'belowBar', shape: 'arrowUp', color: COLORS.up, text } as const;
      if (g.direction === 'bearish')
        return { time: g.date, position: 'aboveBar', shape: 'arrowDown', color: COLORS.down, text } as const;
      return { time: g.date, position: 'aboveBar', shape: 'circle', color: COLORS.neutral, text } as const;
    });
}

/** Price lines of a trade plan: the entry zone, the stop and each target. */
export function planLevels(
  plan: {
    entryLow: number | null;
    entryHigh: number | null;
    stop: number | null;
    targets: number[];
  } | null,
): { price: number; color: string; title: string; stroke: Stroke }[] {
  if (!plan) return [];
  const levels: { price: number; color: string; title: string; stroke: Stroke }[] = [];
  if (plan.entryLow !== null)
    levels.push({ price: plan.entryLow, color: COLORS.entry, title: 'entry low', stroke: 'dashed' });
  if (plan.entryHigh !== null && plan.entryHigh !== plan.entryLow)
    levels.push({ price: plan.entryHigh, color: COLORS.entry, title: 'entry high', stroke: 'dashed' });
  if (plan.stop !== null)
    levels.push({ price: plan.stop, color: COLORS.stop, title: 'stop', stroke: 'solid' });
  plan.targets.forEach((price, i) => {
    levels.push({ price, color: COLORS.target, title: `T${i + 1}`, stroke: 'dotted' });
  });
  return levels;
}

/** Parses stored chart preferences; unknown ids are dropped, a bad value gives the defaults. */
export function parseChartPrefs(raw: string | null): { overlays: OverlayId[]; pane: PaneId } {
  try {
    const v = JSON.parse(raw ?? 'null') as { overlays?: unknown; pane?: unknown } | null;
    const ids = new Set(OVERLAYS.map((o) => o.id));
    const overlays = Array.isArray(v?.overlays)
      ? v.overlays.filter((x): x is string => typeof x === 'string' && ids.has(x))
      : [...DEFAULT_OVERLAYS];
    const pane =
      typeof v?.pane === 'string' && (v.pane === 'none' || PANES.some((p) => p.id === v.pane))
        ? v.pane
        : DEFAULT_PANE;
    return { overlays, pane };
  } catch {
    return { overlays: [...DEFAULT_OVERLAYS], pane: DEFAULT_PANE };
  }
}
