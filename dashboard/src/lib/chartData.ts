// Pure transforms from the API's AssetDetail to lightweight-charts data.
import type { LineData, SeriesMarker, Time, WhitespaceData } from 'lightweight-charts';
import type { AssetDetail } from '../../../shared/api/schemas.ts';

export const COLORS = {
  up: '#16a34a',
  down: '#dc2626',
  upVolume: 'rgba(22, 163, 74, 0.35)',
  downVolume: 'rgba(220, 38, 38, 0.35)',
  neutral: '#64748b',
  entry: '#2563eb',
  stop: '#dc2626',
  target: '#16a34a',
  text: '#334155',
  grid: '#eef2f6',
  border: '#d8dee6',
};

/** Chart overlays the user can toggle, by feature series. */
export const OVERLAYS = [
  { id: 'sma20', label: 'SMA 20', series: ['sma_20'], color: '#f59e0b' },
  { id: 'sma50', label: 'SMA 50', series: ['sma_50'], color: '#8b5cf6' },
  { id: 'sma200', label: 'SMA 200', series: ['sma_200'], color: '#0ea5e9' },
  {
    id: 'bb',
    label: 'Bollinger 20',
    series: ['bb_upper_20', 'bb_middle_20', 'bb_lower_20'],
    color: '#94a3b8',
  },
] as const;
export type OverlayId = (typeof OVERLAYS)[number]['id'];

/** A feature series aligned with the bars; nulls (inside a lookback) become whitespace. */
export function lineData(
  detail: AssetDetail,
  column: string,
): (LineData<Time> | WhitespaceData<Time>)[] | null {
  const values = detail.series[column];
  if (!values) return null;
  return detail.bars.map((bar, i) => {
    const v = values[i];
    return typeof v === 'number' && Number.isFinite(v) ? { time: bar.date, value: v } : { time: bar.date };
  });
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
