import type { SearchGroupList, SearchPrunedList } from '../../../../shared/api/contracts/search.ts';
import { formatFractionPct, formatNumber, signClass } from '../../lib/format.ts';

type Group = SearchGroupList['items'][number];

/** Groups with the statistics of their intersected picks: per-day results, worst day, leave-one-day-out, DSR. */
export function GroupsTable({ groups }: { groups: readonly Group[] }) {
  return (
    <div className="table-wrap">
      <table className="grid search-groups">
        <thead>
          <tr>
            <th scope="col" className="num">
              rank
            </th>
            <th scope="col">variations</th>
            <th scope="col">daily results (picks)</th>
            <th scope="col" className="num">
              mean/day
            </th>
            <th scope="col" className="num">
              worst day
            </th>
            <th scope="col" className="num">
              leave-one-out worst
            </th>
            <th scope="col" className="num">
              positive days
            </th>
            <th scope="col" className="num">
              DSR
            </th>
            <th scope="col" className="num">
              trials
            </th>
            <th scope="col">selection</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={`${g.run_id}:${g.group_key}`} aria-selected={g.selected}>
              <td className="num">{g.rank}</td>
              <th scope="row" className="mono small">
                {g.members.map((m) => (
                  <div key={m.variation}>{m.variation}</div>
                ))}
              </th>
              <td className="mono small">
                {g.daily_returns.map((d, i) => `${formatFractionPct(d, 1)} (${g.picks[i] ?? 0})`).join(' ')}
              </td>
              <td className={`num ${signClass(g.mean_return)}`}>{formatFractionPct(g.mean_return, 2)}</td>
              <td className={`num ${signClass(g.worst_day)}`}>{formatFractionPct(g.worst_day, 2)}</td>
              <td className={`num ${signClass(g.loo_worst)}`}>{formatFractionPct(g.loo_worst, 2)}</td>
              <td className="num">{g.positive_days}/5</td>
              <td className="num">{formatNumber(g.dsr, 3)}</td>
              <td className="num">{g.trials}</td>
              <td>{g.selected ? <strong>selected</strong> : (g.rejected ?? 'passed')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Pruned = SearchPrunedList['items'][number];

/** The variations the pruner kept per algorithm, with their prune score and gates' numbers. */
export function PrunedTable({ items }: { items: readonly Pruned[] }) {
  return (
    <div className="table-wrap">
      <table className="grid search-pruned">
        <thead>
          <tr>
            <th scope="col">algorithm</th>
            <th scope="col" className="num">
              rank
            </th>
            <th scope="col">variation</th>
            <th scope="col" className="num">
              prune score
            </th>
            <th scope="col" className="num">
              confidence
            </th>
            <th scope="col" className="num">
              worst day
            </th>
            <th scope="col" className="num">
              min day buys
            </th>
            <th scope="col" className="num">
              mean/day
            </th>
            <th scope="col" className="num">
              buys
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.variation}>
              <td className="mono">{p.algorithm}</td>
              <td className="num">{p.rank}</td>
              <th scope="row" className="mono small">
                {p.variation.slice(p.algorithm.length + 1)}
              </th>
              <td className="num">{formatNumber(p.prune_score, 4)}</td>
              <td className="num">{formatNumber(p.confidence, 2)}</td>
              <td className={`num ${signClass(p.worst_day)}`}>{formatFractionPct(p.worst_day, 2)}</td>
              <td className="num">{p.min_day_buys}</td>
              <td className={`num ${signClass(p.mean_return)}`}>{formatFractionPct(p.mean_return, 2)}</td>
              <td className="num">{p.total_buys}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
