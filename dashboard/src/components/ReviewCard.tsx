import type { ReviewView } from '../../../shared/api/contracts/reviews.ts';
import { formatDuration, formatFractionPct, formatInt, formatNumber, formatPrice } from '../lib/format.ts';
import type { ReviewDetails } from '../lib/review.ts';
import { DirectionBadge, ModelTag } from './Badges.tsx';
import { TradePlanDetails } from './TradePlanDetails.tsx';

function List({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <div>
      <h3>{title}</h3>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}

/** The latest review of an asset, with its trade plan and the provenance of the text. */
export function ReviewCard({ review, details }: { review: ReviewView; details: ReviewDetails }) {
  return (
    <section className="card review">
      <div className="card-head">
        <h2>
          Latest review <span className="num muted">{review.as_of_date}</span>
        </h2>
        {review.status === 'invalid' && <span className="badge status-failed">invalid output</span>}
        <span className="spacer" />
        <ModelTag model={review.model} />
      </div>
      <div className="review-head">
        <DirectionBadge direction={review.direction} />
        <span>
          attention <strong className="num">{formatNumber(review.attention_score, 0)}</strong>
          <span className="muted">/100</span>
        </span>
        <span>
          confidence <strong className="num">{formatFractionPct(review.confidence, 0)}</strong>
        </span>
        {review.setup_type && <span className="tag">{review.setup_type}</span>}
      </div>
      {review.summary && <p className="summary">{review.summary}</p>}
      <div className="review-grid">
        <div>
          <h3>Trade plan</h3>
          {details.plan ? (
            <TradePlanDetails plan={details.plan} />
          ) : (
            <p className="muted">No trade plan in this review.</p>
          )}
        </div>
        <div>
          <h3>Levels</h3>
          <dl className="plan">
            <dt>resistance</dt>
            <dd className="num">{details.resistance.map((p) => formatPrice(p)).join(' · ') || '—'}</dd>
            <dt>support</dt>
            <dd className="num">{details.support.map((p) => formatPrice(p)).join(' · ') || '—'}</dd>
          </dl>
        </div>
        <List title="Risks" items={details.risks} />
        <List title="Catalysts" items={details.catalysts} />
      </div>
      <div className="provenance muted small">
        model <span className="mono">{review.model}</span> · prompt{' '}
        <span className="mono">{review.prompt_version}</span> · tokens{' '}
        <span className="num">{formatInt(review.tokens_in)}</span> in /{' '}
        <span className="num">{formatInt(review.tokens_out)}</span> out · latency{' '}
        <span className="num">{formatDuration(review.latency_ms)}</span> · attempts{' '}
        <span className="num">{review.attempts}</span>
      </div>
      <details className="raw">
        <summary className="muted small">raw review JSON</summary>
        <pre>{JSON.stringify(review.review, null, 2)}</pre>
      </details>
    </section>
  );
}
