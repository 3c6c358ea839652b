import type { BacktestView } from '../../../../shared/api/contracts/backtests.ts';
import { formatDateTime, formatFractionPct, formatInt, formatNumber, signClass } from '../../lib/format.ts';
import { backtestHref } from '../../router.ts';
import { formatOverrides } from './backtestData.ts';

/** A backtest's status as the pipeline pages show a run's. */
export function BacktestStatus({ status }: { status: BacktestView['status'] }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

/** The summary's percentages are in percent; the tables format fractions. */
const pct = (value: number | null | undefined) =>
  formatFractionPct(value == null ? value : value / 100, 2, true);

/** Backtests newest first: what ran over what, its state and its headline numbers. */
export function BacktestsTable({ backtests }: { backtests: readonly BacktestView[] }) {
  return (
    <div className="table-wrap">
      <table className="grid backtests">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">strategy</th>
            <th scope="col">universe</th>
            <th scope="col">range</th>
            <th scope="col">status</th>
            <th scope="col" className="num">
              return
            </th>
            <th scope="col" className="num">
              CAGR
            </th>
            <th scope="col" className="num">
              max DD
            </th>
            <th scope="col" className="num">
              Sharpe
            </th>
            <th scope="col" className="num">
              trades
            </th>
            <th scope="col">started</th>
          </tr>
        </thead>
        <tbody>
          {backtests.map((b) => (
            <tr key={b.id}>
              <td className="num">
                <a href={backtestHref(b.id)}>#{b.id}</a>
              </td>
              <td>
                <a className="mono" href={backtestHref(b.id)}>
                  {b.strategy} v{b.strategy_version}
                </a>
                {Object.keys(b.overrides).length > 0 && (
                  <div className="mono muted small">{formatOverrides(b.overrides)}</div>
                )}
              </td>
              <td className="mono">{b.universe}</td>
              <td className="num">
                {b.from} → {b.to}
              </td>
              <td>
                <BacktestStatus status={b.status} />
                {b.error && (
                  <div className="neg small clip" title={b.error}>
                    {b.error}
                  </div>
                )}
              </td>
              <td className={`num ${signClass(b.summary?.return_pct)}`}>{pct(b.summary?.return_pct)}</td>
              <td className={`num ${signClass(b.summary?.cagr_pct)}`}>{pct(b.summary?.cagr_pct)}</td>
              <td className="num neg">{pct(b.summary?.max_drawdown_pct)}</td>
              <td className="num">{formatNumber(b.summary?.sharpe, 2)}</td>
              <td className="num">{formatInt(b.summary?.trades)}</td>
              <td className="num muted">{formatDateTime(b.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
