import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { type NewsFilter, newsListQuery, shortlistQuery } from '../api/queries/news.ts';
import { NewsTable } from '../components/news/NewsTable.tsx';
import { Empty, ErrorBox, Loading } from '../components/QueryState.tsx';
import { formatNumber, signClass } from '../lib/format.ts';
import { assetHref } from '../router.ts';
import '../components/news/news.css';

const SOURCES = ['marketaux', 'tiingo', 'demo', 'fnspid'];

/** The filters of `#/news?asset=…&source=…&sentiment=…`. */
function filterOf(query: string): NewsFilter {
  const p = new URLSearchParams(query);
  const sentiment = p.get('sentiment');
  return {
    ...(p.get('asset') ? { asset: p.get('asset')!.toUpperCase() } : {}),
    ...(p.get('source') && SOURCES.includes(p.get('source')!) ? { source: p.get('source')! } : {}),
    ...(sentiment === 'positive' || sentiment === 'neutral' || sentiment === 'negative' ? { sentiment } : {}),
  };
}

function hrefOf(f: NewsFilter): string {
  const p = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][]);
  const q = p.toString();
  return q ? `#/news?${q}` : '#/news';
}

/** The latest news across assets with their scores, filters by asset, source and sentiment, and the news shortlist. */
export function NewsPage({ query }: { query: string }) {
  const id = useId();
  const filter = filterOf(query);
  const news = useQuery(newsListQuery(filter));
  const shortlist = useQuery(shortlistQuery('reviews'));
  const [asset, setAsset] = useState(filter.asset ?? '');
  const set = (patch: Partial<NewsFilter>) => {
    const next = { ...filter, ...patch };
    for (const k of ['asset', 'source', 'sentiment'] as const) if (!next[k]) delete next[k];
    window.location.hash = hrefOf(next);
  };
  return (
    <>
      <div className="page-title">
        <h1>News</h1>
      </div>
      <section className="card">
        <div className="card-head">
          <h2>Latest articles</h2>
          <span className="spacer" />
          <form
            className="filters"
            onSubmit={(e) => {
              e.preventDefault();
              set({ asset: asset.trim().toUpperCase() });
            }}
          >
            <label htmlFor={`${id}-asset`}>asset</label>
            <input
              id={`${id}-asset`}
              value={asset}
              placeholder="symbol"
              size={8}
              onChange={(e) => setAsset(e.target.value)}
              onBlur={() => set({ asset: asset.trim().toUpperCase() })}
            />
            <label htmlFor={`${id}-source`}>source</label>
            <select
              id={`${id}-source`}
              value={filter.source ?? ''}
              onChange={(e) => set({ source: e.target.value })}
            >
              <option value="">any</option>
              {SOURCES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
            <label htmlFor={`${id}-sentiment`}>sentiment</label>
            <select
              id={`${id}-sentiment`}
              value={filter.sentiment ?? ''}
              onChange={(e) => set({ sentiment: e.target.value as NewsFilter['sentiment'] })}
            >
              <option value="">any</option>
              <option value="positive">positive (≥ 0.25)</option>
              <option value="neutral">neutral</option>
              <option value="negative">negative (≤ −0.25)</option>
            </select>
          </form>
        </div>
        {news.isPending && <Loading what="news" />}
        {news.isError && <ErrorBox what="news" error={news.error} onRetry={() => void news.refetch()} />}
        {news.data &&
          (news.data.items.length > 0 ? (
            <NewsTable items={news.data.items} />
          ) : (
            <Empty>No articles match these filters.</Empty>
          ))}
      </section>
      <section className="card" aria-labelledby={`${id}-shortlist`}>
        <div className="card-head">
          <h2 id={`${id}-shortlist`}>
            Shortlist re-ranked by news <span className="num muted">{shortlist.data?.date ?? ''}</span>
          </h2>
        </div>
        {shortlist.isError && <ErrorBox what="shortlist" error={shortlist.error} />}
        {shortlist.data &&
          (shortlist.data.items.length > 0 ? (
            <div className="table-wrap">
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      rank
                    </th>
                    <th scope="col" className="num">
                      was
                    </th>
                    <th scope="col">asset</th>
                    <th scope="col" className="num">
                      news
                    </th>
                    <th scope="col">why</th>
                  </tr>
                </thead>
                <tbody>
                  {shortlist.data.items.map((r) => (
                    <tr key={r.symbol}>
                      <td className="num">{r.rank}</td>
                      <td className="num muted">{r.base_rank}</td>
                      <th scope="row">
                        <a className="mono" href={assetHref(r.asset_type, r.symbol)}>
                          {r.symbol}
                        </a>
                      </th>
                      <td className={`num ${signClass(r.news_score)}`}>
                        {r.news_score === null
                          ? 'no news'
                          : `${formatNumber(r.news_score)} (${r.article_count})`}
                      </td>
                      <td>
                        <ul className="shortlist-reasons">
                          {r.reasons.map((why) => (
                            <li key={`${why.session}-${why.headline}`}>
                              <span className={signClass(why.score)}>{formatNumber(why.score)}</span>{' '}
                              {why.headline}
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <Empty>
              No shortlist yet: <code>stratos shortlist</code> re-ranks the day's top AI reviews by their
              news.
            </Empty>
          ))}
      </section>
    </>
  );
}
