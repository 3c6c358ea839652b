import { useQuery } from '@tanstack/react-query';
import { healthQuery, reviewsQuery, signalsQuery } from '../api/queries.ts';
import { AssetTable } from '../components/AssetTable.tsx';
import { Counts } from '../components/Counts.tsx';
import { PipelineStatus } from '../components/PipelineStatus.tsx';
import { ErrorBox, Loading } from '../components/QueryState.tsx';
import { SignalsToday } from '../components/SignalsToday.tsx';
import { TopReviews } from '../components/TopReviews.tsx';

/** The latest day of each market: crypto and equities close on different days. */
function DayOverview() {
  const signals = useQuery(signalsQuery());
  const reviews = useQuery(reviewsQuery());
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
      <AssetTable />
    </>
  );
}
