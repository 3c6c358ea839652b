import {
  type FakeProviderServer,
  type FakeRequest,
  param,
  startFakeServer,
} from '../fake-providers/server.ts';
import { articlesFor, type FakeArticle, fakeArticles } from './articles.ts';

// A fake Tiingo News API (tiingo.com/documentation/news): GET /tiingo/news?tickers&startDate
// &endDate&limit&offset&sortBy with `Authorization: Token <key>` answers an array of { id, title,
// url, description, publishedDate, crawlDate, source, tickers (lower case), tags }. A plan without
// news access gets 403 { detail }.

/** Options of the fake: the token it accepts, whether the plan includes news, its articles. */
export interface FakeTiingoNewsOptions {
  apiKey?: string;
  newsAccess?: boolean;
  articles?: FakeArticle[];
}

/** The detail Tiingo sends a plan without the News API. */
export const NO_NEWS_ACCESS = 'You do not have permission to access the News API';

/** Starts the fake Tiingo News API. */
export function startFakeTiingoNews(opts: FakeTiingoNewsOptions = {}): Promise<FakeProviderServer> {
  const articles = opts.articles ?? fakeArticles();
  return startFakeServer({
    errorBody: (status) =>
      status === 429
        ? { detail: 'Error: You have run over your hourly request allocation.' }
        : { detail: status === 403 ? NO_NEWS_ACCESS : 'A server error occurred.' },
    reply(req: FakeRequest) {
      if (opts.apiKey && req.headers.authorization !== `Token ${opts.apiKey}`)
        return { status: 401, body: { detail: 'Invalid token.' } };
      if (req.path !== '/tiingo/news') return { status: 404, body: { detail: 'Not found.' } };
      if (opts.newsAccess === false) return { status: 403, body: { detail: NO_NEWS_ACCESS } };
      const tickers = param(req, 'tickers')
        .split(',')
        .map((t) => t.toUpperCase().replaceAll('-', '.'));
      const limit = Number(param(req, 'limit'));
      const offset = Number(req.query.offset ?? '0');
      const found = articlesFor(articles, tickers, param(req, 'startDate'), param(req, 'endDate'));
      return {
        body: found.slice(offset, offset + limit).map((a) => ({
          id: a.id,
          title: a.title,
          // Tiingo carries the publisher's URL as it is, tracking parameters and all.
          url: `${a.url.replace('https://www.', 'http://')}/?utm_source=tiingo`,
          description: a.description,
          publishedDate: a.publishedAt,
          crawlDate: a.publishedAt,
          source: a.source,
          tickers: a.tickers.map((t) => t.symbol.toLowerCase().replaceAll('.', '-')),
          tags: ['Stock', 'Technology'],
        })),
      };
    },
  });
}
