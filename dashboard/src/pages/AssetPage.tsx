import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import type { AssetDetail } from '../../../shared/api/contracts/assets.ts';
import type { BacktestDetail } from '../../../shared/api/contracts/backtests.ts';
import type { AssetType } from '../../../shared/domain/market.ts';
import { assetDetailQuery } from '../api/queries/assets.ts';
import { backtestDetailQuery } from '../api/queries/backtests.ts';
import { AssetHeader } from '../components/AssetHeader.tsx';
import { AssetSignals } from '../components/AssetSignals.tsx';
import { idParam, tradeMarkers } from '../components/backtests/backtestData.ts';
import { FeatureTable } from '../components/FeatureTable.tsx';
import { AssetNews } from '../components/news/AssetNews.tsx';
import { Empty, ErrorBox, Loading } from '../components/QueryState.tsx';
import { ReviewCard } from '../components/ReviewCard.tsx';
import { ReviewHistory } from '../components/ReviewHistory.tsx';
import { formatDateTime } from '../lib/format.ts';
import { readReview } from '../lib/review.ts';
import { useDictionary } from '../lib/useDictionary.ts';
import { assetHref, backtestHref, screenerHref, todayHref } from '../router.ts';

// lightweight-charts is the largest dependency; it loads with the chart, after the page's data.
const PriceChart = lazy(() => import('../components/PriceChart.tsx'));

/** Which backtest's trades the chart shows (or why it cannot), with links to its result and back to the plain chart. */
function BacktestTradesNote({
  id,
  backtest,
  assetType,
  symbol,
}: {
  id: number;
  backtest: UseQueryResult<BacktestDetail>;
  assetType: AssetType;
  symbol: string;
}) {
  if (backtest.isPending) return <Loading what={`backtest #${id}`} />;
  if (backtest.isError)
    return (
      <ErrorBox what={`backtest #${id}`} error={backtest.error} onRetry={() => void backtest.refetch()} />
    );
  const b = backtest.data;
  const count = b.trades.filter((t) => t.asset_type === assetType && t.symbol === symbol).length;
  return (
    <p className="small">
      Trades of <a href={backtestHref(id)}>backtest #{id}</a> ({b.strategy} v{b.strategy_version}, {b.from} →{' '}
      {b.to}
      ): {count} on this asset, in place of the signal markers; each exit is labelled with the trade's return
      while the chart is not crowded. <a href={assetHref(assetType, symbol)}>Show the signals</a>
    </p>
  );
}

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

/**
 * One asset: chart with overlays, the latest AI plan, signals, review history, quality and features;
 * `?backtest=<id>` adds that backtest's trades on this asset to the chart.
 */
export function AssetPage({
  assetType,
  symbol,
  query,
}: {
  assetType: AssetType;
  symbol: string;
  query: string;
}) {
  const detail = useQuery(assetDetailQuery(assetType, symbol));
  const backtestId = idParam(query, 'backtest');
  const backtest = useQuery({ ...backtestDetailQuery(backtestId ?? 0), enabled: backtestId !== null });
  const trades = useMemo(
    () => (backtest.data ? tradeMarkers(backtest.data.trades, assetType, symbol) : undefined),
    [backtest.data, assetType, symbol],
  );
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
            {backtestId !== null && (
              <BacktestTradesNote id={backtestId} backtest={backtest} assetType={assetType} symbol={symbol} />
            )}
            <Suspense fallback={<Loading what="chart" />}>
              <PriceChart detail={detail.data} plan={plan} trades={trades} />
            </Suspense>
          </section>
          {latest ? (
            <ReviewCard review={latest.review} details={latest.details} />
          ) : (
            <section className="card">
              <Empty>No AI review for this asset yet.</Empty>
            </section>
          )}
          <AssetNews assetType={assetType} symbol={symbol} />
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
