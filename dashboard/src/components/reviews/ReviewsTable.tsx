import type { AssetReview } from '../../../../shared/api/contracts/reviews.ts';
import type { ReviewsFilter } from '../../api/queries/reviews.ts';
import { formatDuration, formatFractionPct, formatInt, formatNumber } from '../../lib/format.ts';
import { useToggleSet } from '../../lib/useToggleSet.ts';
import { assetHref } from '../../router.ts';
import { DirectionBadge, ModelTag } from '../Badges.tsx';
import { SortableTh } from '../SortableTh.tsx';
import { ReviewDetail } from './ReviewDetail.tsx';
import { formatUsd } from './reviewData.ts';

const COLUMNS = 10;

type SortKey = ReviewsFilter['sort'];

/** A column header that sorts the server-side query; a second press flips the order. */
function SortHeader({
  label,
  sortKey,
  filter,
  onSort,
  numeric,
}: {
  label: string;
  sortKey: SortKey;
  filter: ReviewsFilter;
  onSort: (sort: SortKey, order: ReviewsFilter['order']) => void;
  numeric?: boolean;
}) {
  const active = filter.sort === sortKey;
  const next = active ? (filter.order === 'asc' ? 'desc' : 'asc') : sortKey === 'symbol' ? 'asc' : 'desc';
  return (
    <SortableTh
      label={label}
      numeric={numeric}
      order={active ? filter.order : null}
      onSort={() => onSort(sortKey, next)}
    />
  );
}

function ReviewRow({ review, open, onToggle }: { review: AssetReview; open: boolean; onToggle: () => void }) {
  const detailId = `review-${review.asset_type}-${review.symbol}-${review.model}`;
  return (
    <>
      <tr>
        <td>
          <button
            type="button"
            className="btn small"
            aria-expanded={open}
            aria-controls={detailId}
            aria-label={`${open ? 'Hide' : 'Show'} the review of ${review.symbol}`}
            onClick={onToggle}
          >
            {open ? '▾' : '▸'}
          </button>
        </td>
        <td>
          <a className="sym" href={assetHref(review.asset_type, review.symbol)}>
            {review.symbol}
          </a>{' '}
          <span className="muted small">{review.asset_type}</span>
        </td>
        <td>
          <DirectionBadge direction={review.direction} />
        </td>
        <td className="num">{formatNumber(review.attention_score, 0)}</td>
        <td className="num">{formatFractionPct(review.confidence, 0)}</td>
        <td>{review.setup_type ?? <span className="muted">—</span>}</td>
        <td>
          {review.status === 'invalid' ? (
            <span className="badge status-failed">invalid</span>
          ) : (
            <span className="badge status-succeeded">valid</span>
          )}
        </td>
        <td>
          <ModelTag model={review.model} />
        </td>
        <td className="num">{formatUsd(review.cost_usd)}</td>
        <td className="num">
          {formatDuration(review.latency_ms)}
          {review.attempts > 1 && <span className="warn small"> ×{review.attempts}</span>}
        </td>
      </tr>
      {open && (
        <tr className="detail-row">
          <td colSpan={COLUMNS} id={detailId}>
            <ReviewDetail review={review} />
          </td>
        </tr>
      )}
    </>
  );
}

/** The day's reviews; sorting is the server's, rows expand in place. */
export function ReviewsTable({
  items,
  filter,
  onSort,
}: {
  items: AssetReview[];
  filter: ReviewsFilter;
  onSort: (sort: SortKey, order: ReviewsFilter['order']) => void;
}) {
  const [open, toggle] = useToggleSet<string>();
  const keyOf = (r: AssetReview) => `${r.asset_type}/${r.symbol}/${r.model}/${r.prompt_version}`;
  return (
    <div className="table-wrap">
      <table className="grid">
        <thead>
          <tr>
            <th>
              <span className="sr-only">details</span>
            </th>
            <SortHeader label="asset" sortKey="symbol" filter={filter} onSort={onSort} />
            <th>direction</th>
            <SortHeader label="attention" sortKey="attention_score" filter={filter} onSort={onSort} numeric />
            <SortHeader label="confidence" sortKey="confidence" filter={filter} onSort={onSort} numeric />
            <th>setup</th>
            <th>status</th>
            <th>model</th>
            <th className="num">cost</th>
            <th className="num">latency</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <ReviewRow
              key={keyOf(r)}
              review={r}
              open={open.has(keyOf(r))}
              onToggle={() => toggle(keyOf(r))}
            />
          ))}
        </tbody>
      </table>
      <p className="muted small">
        {formatInt(items.length)} review{items.length === 1 ? '' : 's'}
      </p>
    </div>
  );
}
