import type { UseQueryResult } from '@tanstack/react-query';
import type { ReviewList } from '../../../shared/api/contracts/reviews.ts';
import { formatFractionPct, formatNumber } from '../lib/format.ts';
import { assetHref } from '../router.ts';
import { DirectionBadge, ModelTag } from './Badges.tsx';
import { Empty, ErrorBox, Loading } from './QueryState.tsx';

const TOP_N = 12;

/** The day's reviews with the highest attention score (the API sorts them). */
export function TopReviews({ reviews }: { reviews: UseQueryResult<ReviewList> }) {
  const items = reviews.data?.items.filter((r) => r.status === 'valid').slice(0, TOP_N) ?? [];
  return (
    <section className="card">
      <div className="card-head">
        <h2>Top AI reviews</h2>
        <span className="muted">by attention score</span>
      </div>
      {reviews.isPending && <Loading what="reviews" />}
      {reviews.isError && (
        <ErrorBox what="reviews" error={reviews.error} onRetry={() => void reviews.refetch()} />
      )}
      {reviews.data && items.length === 0 && <Empty>No reviews for {reviews.data.date}.</Empty>}
      {items.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>symbol</th>
              <th>direction</th>
              <th className="num">attention</th>
              <th className="num">confidence</th>
              <th>setup</th>
              <th>summary</th>
              <th>model</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={`${r.asset_type}/${r.symbol}/${r.model}/${r.prompt_version}`}>
                <td>
                  <a href={assetHref(r.asset_type, r.symbol)} className="sym">
                    {r.symbol}
                  </a>{' '}
                  <span className="muted small">{r.asset_type}</span>
                </td>
                <td>
                  <DirectionBadge direction={r.direction} />
                </td>
                <td className="num strong">{formatNumber(r.attention_score, 0)}</td>
                <td className="num">{formatFractionPct(r.confidence, 0)}</td>
                <td>{r.setup_type ?? <span className="muted">—</span>}</td>
                <td className="clip" title={r.summary ?? undefined}>
                  {r.summary ?? ''}
                </td>
                <td>
                  <ModelTag model={r.model} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
