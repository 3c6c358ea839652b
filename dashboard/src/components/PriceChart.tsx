import {
  CandlestickSeries,
  createSeriesMarkers,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  LineSeries,
  LineStyle,
  type LogicalRange,
  type MouseEventParams,
  type SeriesMarker,
  type Time,
} from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import type { AssetDetail } from '../../../shared/api/contracts/assets.ts';
import {
  available,
  COLORS,
  histogramPoints,
  linePoints,
  OVERLAYS,
  type OverlayId,
  PANES,
  type PaneId,
  parseChartPrefs,
  planLevels,
  type Stroke,
  signalMarkers,
  volumePoints,
} from '../lib/chartData.ts';
import { formatCompact, formatPrice, formatSmart, priceDecimals } from '../lib/format.ts';
import type { TradePlan } from '../lib/review.ts';
import { browserStore, readItem, writeItem } from '../lib/storage.ts';
import { useTheme } from '../lib/theme.ts';
import { TRADE_COLORS } from './backtests/backtestData.ts';
import { createThemedChart } from './themedChart.ts';

// This module (and lightweight-charts with it) is loaded lazily by the asset page: the chart is
// the largest dependency and only the asset page needs it.

/** Bars shown when the chart opens; the rest is a scroll away. */
const INITIAL_BARS = 180;
const PREFS_KEY = 'stratos.chart.v1';
/** Above this many signal (or trade) markers their labels are dropped (they would overlap). */
const MAX_LABELLED_MARKERS = 12;

const STYLE: Record<Stroke, LineStyle> = {
  solid: LineStyle.Solid,
  dotted: LineStyle.Dotted,
  dashed: LineStyle.Dashed,
};

function usePrefs() {
  const [prefs, setPrefs] = useState(() => parseChartPrefs(readItem(browserStore(), PREFS_KEY)));
  useEffect(() => {
    writeItem(browserStore(), PREFS_KEY, JSON.stringify(prefs));
  }, [prefs]);
  return [prefs, setPrefs] as const;
}

const NO_TRADES: SeriesMarker<Time>[] = [];

/**
 * Candles with volume, toggleable overlays, one lower pane, signal markers (or, when a backtest is
 * chosen, its trades on this asset) and the AI plan's levels.
 */
