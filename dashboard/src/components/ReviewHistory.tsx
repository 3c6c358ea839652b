import type { ReviewView } from '../../../shared/api/contracts/reviews.ts';
import { formatFractionPct, formatNumber } from '../lib/format.ts';
import { DirectionBadge, ModelTag } from './Badges.tsx';

export function ReviewHistory({ reviews }: { reviews: ReviewView[] }) {
  return (
    <section className="card">
      <div className="card-head">
        <h2>Review history</h2>
        <span className="muted">{reviews.length} reviews, newest first</span>
      </div>
      <div className="table-wrap scroll-y">
        <table className="grid">
          <thead>
            <tr>
              <th>date</th>
              <th>direction</th>
              <th className="num">attention</th>
              <th className="num">confidence</th>
              <th>setup</th>
              <th>summary</th>
              <th>model</th>
              <th>prompt</th>
            </tr>
          </thead>
          <tbody>
            {reviews.map((r) => (
              <tr
                key={`${r.as_of_date}/${r.model}/${r.prompt_version}`}
                className={r.status === 'invalid' ? 'muted' : undefined}
              >
                <td className="num">{r.as_of_date}</td>
                <td>
                  {r.status === 'invalid' ? (
                    <span className="badge status-failed">invalid</span>
                  ) : (
                    <DirectionBadge direction={r.direction} />
                  )}
                </td>
                <td className="num">{formatNumber(r.attention_score, 0)}</td>
                <td className="num">{formatFractionPct(r.confidence, 0)}</td>
                <td>{r.setup_type ?? '—'}</td>
                <td className="clip" title={r.summary ?? undefined}>
                  {r.summary ?? ''}
                </td>
                <td>
                  <ModelTag model={r.model} />
                </td>
                <td className="mono small">{r.prompt_version}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
