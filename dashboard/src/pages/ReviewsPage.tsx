import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Direction } from '../../../shared/domain/market.ts';
import { type ReviewsFilter, reviewsListQuery, TOP_REVIEWS } from '../api/queries/reviews.ts';
import { Empty, ErrorBox, Loading } from '../components/QueryState.tsx';
import { CostsPanel } from '../components/reviews/CostsPanel.tsx';
import { RetryInvalidButton } from '../components/reviews/RetryInvalidButton.tsx';
import { ReviewScorecardPanel } from '../components/reviews/ReviewScorecardPanel.tsx';
import { ReviewsTable } from '../components/reviews/ReviewsTable.tsx';
import '../components/ops.css';

/** The day's AI reviews with their filters, the review scorecard and what the reviews cost. */
export function ReviewsPage() {
  const id = useId();
  const [filter, setFilter] = useState<ReviewsFilter>(TOP_REVIEWS);
  const reviews = useQuery(reviewsListQuery(filter));
  const set = (patch: Partial<ReviewsFilter>) =>
    setFilter((f) => {
      const next = { ...f, ...patch };
      // Empty selects mean "any": drop the key so the query (and its cache key) has no blank values.
      for (const key of ['date', 'direction', 'status', 'model'] as const) if (!next[key]) delete next[key];
      return next;
    });
  // Models seen today, plus the selected one so it stays selectable when it filters everything out.
  const models = [
    ...new Set([...(reviews.data?.items.map((r) => r.model) ?? []), ...(filter.model ? [filter.model] : [])]),
  ].sort();
  const date = reviews.data?.date ?? null;

  return (
    <>
      <div className="page-title">
        <h1>
          AI reviews <span className="num muted">{date ?? ''}</span>
        </h1>
        <span className="spacer" />
        <RetryInvalidButton date={filter.date} />
      </div>
      <section className="card">
        <div className="card-head">
          <h2>Reviews of the day</h2>
          <span className="spacer" />
          <div className="filters">
            <label htmlFor={`${id}-date`}>date</label>
            <input
              id={`${id}-date`}
              type="date"
              value={filter.date ?? ''}
              onChange={(e) => set({ date: e.target.value })}
              aria-describedby={filter.date ? undefined : `${id}-date-hint`}
            />
            {filter.date ? (
              <button type="button" className="btn small" onClick={() => set({ date: '' })}>
                Latest
              </button>
            ) : (
              <span id={`${id}-date-hint`} className="muted small">
                latest per market
              </span>
            )}
            <label htmlFor={`${id}-dir`}>direction</label>
            <select
              id={`${id}-dir`}
              value={filter.direction ?? ''}
              onChange={(e) => set({ direction: (e.target.value || undefined) as Direction | undefined })}
            >
              <option value="">any</option>
              <option value="bullish">bullish</option>
              <option value="bearish">bearish</option>
              <option value="neutral">neutral</option>
            </select>
            <label htmlFor={`${id}-status`}>status</label>
            <select
              id={`${id}-status`}
              value={filter.status ?? ''}
              onChange={(e) => set({ status: (e.target.value || undefined) as ReviewsFilter['status'] })}
            >
              <option value="">any</option>
              <option value="valid">valid</option>
              <option value="invalid">invalid</option>
            </select>
            <label htmlFor={`${id}-model`}>model</label>
            <select
              id={`${id}-model`}
              value={filter.model ?? ''}
              onChange={(e) => set({ model: e.target.value })}
            >
              <option value="">any</option>
              {models.map((m) => (
                <option key={m} value={m}>
                  {m === 'rules' ? 'rules (not an LLM)' : m}
                </option>
              ))}
            </select>
          </div>
        </div>
        {reviews.isPending && <Loading what="reviews" />}
        {reviews.isError && (
          <ErrorBox what="reviews" error={reviews.error} onRetry={() => void reviews.refetch()} />
        )}
        {reviews.data && reviews.data.items.length === 0 && (
          <Empty>
            {reviews.data.date
              ? `No reviews on ${reviews.data.date} match these filters.`
              : 'No reviews yet: the review stage runs after signals.'}
          </Empty>
        )}
        {reviews.data && reviews.data.items.length > 0 && (
          <div className={reviews.isPlaceholderData ? 'stale' : undefined}>
            <ReviewsTable
              items={reviews.data.items}
              filter={filter}
              onSort={(sort, order) => set({ sort, order })}
            />
          </div>
        )}
      </section>
      <ReviewScorecardPanel models={models} />
      <CostsPanel />
    </>
  );
}