export default function PriceChart({
  detail,
  plan,
  trades = NO_TRADES,
}: {
  detail: AssetDetail;
  plan: TradePlan | null;
  trades?: SeriesMarker<Time>[];
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLDivElement>(null);
  const overlaySeries = useRef(new Map<OverlayId, ISeriesApi<'Line'>[]>());
  // The zoom survives a rebuild (pane or theme change) of the same asset.
  const range = useRef<LogicalRange | null>(null);
  const [prefs, setPrefs] = usePrefs();
  const { theme } = useTheme();
  // Read at chart creation only; later toggles go through the visibility effect below.
  const overlaysRef = useRef(prefs.overlays);
  overlaysRef.current = prefs.overlays;

  const overlays = OVERLAYS.filter((o) => available(detail, o));
  const panes = PANES.filter((p) => available(detail, p));
  const pane = panes.find((p) => p.id === prefs.pane) ?? null;

  useEffect(() => {
    const container = containerRef.current;
    if (!container || detail.bars.length === 0) return;
    const lastClose = detail.bars[detail.bars.length - 1]?.close ?? 1;
    const precision = priceDecimals(lastClose);

    const chart: IChartApi = createThemedChart(container, theme);

    const candles = chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
      borderVisible: false,
      priceFormat: { type: 'price', precision, minMove: 10 ** -precision },
    });
    candles.setData(
      detail.bars.map((b) => ({ time: b.date, open: b.open, high: b.high, low: b.low, close: b.close })),
    );
    candles.priceScale().applyOptions({ scaleMargins: { top: 0.06, bottom: 0.24 } });

    // Volume on its own overlay scale in the bottom fifth of the price pane.
    const volume = chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    volume.setData(volumePoints(detail));

    const created = new Map<OverlayId, ISeriesApi<'Line'>[]>();
    for (const o of OVERLAYS) {
      const lines: ISeriesApi<'Line'>[] = [];
      for (const def of o.lines) {
        const data = linePoints(detail, def);
        if (!data) continue;
        const series = chart.addSeries(LineSeries, {
          color: def.color,
          lineWidth: 1,
          lineStyle: STYLE[def.stroke],
          priceLineVisible: false,
          lastValueVisible: false,
          crosshairMarkerVisible: false,
          visible: overlaysRef.current.includes(o.id),
          title: def === o.lines[0] ? o.label : '',
        });
        series.setData(data);
        lines.push(series);
      }
      created.set(o.id, lines);
    }
    overlaySeries.current = created;

    if (pane) {
      if (pane.histogram) {
        const data = histogramPoints(detail, pane.histogram, {
          positive: COLORS.upVolume,
          negative: COLORS.downVolume,
        });
        if (data) {
          const hist = chart.addSeries(
            HistogramSeries,
            { priceLineVisible: false, lastValueVisible: false, title: pane.histogram },
            1,
          );
          hist.setData(data);
        }
      }
      pane.lines.forEach((def, i) => {
        const data = linePoints(detail, def);
        if (!data) return;
        const series = chart.addSeries(
          LineSeries,
          {
            color: def.color,
            lineWidth: 1,
            lineStyle: STYLE[def.stroke],
            priceLineVisible: false,
            title: def.label,
            priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
            ...(pane.range
              ? {
                  autoscaleInfoProvider: () => ({
                    priceRange: { minValue: pane.range?.[0] ?? 0, maxValue: pane.range?.[1] ?? 100 },
                  }),
                }
              : {}),
          },
          1,
        );
        series.setData(data);
        if (i === 0) {
          for (const level of pane.levels) {
            series.createPriceLine({
              price: level,
              color: COLORS.neutral,
              lineStyle: LineStyle.Dashed,
              lineWidth: 1,
              axisLabelVisible: true,
              title: '',
            });
          }
        }
      });
      chart.panes()[0]?.setStretchFactor(3);
      chart.panes()[1]?.setStretchFactor(1);
    }

    // Labels help on a sparse chart; on a busy one they overlap, and the legend names the
    // signals of the bar under the crosshair instead.
    // A backtest's trades replace the signal markers: both are arrows, and the trades are what was asked for.
    const markers = trades.length > 0 ? trades : signalMarkers(detail);
    createSeriesMarkers(
      candles,
      markers.length <= MAX_LABELLED_MARKERS ? markers : markers.map((m) => ({ ...m, text: '' })),
    );
    const firedOn = new Map<string, string[]>();
    for (const s of detail.signals) firedOn.set(s.date, [...(firedOn.get(s.date) ?? []), s.name]);

    for (const level of planLevels(plan)) {
      candles.createPriceLine({
        price: level.price,
        color: level.color,
        lineStyle: STYLE[level.stroke],
        lineWidth: 1,
        axisLabelVisible: true,
        title: level.title,
      });
    }

    const n = detail.bars.length;
    if (range.current) chart.timeScale().setVisibleLogicalRange(range.current);
    else if (n > INITIAL_BARS)
      chart.timeScale().setVisibleLogicalRange({ from: n - INITIAL_BARS, to: n + 2 });
    else chart.timeScale().fitContent();

    const showLegend = (param: MouseEventParams<Time>) => {
      const legend = legendRef.current;
      if (!legend) return;
      const idx = Math.min(
        Math.max(param.logical === undefined ? n - 1 : Math.round(param.logical), 0),
        n - 1,
      );
      const bar = detail.bars[idx];
      if (!bar) return;
      const paneValues =
        pane?.lines.map((def) => {
          const v = detail.series[def.column]?.[idx];
          return typeof v === 'number' && !def.derive ? `${def.label} ${formatSmart(v)}` : '';
        }) ?? [];
      legend.textContent = [
        bar.date,
        `O ${formatPrice(bar.open)}`,
        `H ${formatPrice(bar.high)}`,
        `L ${formatPrice(bar.low)}`,
        `C ${formatPrice(bar.close)}`,
        `V ${formatCompact(bar.volume)}`,
        ...paneValues,
        firedOn.has(bar.date) ? `· ${firedOn.get(bar.date)?.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('  ');
    };
    chart.subscribeCrosshairMove(showLegend);
    showLegend({ logical: undefined } as MouseEventParams<Time>);

    return () => {
      range.current = chart.timeScale().getVisibleLogicalRange();
      chart.unsubscribeCrosshairMove(showLegend);
      overlaySeries.current = new Map();
      chart.remove();
    };
  }, [detail, plan, trades, pane, theme]);

  useEffect(() => {
    for (const [id, lines] of overlaySeries.current) {
      for (const line of lines) line.applyOptions({ visible: prefs.overlays.includes(id) });
    }
  }, [prefs.overlays]);

  if (detail.bars.length === 0) return <div className="state empty">No bars for this asset.</div>;

  const toggle = (id: OverlayId, on: boolean) =>
    setPrefs((p) => ({
      ...p,
      overlays: on ? [...p.overlays.filter((x) => x !== id), id] : p.overlays.filter((x) => x !== id),
    }));

  return (
    <div className="chart-box">
      <div className="chart-toolbar">
        <fieldset className="overlays">
          <legend className="visually-hidden">Overlays</legend>
          {overlays.map((o) => (
            <label key={o.id} className="toggle">
              <input
                type="checkbox"
                checked={prefs.overlays.includes(o.id)}
                onChange={(e) => toggle(o.id, e.target.checked)}
              />
              <span className="swatch" style={{ background: o.lines[0]?.color }} />
              {o.label}
            </label>
          ))}
        </fieldset>
        <label>
          <span className="muted">lower pane </span>
          <select
            value={pane?.id ?? 'none'}
            onChange={(e) => setPrefs((p) => ({ ...p, pane: e.target.value as PaneId }))}
          >
            {panes.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
            <option value="none">none</option>
          </select>
        </label>
      </div>
      <div className="legend-keys small muted">
        {trades.length > 0 ? (
          <>
            backtest trades: <span style={{ color: TRADE_COLORS.long }}>▲</span> long entry{' '}
            <span style={{ color: TRADE_COLORS.short }}>▼</span> short entry{' '}
            <span style={{ color: TRADE_COLORS.exit }}>■</span> exit
          </>
        ) : (
          <>
            <span className="dir-bullish">▲</span> bullish signal <span className="dir-bearish">▼</span>{' '}
            bearish signal
          </>
        )}
        {plan && ' · latest AI plan: entry (blue, dashed), stop (red), targets (green, dotted)'}
      </div>
      <div ref={legendRef} className="chart-legend num" aria-live="off" />
      <div
        ref={containerRef}
        className={pane ? 'chart with-pane' : 'chart'}
        role="img"
        aria-label={`Daily candles of ${detail.asset.symbol} with volume${pane ? ` and ${pane.label}` : ''}`}
      />
    </div>
  );
}
