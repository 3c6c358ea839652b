// Test support: the articles the fake news APIs serve, one list both fakes render in their own
// documented shapes. Several tickers per article, and one story (AAPL-3) carried by both providers
// under URL variants, so deduplication across them has something to do.

/** A fake article before a provider formats it. */
export interface FakeArticle {
  id: number;
  uuid: string;
  title: string;
  description: string;
  url: string;
  publishedAt: string;
  source: string;
  /** Tickers with the entity sentiment and match score Marketaux would attach. */
  tickers: { symbol: string; sentiment: number; match: number }[];
}

const HEADLINES = [
  'beats estimates as revenue jumps',
  'names new chief financial officer',
  'cuts guidance on weak demand',
  'expands buyback program',
  'faces antitrust probe in Europe',
  'launches new product line',
];

/** Eight articles per symbol, a day apart from 2024-01-02, newest last; AAPL's also name MSFT now and then. */
export function fakeArticles(symbols: readonly string[] = ['AAPL', 'MSFT', 'TSLA']): FakeArticle[] {
  const out: FakeArticle[] = [];
  let id = 1000;
  for (const symbol of symbols) {
    for (let k = 0; k < 8; k++) {
      id++;
      const sentiment = [0.6, 0, -0.7, 0.3, -0.4, 0.2][k % 6]!;
      out.push({
        id,
        uuid: `0000${id}-aaaa-4bbb-8ccc-${String(id).padStart(12, '0')}`,
        title: `${symbol} ${HEADLINES[k % HEADLINES.length]} (${k})`,
        description: `${symbol} ${HEADLINES[k % HEADLINES.length]}; analysts comment on item ${k}.`,
        url: `https://www.example-news.com/markets/${symbol.toLowerCase()}-story-${k}`,
        publishedAt: `2024-01-${String(2 + k).padStart(2, '0')}T14:${String(10 + k).padStart(2, '0')}:00Z`,
        source: 'example-news.com',
        tickers: [
          { symbol, sentiment, match: 20 - k },
          ...(symbol === 'AAPL' && k % 3 === 0 ? [{ symbol: 'MSFT', sentiment: 0.1, match: 3.5 }] : []),
        ],
      });
    }
  }
  return out;
}

/** Articles of any of the symbols published within [from, to] (dates, inclusive), oldest first. */
export function articlesFor(
  all: readonly FakeArticle[],
  symbols: readonly string[],
  from: string,
  to: string,
): FakeArticle[] {
  const wanted = new Set(symbols.map((s) => s.toUpperCase()));
  return all.filter(
    (a) =>
      a.tickers.some((t) => wanted.has(t.symbol)) &&
      a.publishedAt.slice(0, 10) >= from.slice(0, 10) &&
      a.publishedAt.slice(0, 10) <= to.slice(0, 10),
  );
}
