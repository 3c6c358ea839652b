import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  type ISeriesApi,
  LineSeries,
  LineStyle,
  type MouseEventParams,
  type Time,
} from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import type { AssetDetail } from '../../../shared/api/schemas.ts';
import { COLORS, lineData, OVERLAYS, type OverlayId, signalMarkers } from '../lib/chartData.ts';
import { formatCompact, formatPrice, priceDecimals } from '../lib/format.ts';
import type { TradePlan } from '../lib/review.ts';

/** Bars shown when the chart opens; the rest is a scroll away. */
const INITIAL_BARS = 180;

type Toggles = Record<OverlayId, boolean>;
const DEFAULT_TOGGLES: Toggles = { sma20: true, sma50: true, sma200: true, bb: false };

function planLines(plan: TradePlan | null) {
  if (!plan) return [];
  const lines: { price: number; color: string; title: string; style: LineStyle }[] = [];
  if (plan.entryLow !== null)
    lines.push({ price: plan.entryLow, color: COLORS.entry, title: 'entry low', style: LineStyle.Dashed });
  if (plan.entryHigh !== null && plan.entryHigh !== plan.entryLow)
    lines.push({ price: plan.entryHigh, color: COLORS.entry, title: 'entry high', style: LineStyle.Dashed });
  if (plan.stop !== null)
    lines.push({ price: plan.stop, color: COLORS.stop, title: 'stop', style: LineStyle.Solid });
  plan.targets.forEach((price, i) => {
    lines.push({ price, color: COLORS.target, title: `T${i + 1}`, style: LineStyle.Dotted });
  });
  return lines;
}

export function PriceChart({ detail, plan }: { detail: AssetDetail; plan: TradePlan | null }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLDivElement>(null);
  const overlaySeries = useRef(new Map<OverlayId, ISeriesApi<'Line'>[]>());
  const [toggles, setToggles] = useState<Toggles>(DEFAULT_TOGGLES);
  // Read at chart creation only; later changes go through the visibility effect below.
  const togglesRef = useRef(toggles);
  togglesRef.current = toggles;

  const available = OVERLAYS.filter((o) => o.series.some((s) => detail.series[s]));
  const hasRsi = Boolean(detail.series.rsi_14);

  useEffect(() => {
    const container = containerRef.current;
    if (!container || detail.bars.length === 0) return;
    const lastClose = detail.bars[detail.bars.length - 1]?.close ?? 1;
    const precision = priceDecimals(lastClose);

    const chart = createChart(container, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: '#ffffff' },
        textColor: COLORS.text,
        fontSize: 11,
        panes: { separatorColor: COLORS.border, enableResize: true },
      },
      grid: { vertLines: { color: COLORS.grid }, horzLines: { color: COLORS.grid } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: COLORS.border },
      timeScale: { borderColor: COLORS.border },
    });

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
    volume.setData(
      detail.bars.map((b) => ({
        time: b.date,
        value: b.volume,
        color: b.close >= b.open ? COLORS.upVolume : COLORS.downVolume,
      })),
    );

    const overlays = new Map<OverlayId, ISeriesApi<'Line'>[]>();
    for (const o of OVERLAYS) {
      const lines: ISeriesApi<'Line'>[] = [];
      for (const column of o.series) {
        const data = lineData(detail, column);
        if (!data) continue;
        const line = chart.addSeries(LineSeries, {
          color: o.color,
          lineWidth: 1,
          lineStyle: column === 'bb_middle_20' ? LineStyle.Dotted : LineStyle.Solid,
          priceLineVisible: false,
          lastValueVisible: false,
          crosshairMarkerVisible: false,
          visible: togglesRef.current[o.id],
          title: column === o.series[0] ? o.label : '',
        });
        line.setData(data);
        lines.push(line);
      }
      overlays.set(o.id, lines);
    }
    overlaySeries.current = overlays;

    const rsiData = lineData(detail, 'rsi_14');
    if (rsiData) {
      const rsi = chart.addSeries(
        LineSeries,
        {
          color: '#7c3aed',
          lineWidth: 1,
          priceLineVisible: false,
          title: 'RSI 14',
          priceFormat: { type: 'price', precision: 1, minMove: 0.1 },
        },
        1,
      );
      rsi.setData(rsiData);
      for (const level of [70, 30]) {
        rsi.createPriceLine({
          price: level,
          color: COLORS.neutral,
          lineStyle: LineStyle.Dashed,
          lineWidth: 1,
          axisLabelVisible: true,
          title: '',
        });
      }
      chart.panes()[0]?.setStretchFactor(3);
      chart.panes()[1]?.setStretchFactor(1);
    }

    createSeriesMarkers(candles, signalMarkers(detail));

    for (const line of planLines(plan)) {
      candles.createPriceLine({
        price: line.price,
        color: line.color,
        lineStyle: line.style,
        lineWidth: 1,
        axisLabelVisible: true,
        title: line.title,
      });
    }

    const n = detail.bars.length;
    if (n > INITIAL_BARS) chart.timeScale().setVisibleLogicalRange({ from: n - INITIAL_BARS, to: n + 2 });
    else chart.timeScale().fitContent();

    const showLegend = (param: MouseEventParams<Time>) => {
      const legend = legendRef.current;
      if (!legend) return;
      const idx = param.logical === undefined ? n - 1 : Math.round(param.logical);
      const bar = detail.bars[Math.min(Math.max(idx, 0), n - 1)];
      if (!bar) return;
      const rsiValue = detail.series.rsi_14?.[detail.bars.indexOf(bar)];
      legend.textContent = [
        bar.date,
        `O ${formatPrice(bar.open)}`,
        `H ${formatPrice(bar.high)}`,
        `L ${formatPrice(bar.low)}`,
        `C ${formatPrice(bar.close)}`,
        `V ${formatCompact(bar.volume)}`,
        typeof rsiValue === 'number' ? `RSI ${rsiValue.toFixed(1)}` : '',
      ].join('  ');
    };
    chart.subscribeCrosshairMove(showLegend);
    showLegend({ logical: undefined } as MouseEventParams<Time>);

    return () => {
      chart.unsubscribeCrosshairMove(showLegend);
      overlaySeries.current = new Map();
      chart.remove();
    };
  }, [detail, plan]);

  useEffect(() => {
    for (const [id, lines] of overlaySeries.current) {
      for (const line of lines) line.applyOptions({ visible: toggles[id] });
    }
  }, [toggles]);

  if (detail.bars.length === 0) return <div className="state empty">No bars for this asset.</div>;

  return (
    <div className="chart-box">
      <div className="chart-toolbar">
        {available.map((o) => (
          <label key={o.id} className="toggle">
            <input
              type="checkbox"
              checked={toggles[o.id]}
              onChange={(e) => setToggles((t) => ({ ...t, [o.id]: e.target.checked }))}
            />
            <span className="swatch" style={{ background: o.color }} />
            {o.label}
          </label>
        ))}
        {!hasRsi && <span className="muted small">no RSI series</span>}
        <span className="spacer" />
        <span className="legend-keys small muted">
          <span className="dir-bullish">▲</span> bullish signal <span className="dir-bearish">▼</span> bearish
          signal
          {plan && ' · plan: entry (blue), stop (red), targets (green)'}
        </span>
      </div>
      <div ref={legendRef} className="chart-legend num" />
      <div ref={containerRef} className={hasRsi ? 'chart with-rsi' : 'chart'} />
    </div>
  );
}
