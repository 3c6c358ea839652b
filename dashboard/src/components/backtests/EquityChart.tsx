import { AreaSeries, type IChartApi, LineSeries, LineStyle } from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import { useTheme } from '../../lib/theme.ts';
import { createThemedChart } from '../themedChart.ts';
import type { EquityPoint } from './backtestData.ts';

// Loaded lazily by the result view, like the asset page's PriceChart: lightweight-charts is the
// dashboard's largest dependency.

/** One equity curve drawn on the chart. */
export interface EquityLine {
  label: string;
  color: string;
  points: readonly EquityPoint[];
  /** Dashed, for the benchmark. */
  dashed?: boolean;
}

/**
 * Equity curves (the strategy, the benchmark, a compared backtest) on the upper pane and the
 * strategy's drawdown (a fraction, as the API stores it) as an area below it.
 */
export default function EquityChart({
  lines,
  drawdown,
  label,
}: {
  lines: readonly EquityLine[];
  drawdown: readonly { date: string; drawdown: number }[];
  label: string;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const { theme } = useTheme();

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const chart: IChartApi = createThemedChart(container, theme);
    for (const line of lines) {
      const series = chart.addSeries(LineSeries, {
        color: line.color,
        lineWidth: line.dashed ? 1 : 2,
        lineStyle: line.dashed ? LineStyle.Dashed : LineStyle.Solid,
        priceLineVisible: false,
        title: line.label,
        priceFormat: { type: 'price', precision: 0, minMove: 1 },
      });
      series.setData(line.points.map((p) => ({ time: p.date, value: p.equity })));
    }
    if (drawdown.length > 0) {
      const area = chart.addSeries(
        AreaSeries,
        {
          lineColor: '#dc2626',
          topColor: 'rgba(220, 38, 38, 0.05)',
          bottomColor: 'rgba(220, 38, 38, 0.35)',
          lineWidth: 1,
          priceLineVisible: false,
          title: 'drawdown %',
          priceFormat: { type: 'price', precision: 1, minMove: 0.1 },
        },
        1,
      );
      area.setData(drawdown.map((p) => ({ time: p.date, value: p.drawdown * 100 })));
      chart.panes()[0]?.setStretchFactor(3);
      chart.panes()[1]?.setStretchFactor(1);
    }
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [lines, drawdown, theme]);

  return (
    <div className="chart-box">
      <div className="legend-keys small muted">
        {lines.map((l) => (
          <span key={l.label} className="equity-key">
            <span className="swatch" style={{ background: l.color }} /> {l.label}
          </span>
        ))}{' '}
        · lower pane: drawdown of {lines[0]?.label ?? 'the strategy'} (%)
      </div>
      <div ref={containerRef} className="chart with-pane" role="img" aria-label={label} />
    </div>
  );
}
