import type { SearchTrialPage } from '../../../../shared/api/contracts/search.ts';
import { formatFractionPct, formatNumber, signClass } from '../../lib/format.ts';

type Trial = SearchTrialPage['items'][number];

/** One page of the trial ledger: each variation's parameters, daily results, buys and score. */
export function TrialsTable({ items }: { items: readonly Trial[] }) {
  return (
    <div className="table-wrap">
      <table className="grid search-trials">
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col" className="num">
              cycle
            </th>
            <th scope="col">algorithm</th>
            <th scope="col">parameters</th>
            <th scope="col">daily results</th>
            <th scope="col" className="num">
              mean/day
            </th>
            <th scope="col" className="num">
              Sharpe/day
            </th>
            <th scope="col" className="num">
              buys
            </th>
            <th scope="col" className="num">
              score
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((t) => (
            <tr key={t.seq}>
              <td className="num muted">{t.seq}</td>
              <td className="num">{t.cycle}</td>
              <th scope="row" className="mono">
                {t.algorithm}
              </th>
              <td className="mono small">
                {Object.entries(t.params)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')}
              </td>
              <td className="mono small">{t.daily_returns.map((d) => formatFractionPct(d, 1)).join(' ')}</td>
              <td className={`num ${signClass(t.mean_return)}`}>{formatFractionPct(t.mean_return, 2)}</td>
              <td className="num">{formatNumber(t.sharpe)}</td>
              <td className="num">{t.total_buys}</td>
              <td className={`num ${signClass(t.score)}`}>{formatFractionPct(t.score, 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
