import { useQuery } from '@tanstack/react-query';
import { healthQuery } from '../api/queries/health.ts';
import { reviewsListQuery, TOP_REVIEWS } from '../api/queries/reviews.ts';
import { signalsListQuery } from '../api/queries/signals.ts';
import { Counts } from '../components/Counts.tsx';
import { PipelineStatus } from '../components/PipelineStatus.tsx';
import { QualityAlerts } from '../components/QualityAlerts.tsx';
import { ErrorBox, Loading } from '../components/QueryState.tsx';
import { SignalsToday } from '../components/SignalsToday.tsx';
import { TopReviews } from '../components/TopReviews.tsx';
import { screenerHref } from '../router.ts';

/** The latest day of each market: crypto and equities close on different days. */
function DayOverview() {
  const signals = useQuery(signalsListQuery({}));
  const reviews = useQuery(reviewsListQuery(TOP_REVIEWS));
  return (
    <>
      <Counts signals={signals} reviews={reviews} />
      <div className="two-col">
        <TopReviews reviews={reviews} />
        <SignalsToday signals={signals} />
      </div>
    </>
  );
}

/** The morning page: pipeline health, counts, what fired, top reviews and data-quality alerts. */
export function TodayPage() {
  const health = useQuery(healthQuery());
  if (health.isPending) return <Loading what="health" />;
  if (health.isError)
    return <ErrorBox what="health" error={health.error} onRetry={() => void health.refetch()} />;

  const latest = health.data.latest_date;
  return (
    <>
      <div className="page-title">
        <h1>
          Today <span className="num muted">{latest ?? 'no data yet'}</span>
        </h1>
        {health.data.status === 'degraded' && <span className="badge status-partial">degraded</span>}
      </div>
      <PipelineStatus />
      {latest && <DayOverview />}
      <QualityAlerts />
      <p className="muted">
        The whole universe, with filters, sorting and export, is in the <a href={screenerHref()}>screener</a>.
      </p>
    </>
  );
}
