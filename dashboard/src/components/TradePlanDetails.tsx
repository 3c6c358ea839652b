import { formatPrice } from '../lib/format.ts';
import type { TradePlan } from '../lib/review.ts';

/** A review's trade plan as a definition list: side, entry zone, stop, targets, horizon, invalidation. */
export function TradePlanDetails({ plan }: { plan: TradePlan }) {
  const entry =
    plan.entryLow !== null && plan.entryHigh !== null && plan.entryLow !== plan.entryHigh
      ? `${formatPrice(plan.entryLow)} – ${formatPrice(plan.entryHigh)}`
      : formatPrice(plan.entryLow ?? plan.entryHigh);
  return (
    <dl className="plan">
      {plan.side === 'none' ? (
        <>
          <dt>side</dt>
          <dd>none (no trade)</dd>
        </>
      ) : (
        <>
          <dt>side</dt>
          <dd className={plan.side === 'long' ? 'pos strong' : 'neg strong'}>{plan.side}</dd>
          <dt>entry zone</dt>
          <dd className="num">{entry}</dd>
          <dt>stop</dt>
          <dd className="num neg">{formatPrice(plan.stop)}</dd>
          <dt>targets</dt>
          <dd className="num pos">
            {plan.targets.length ? plan.targets.map((t) => formatPrice(t)).join(' · ') : '—'}
          </dd>
          {plan.horizonDays !== null && (
            <>
              <dt>horizon</dt>
              <dd className="num">{plan.horizonDays} trading days</dd>
            </>
          )}
        </>
      )}
      {plan.invalidation && (
        <>
          <dt>invalidation</dt>
          <dd>{plan.invalidation}</dd>
        </>
      )}
    </dl>
  );
}
