import type { Sql } from '../db/client.ts';
import type { AssetType } from '../domain/market.ts';
import { DEDUP_WINDOW_MS, type DedupReason, NewsDeduper } from './dedup.ts';
import type { NewsArticleRow, NewsArticleSourceRow, NewsItem, NewsMentionRow, NewsTicker } from './types.ts';
import { urlKey } from './url.ts';

/** What storing a batch of items did; summed into the run summary. */
export interface StoreCounts {
  items: number;
  /** Articles created. */
  articles: number;
  /** Items that joined an article already stored or earlier in the batch, by the rule that matched. */
  merged_provider_id: number;
  merged_url: number;
  merged_title: number;
  merged_summary: number;
  mentions: number;
  /** Ticker mentions of symbols that are not assets of the asset type (left out). */
  unknown_tickers: number;
}

/** An item's tickers upper-cased, one per symbol (the first non-null scores kept). */
export function foldTickers(tickers: readonly NewsTicker[]): NewsTicker[] {
  const bySymbol = new Map<string, NewsTicker>();
  for (const t of tickers) {
    const symbol = t.symbol.trim().toUpperCase();
    if (symbol === '') continue;
    const known = bySymbol.get(symbol);
    if (!known) bySymbol.set(symbol, { ...t, symbol });
    else
      bySymbol.set(symbol, {
        symbol,
        sentiment: known.sentiment ?? t.sentiment,
        matchScore: known.matchScore ?? t.matchScore,
      });
  }
  return [...bySymbol.values()];
}

interface Prepared {
  item: NewsItem;
  tickers: NewsTicker[];
  urlKey: string;
  publishedMs: number;
  /** Article id, or a negative placeholder for an article this batch creates. */
  key: number;
}

/**
 * Stores provider items as deduplicated articles (shared/news/dedup.ts), every provider's copy in
 * `news_article_sources` and one mention per article and asset. Candidates are the stored copies
 * with the batch's provider ids or URL keys and the stored articles of the batch's assets within the
 * dedup window; items are taken in publication order, so a rerun of the same items finds each copy
 * by its provider id and converges to the same rows. One transaction.
 */
