import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import type { AssetDetail } from '../../../shared/api/contracts/assets.ts';
import type { AssetType } from '../../../shared/domain/market.ts';
import { assetDetailQuery } from '../api/queries/assets.ts';
import { AssetHeader } from '../components/AssetHeader.tsx';
import { AssetSignals } from '../components/AssetSignals.tsx';
import { FeatureTable } from '../components/FeatureTable.tsx';
import { Empty, ErrorBox, Loading } from '../components/QueryState.tsx';
import { ReviewCard } from '../components/ReviewCard.tsx';
import { ReviewHistory } from '../components/ReviewHistory.tsx';
import { formatDateTime } from '../lib/format.ts';
import { readReview } from '../lib/review.ts';
import { useDictionary } from '../lib/useDictionary.ts';
import { screenerHref, todayHref } from '../router.ts';

// lightweight-charts is the largest dependency; it loads with the chart, after the page's data.
const PriceChart = lazy(() => import('../components/PriceChart.tsx'));

/** The asset's data-quality ledger: flagged jumps, provider disagreements, rejected bars. */
function QualityCard({ quality }: { quality: AssetDetail['quality'] }) {
  if (quality.length === 0) return null;
  return (
    <section className="card" aria-labelledby="quality-title">
      <div className="card-head">
        <h2 id="quality-title">Data quality</h2>
        <span className="muted">{quality.length} ledger entries, newest first</span>
      </div>
      <div className="table-wrap scroll-y">
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">date</th>
              <th scope="col">kind</th>
              <th scope="col">source</th>
              <th scope="col">reason</th>
              <th scope="col">recorded</th>
            </tr>
          </thead>
          <tbody>
            {quality.map((q) => (
              <tr key={`${q.recorded_at}/${q.kind}/${q.date}/${q.source}`}>
                <td className="num">{q.date ?? '—'}</td>
                <td>
                  <span className="badge status-partial">{q.kind}</span>
                </td>
                <td className="mono">{q.source}</td>
                <td>{q.reason}</td>
                <td className="num muted">{formatDateTime(q.recorded_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** One asset: chart with overlays, the latest AI plan, signals, review history, quality and features. */
export function AssetPage({ assetType, symbol }: { assetType: AssetType; symbol: string }) {
  const detail = useQuery(assetDetailQuery(assetType, symbol));
  const { dictionary, error: dictionaryError } = useDictionary();

  // Reviews come newest first; the latest valid one carries the plan drawn on the chart.
  const latest = useMemo(() => {
    const reviews = detail.data?.reviews ?? [];
    const review = reviews.find((r) => r.status === 'valid') ?? reviews[0];
    return review ? { review, details: readReview(review.review) } : null;
  }, [detail.data]);
  const plan = latest?.review.status === 'valid' ? latest.details.plan : null;

  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <a href={todayHref}>Today</a> · <a href={screenerHref()}>Screener</a>
      </nav>
      {detail.isPending && <Loading what={symbol} />}
      {detail.isError && (
        <ErrorBox
          what={`${assetType} ${symbol}`}
          error={detail.error}
          onRetry={() => void detail.refetch()}
        />
      )}
      {detail.data && (
        <>
          <AssetHeader detail={detail.data} />
          <section className="card" aria-label="Price chart">
            <Suspense fallback={<Loading what="chart" />}>
              <PriceChart detail={detail.data} plan={plan} />
            </Suspense>
          </section>
          {latest ? (
            <ReviewCard review={latest.review} details={latest.details} />
          ) : (
            <section className="card">
              <Empty>No AI review for this asset yet.</Empty>
            </section>
          )}
          <AssetSignals signals={detail.data.signals} />
          {detail.data.reviews.length > 0 && <ReviewHistory reviews={detail.data.reviews} />}
          <QualityCard quality={detail.data.quality} />
          <FeatureTable
            features={detail.data.features}
            dictionary={dictionary}
            dictionaryError={dictionaryError}
          />
        </>
      )}
    </>
  );
}
