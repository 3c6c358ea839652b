import { formatMetric, METRICS, type StoredMetrics } from './backtestData.ts';

/** One column of the metric table: a backtest's or the benchmark's metrics. */
export interface MetricsColumn {
  label: string;
  metrics: StoredMetrics | null;
}

/**
 * The metric table, one column per backtest or benchmark; each metric's row header carries the
 * engine's definition on hover (and for screen readers, as its description).
 */
export function MetricsTable({ columns }: { columns: readonly MetricsColumn[] }) {
  return (
    <div className="table-wrap">
      <table className="grid metrics">
        <thead>
          <tr>
            <th scope="col">metric</th>
            {columns.map((c) => (
              <th key={c.label} scope="col" className="num">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {METRICS.map((m) => (
            <tr key={m.key}>
              <th scope="row">
                <abbr className="metric-name" title={m.definition} data-metric={m.key}>
                  {m.label}
                </abbr>
              </th>
              {columns.map((c) => (
                <td key={c.label} className="num">
                  {formatMetric(m.key, c.metrics?.[m.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