export async function storeNews(
  sql: Sql,
  assetType: AssetType,
  items: readonly NewsItem[],
): Promise<StoreCounts> {
  const counts: StoreCounts = {
    items: items.length,
    articles: 0,
    merged_provider_id: 0,
    merged_url: 0,
    merged_title: 0,
    merged_summary: 0,
    mentions: 0,
    unknown_tickers: 0,
  };
  if (items.length === 0) return counts;
  // A provider that lists one item twice (overlapping pages) stores it once.
  const unique = new Map<string, NewsItem>();
  for (const item of items) {
    const id = `${item.source}:${item.providerId}`;
    if (!unique.has(id)) unique.set(id, item);
  }
  const prepared: Prepared[] = [...unique.values()]
    .map((item) => ({
      item,
      tickers: foldTickers(item.tickers),
      urlKey: urlKey(item.url),
      publishedMs: Date.parse(item.publishedAt),
      key: 0,
    }))
    .sort(
      (a, b) =>
        a.publishedMs - b.publishedMs ||
        compare(a.item.source, b.item.source) ||
        compare(a.item.providerId, b.item.providerId),
    );

  return sql.begin(async (tx) => {
    const symbols = [...new Set(prepared.flatMap((p) => p.tickers.map((t) => t.symbol)))];
    const assets = new Map<string, number>();
    if (symbols.length > 0) {
      const rows = await tx<{ id: number; symbol: string }[]>`
        select id, upper(symbol) as symbol from public.assets
        where asset_type = ${assetType} and upper(symbol) = any(${symbols}::text[])`;
      for (const r of rows) assets.set(r.symbol, r.id);
    }

    const deduper = new NewsDeduper<number>();
    const sources = prepared.map((p) => p.item.source);
    const ids = prepared.map((p) => p.item.providerId);
    const known = await tx<Pick<NewsArticleSourceRow, 'article_id' | 'source' | 'provider_id' | 'url_key'>[]>`
      select s.article_id, s.source, s.provider_id, s.url_key
      from unnest(${sources}::text[], ${ids}::text[]) as k (source, provider_id)
      join public.news_article_sources s on s.source = k.source and s.provider_id = k.provider_id
      union
      select article_id, source, provider_id, url_key from public.news_article_sources
      where url_key = any(${prepared.map((p) => p.urlKey)}::text[])`;
    const minMs = prepared[0]!.publishedMs - DEDUP_WINDOW_MS;
    const maxMs = prepared.at(-1)!.publishedMs + DEDUP_WINDOW_MS;
    // One pass over the window's articles (the published_at index) and their mentions, grouped, rather
    // than a symbols subquery and a mention probe per article: on an import's freshly filled tables,
    // without statistics yet, the per-article plan degraded to a scan of the mentions per article.
    const nearby = await tx<
      (Pick<NewsArticleRow, 'id' | 'published_at' | 'title' | 'summary'> & { symbols: string[] })[]
    >`
      select a.id, a.published_at, a.title, a.summary, array_agg(upper(s.symbol)) as symbols
      from public.news_articles a
      join public.news_mentions n on n.article_id = a.id
      join public.assets s on s.id = n.asset_id
      where a.published_at between ${new Date(minMs)} and ${new Date(maxMs)}
      group by a.id
      having bool_or(n.asset_id = any(${[...assets.values()]}::bigint[]))`;
    for (const a of nearby) {
      deduper.add({
        key: a.id,
        publishedMs: a.published_at.getTime(),
        title: a.title,
        summary: a.summary,
        tickers: a.symbols,
        urlKeys: [],
        ids: [],
      });
    }
    for (const k of known) {
      deduper.add({
        key: k.article_id,
        publishedMs: 0,
        title: '',
        summary: null,
        tickers: [],
        urlKeys: [k.url_key],
        ids: [`${k.source}:${k.provider_id}`],
      });
    }

    const created: Prepared[] = [];
    for (const p of prepared) {
      const entry = {
        publishedMs: p.publishedMs,
        title: p.item.title,
        summary: p.item.summary,
        tickers: p.tickers.map((t) => t.symbol),
        urlKeys: [p.urlKey],
        ids: [`${p.item.source}:${p.item.providerId}`],
      };
      const found = deduper.match(entry);
      if (found) {
        p.key = found.key;
        counts[`merged_${found.reason}` as `merged_${DedupReason}`]++;
      } else {
        p.key = -(created.length + 1);
        created.push(p);
      }
      deduper.add({ key: p.key, ...entry });
    }

    // Creation is keyed by URL: a concurrent job that stored the same page first wins, and this one
    // attaches its copies to that article.
    const placeholder = new Map<number, number>();
    if (created.length > 0) {
      const rows = await tx<{ id: number; url_key: string }[]>`
        insert into public.news_articles (url_key, url, title, summary, body, published_at, date_only, source)
        select * from unnest(
          ${created.map((p) => p.urlKey)}::text[], ${created.map((p) => p.item.url)}::text[],
          ${created.map((p) => p.item.title)}::text[], ${created.map((p) => p.item.summary)}::text[],
          ${created.map((p) => p.item.body)}::text[], ${created.map((p) => p.item.publishedAt)}::timestamptz[],
          ${created.map((p) => String(p.item.dateOnly))}::text[]::boolean[], ${created.map((p) => p.item.source)}::text[])
        on conflict (url_key) do update set updated_at = news_articles.updated_at
        returning id, url_key`;
      const byUrl = new Map(rows.map((r) => [r.url_key, r.id]));
      for (const p of created) placeholder.set(p.key, byUrl.get(p.urlKey)!);
      counts.articles = created.length;
    }
    const articleOf = (p: Prepared) => (p.key < 0 ? placeholder.get(p.key)! : p.key);

    await tx`
      insert into public.news_article_sources (source, provider_id, article_id, url, url_key, title, published_at, publisher)
      select * from unnest(
        ${sources}::text[], ${prepared.map((p) => p.item.providerId)}::text[],
        ${prepared.map(articleOf)}::bigint[], ${prepared.map((p) => p.item.url)}::text[],
        ${prepared.map((p) => p.urlKey)}::text[], ${prepared.map((p) => p.item.title)}::text[],
        ${prepared.map((p) => p.item.publishedAt)}::timestamptz[], ${prepared.map((p) => p.item.publisher)}::text[])
      on conflict (source, provider_id) do update set
        url = excluded.url, url_key = excluded.url_key, title = excluded.title,
        published_at = excluded.published_at, publisher = excluded.publisher`;

    // One mention per article and asset: the batch's copies are folded first (an insert cannot
    // touch one row twice), then merged with the stored one.
    const mentions = new Map<string, NewsMentionRow>();
    for (const p of prepared) {
      for (const t of p.tickers) {
        const asset = assets.get(t.symbol);
        if (asset === undefined) {
          counts.unknown_tickers++;
          continue;
        }
        const article = articleOf(p);
        const key = `${article}:${asset}`;
        const m = mentions.get(key);
        if (!m) {
          mentions.set(key, {
            article_id: article,
            asset_id: asset,
            symbol: t.symbol,
            provider_sentiment: t.sentiment,
            match_score: t.matchScore,
            sources: [p.item.source],
          });
        } else {
          m.provider_sentiment ??= t.sentiment;
          m.match_score ??= t.matchScore;
          if (!m.sources.includes(p.item.source)) m.sources.push(p.item.source);
        }
      }
    }
    if (mentions.size > 0) {
      const list = [...mentions.values()];
      await tx`
        insert into public.news_mentions (article_id, asset_id, symbol, provider_sentiment, match_score, sources)
        select m.article_id, m.asset_id, m.symbol, m.sentiment, m.match, string_to_array(m.sources, ',')
        from unnest(
          ${list.map((m) => m.article_id)}::bigint[], ${list.map((m) => m.asset_id)}::bigint[],
          ${list.map((m) => m.symbol)}::text[], ${list.map((m) => m.provider_sentiment)}::float8[],
          ${list.map((m) => m.match_score)}::float8[], ${list.map((m) => [...m.sources].sort().join(','))}::text[])
          as m (article_id, asset_id, symbol, sentiment, match, sources)
        on conflict (article_id, asset_id) do update set
          provider_sentiment = coalesce(news_mentions.provider_sentiment, excluded.provider_sentiment),
          match_score = coalesce(news_mentions.match_score, excluded.match_score),
          sources = array(select distinct s from unnest(news_mentions.sources || excluded.sources) as s order by s)`;
      counts.mentions = list.length;
    }
    return counts;
  }) as Promise<StoreCounts>;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
