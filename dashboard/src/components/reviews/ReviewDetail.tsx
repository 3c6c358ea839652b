import type { AssetReview } from '../../../../shared/api/schemas.ts';
import { formatDuration, formatInt, formatPrice } from '../../lib/format.ts';
import { readReview } from '../../lib/review.ts';
import { formatUsd, invalidRaw, invalidReasons } from './reviewData.ts';

function Provenance({ review }: { review: AssetReview }) {
  return (
    <dl className="plan">
      <dt>model</dt>
      <dd className="mono">{review.model}</dd>
      <dt>prompt</dt>
      <dd className="mono">{review.prompt_version}</dd>
      <dt>tokens</dt>
      <dd className="num">
        {formatInt(review.tokens_in)} in / {formatInt(review.tokens_out)} out
      </dd>
      <dt>cost</dt>
      <dd className="num">{review.cost_usd === null ? 'no price known' : formatUsd(review.cost_usd)}</dd>
      <dt>latency</dt>
      <dd className="num">{formatDuration(review.latency_ms)}</dd>
      <dt>attempts</dt>
      <dd className={`num ${review.attempts > 1 ? 'warn' : ''}`}>{review.attempts}</dd>
    </dl>
  );
}

/** An invalid review: why it was rejected and what the model actually returned. */
function Rejected({ review }: { review: AssetReview }) {
  const reasons = invalidReasons(review.review);
  const raw = invalidRaw(review.review);
  return (
    <div>
      <h3>Why it was rejected</h3>
      {reasons.length ? (
        <ul className="issues">
          {reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">No reasons were recorded.</p>
      )}
      {raw !== null && (
        <details className="raw">
          <summary className="muted small">raw model output</summary>
          <pre>{typeof raw === 'string' ? raw : JSON.stringify(raw, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}

/** The expanded row of a review: summary, plan, risks (or rejection reasons) and provenance. */
export function ReviewDetail({ review }: { review: AssetReview }) {
  if (review.status === 'invalid') {
    return (
      <div className="review-detail">
        <Rejected review={review} />
        <Provenance review={review} />
      </div>
    );
  }
  const details = readReview(review.review);
  const plan = details.plan;
  return (
    <div className="section-gap">
      {review.summary && <p className="summary">{review.summary}</p>}
      <div className="review-detail">
        <div>
          <h3>Trade plan</h3>
          {!plan && <p className="muted">No trade plan.</p>}
          {plan && plan.side === 'none' && (
            <p>No trade{plan.invalidation ? `: ${plan.invalidation}` : '.'}</p>
          )}
          {plan && plan.side !== 'none' && (
            <dl className="plan">
              <dt>side</dt>
              <dd className={plan.side === 'long' ? 'pos strong' : 'neg strong'}>{plan.side}</dd>
              <dt>entry</dt>
              <dd className="num">
                {plan.entryLow !== null && plan.entryHigh !== null && plan.entryLow !== plan.entryHigh
                  ? `${formatPrice(plan.entryLow)} – ${formatPrice(plan.entryHigh)}`
                  : formatPrice(plan.entryLow ?? plan.entryHigh)}
              </dd>
              <dt>stop</dt>
              <dd className="num neg">{formatPrice(plan.stop)}</dd>
              <dt>targets</dt>
              <dd className="num pos">{plan.targets.map((t) => formatPrice(t)).join(' · ') || '—'}</dd>
              {plan.horizonDays !== null && (
                <>
                  <dt>horizon</dt>
                  <dd className="num">{plan.horizonDays} trading days</dd>
                </>
              )}
              {plan.invalidation && (
                <>
                  <dt>invalidation</dt>
                  <dd>{plan.invalidation}</dd>
                </>
              )}
            </dl>
          )}
        </div>
        <div>
          <h3>Risks</h3>
          {details.risks.length ? (
            <ul>
              {details.risks.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">None listed.</p>
          )}
        </div>
        <Provenance review={review} />
      </div>
    </div>
  );
}
