import { useQuery } from '@tanstack/react-query';
import type { AssetType } from '../../../../shared/domain/market.ts';
import { assetNewsQuery, sentimentSeriesQuery } from '../../api/queries/news.ts';
import { Empty, ErrorBox, Loading } from '../QueryState.tsx';
import { NewsTable } from './NewsTable.tsx';
import { SentimentLine } from './SentimentLine.tsx';
import './news.css';

/** The asset page's news: its daily sentiment line and its latest articles with their scores. */
export function AssetNews({ assetType, symbol }: { assetType: AssetType; symbol: string }) {
  const news = useQuery(assetNewsQuery(assetType, symbol));
  const series = useQuery(sentimentSeriesQuery(assetType, symbol));
  return (
    <section className="card" aria-labelledby="asset-news-title">
      <div className="card-head">
        <h2 id="asset-news-title">News</h2>
        <span className="spacer" />
        <a className="small" href={`#/news?asset=${encodeURIComponent(symbol)}`}>
          all of {symbol}'s news
        </a>
      </div>
      {series.data && series.data.items.length > 0 && <SentimentLine series={series.data} />}
      {news.isPending && <Loading what="news" />}
      {news.isError && <ErrorBox what="news" error={news.error} onRetry={() => void news.refetch()} />}
      {news.data &&
        (news.data.items.length > 0 ? (
          <NewsTable items={news.data.items} />
        ) : (
          <Empty>No news for {symbol} yet.</Empty>
        ))}
    </section>
  );
}
