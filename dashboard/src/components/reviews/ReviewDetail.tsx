import type { AssetReview } from '../../../../shared/api/contracts/reviews.ts';
import { formatDuration, formatInt } from '../../lib/format.ts';
import { readReview } from '../../lib/review.ts';
import { TradePlanDetails } from '../TradePlanDetails.tsx';
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
          {plan && plan.side !== 'none' && <TradePlanDetails plan={plan} />}
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
