import type { NewsArticle } from '../../../../shared/api/contracts/news.ts';
import type { AssetType } from '../../../../shared/domain/market.ts';
import { formatDateTime, formatNumber, signClass } from '../../lib/format.ts';
import { assetHref } from '../../router.ts';

/** The label threshold of the scorers: |score| ≥ 0.25 is positive or negative. */
const LABEL = 0.25;
const label = (s: number) => (s >= LABEL ? 'positive' : s <= -LABEL ? 'negative' : 'neutral');

/** Articles, newest first: time, sources, headline (linked), and each mention's score, relevance, impact. */
export function NewsTable({ items }: { items: NewsArticle[] }) {
  return (
    <div className="table-wrap">
      <table className="grid news">
        <thead>
          <tr>
            <th scope="col">published</th>
            <th scope="col">source</th>
            <th scope="col">headline</th>
            <th scope="col">asset</th>
            <th scope="col" className="num">
              score
            </th>
            <th scope="col" className="num">
              relevance
            </th>
            <th scope="col" className="num">
              impact
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) =>
            (a.mentions.length > 0 ? a.mentions : [null]).map((m, i) => (
              <tr key={`${a.id}-${m?.symbol ?? ''}`}>
                {i === 0 && (
                  <>
                    <td className="num" rowSpan={Math.max(1, a.mentions.length)}>
                      {a.date_only ? `${a.published_at.slice(0, 10)} (day)` : formatDateTime(a.published_at)}
                    </td>
                    <td rowSpan={Math.max(1, a.mentions.length)}>
                      {[...new Set(a.sources.map((s) => s.publisher ?? s.source))].join(', ')}
                    </td>
                    <th scope="row" rowSpan={Math.max(1, a.mentions.length)}>
                      <a href={a.url} target="_blank" rel="noopener noreferrer">
                        {a.title}
                      </a>
                    </th>
                  </>
                )}
                <td>
                  {m && (
                    <a className="mono" href={assetHref(m.asset_type as AssetType, m.symbol)}>
                      {m.symbol}
                    </a>
                  )}
                </td>
                <td className={`num ${m?.sentiment ? signClass(m.sentiment.score) : ''}`}>
                  {m?.sentiment ? (
                    <span title={`${label(m.sentiment.score)} · ${m.sentiment.scorer_version}`}>
                      {formatNumber(m.sentiment.score)}
                    </span>
                  ) : (
                    <span className="muted" title="not scored yet">
                      –
                    </span>
                  )}
                </td>
                <td className="num">{m?.sentiment ? formatNumber(m.sentiment.relevance) : ''}</td>
                <td className="num">{m?.sentiment ? formatNumber(m.sentiment.impact) : ''}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}
