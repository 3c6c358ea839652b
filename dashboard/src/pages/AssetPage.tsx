import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { AssetType } from '../../../shared/domain/market.ts';
import { assetDetailQuery } from '../api/queries.ts';
import { AssetHeader } from '../components/AssetHeader.tsx';
import { AssetSignals } from '../components/AssetSignals.tsx';
import { FeatureTable } from '../components/FeatureTable.tsx';
import { PriceChart } from '../components/PriceChart.tsx';
import { ErrorBox, Loading } from '../components/QueryState.tsx';
import { ReviewCard } from '../components/ReviewCard.tsx';
import { ReviewHistory } from '../components/ReviewHistory.tsx';
import { readReview } from '../lib/review.ts';
import { useDictionary } from '../lib/useDictionary.ts';
import { todayHref } from '../router.ts';

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
      <nav className="crumbs">
        <a href={todayHref}>← Today</a>
      </nav>
      {detail.isPending && <Loading what={`${symbol}`} />}
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
          <section className="card">
            <PriceChart detail={detail.data} plan={plan} />
          </section>
          {latest ? (
            <ReviewCard review={latest.review} details={latest.details} />
          ) : (
            <section className="card">
              <div className="state empty">No review for this asset yet.</div>
            </section>
          )}
          <AssetSignals signals={detail.data.signals} />
          {detail.data.reviews.length > 1 && <ReviewHistory reviews={detail.data.reviews} />}
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
