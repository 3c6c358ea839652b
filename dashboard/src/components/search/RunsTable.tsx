import type { SearchRunList } from '../../../../shared/api/contracts/search.ts';
import { formatDateTime, formatFractionPct, formatNumber } from '../../lib/format.ts';

type Run = SearchRunList['items'][number];

/** Search runs with their progress (cycles, trials, best score, budget left); the chosen one is marked. */
export function RunsTable({ runs, selected }: { runs: readonly Run[]; selected: number | null }) {
  return (
    <div className="table-wrap">
      <table className="grid search-runs">
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">week</th>
            <th scope="col">status</th>
            <th scope="col">progress</th>
            <th scope="col" className="num">
              cycles
            </th>
            <th scope="col" className="num">
              trials
            </th>
            <th scope="col" className="num">
              best score
            </th>
            <th scope="col">best variation</th>
            <th scope="col" className="num">
              elapsed
            </th>
            <th scope="col" className="num">
              budget left
            </th>
            <th scope="col">started</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} aria-selected={r.id === selected}>
              <th scope="row">
                <a href={`#/search?run=${r.id}`}>#{r.id}</a>
              </th>
              <td className="mono">{r.week}</td>
              <td>
                <span className={`badge ${r.status}`}>{r.status}</span>
                {r.stopped_by && <span className="muted"> ({r.stopped_by})</span>}
                {r.error && <div className="neg">{r.error}</div>}
              </td>
              <td>
                <progress max={1} value={r.progress} aria-label={`run ${r.id} progress`} />{' '}
                <span className="num muted">{formatFractionPct(r.progress, 0)}</span>
              </td>
              <td className="num">
                {r.cycles_done}/{r.cycles_requested}
              </td>
              <td className="num">{r.trials}</td>
              <td className="num">{formatFractionPct(r.best_score, 3)}</td>
              <td className="mono small">{r.best_variation ?? '—'}</td>
              <td className="num">{formatNumber(r.elapsed_s, 1)} s</td>
              <td className="num">
                {r.budget_left_s === null ? '—' : `${formatNumber(r.budget_left_s, 0)} s`}
              </td>
              <td>{formatDateTime(r.started_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
