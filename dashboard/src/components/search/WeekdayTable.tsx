import type { WeekdayView } from '../../../../shared/api/contracts/search.ts';
import { formatFractionPct, formatNumber, signClass } from '../../lib/format.ts';
import { assetHref } from '../../router.ts';

type Candidate = WeekdayView['items'][number];

/** A close's candidates by sanity rank → the shortlist with its news → the picks, each with its reason. */
export function WeekdayTable({ items }: { items: readonly Candidate[] }) {
  return (
    <div className="table-wrap">
      <table className="grid search-weekday">
        <thead>
          <tr>
            <th scope="col" className="num">
              sanity rank
            </th>
            <th scope="col">asset</th>
            <th scope="col" className="num">
              sanity
            </th>
            <th scope="col" className="num">
              5-day
            </th>
            <th scope="col" className="num">
              vol/day
            </th>
            <th scope="col" className="num">
              shortlist
            </th>
            <th scope="col" className="num">
              news
            </th>
            <th scope="col" className="num">
              pick
            </th>
            <th scope="col">why</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.symbol} aria-selected={c.pick_rank !== null}>
              <td className="num">{c.sanity_rank}</td>
              <th scope="row">
                <a className="mono" href={assetHref('equity', c.symbol)}>
                  {c.symbol}
                </a>
              </th>
              <td className="num">{formatNumber(c.sanity_score)}</td>
              <td className={`num ${signClass(c.ret_5)}`}>{formatFractionPct(c.ret_5, 2)}</td>
              <td className="num">{formatFractionPct(c.vol_20, 2)}</td>
              <td className="num">{c.shortlist_rank ?? '—'}</td>
              <td className={`num ${signClass(c.news_score)}`}>
                {c.news_score === null
                  ? c.shortlist_rank === null
                    ? '—'
                    : 'no news'
                  : `${formatNumber(c.news_score)} (${c.article_count})`}
              </td>
              <td className="num">{c.pick_rank === null ? '' : <strong>{c.pick_rank}</strong>}</td>
              <td className="small">{c.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
