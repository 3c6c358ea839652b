import {
  type FakeProviderServer,
  type FakeRequest,
  param,
  startFakeServer,
} from '../fake-providers/server.ts';
import { articlesFor, type FakeArticle, fakeArticles } from './articles.ts';

// A fake Marketaux API (marketaux.com/documentation): GET /v1/news/all?symbols&filter_entities
// &language&published_after&published_before&limit&page&api_token answers
// { meta: { found, returned, limit, page }, data: [article] }, each article with `entities` carrying
// their own sentiment_score and match_score. Errors are { error: { code, message } }: 401
// invalid_api_token, 402 usage_limit_reached, 403 restricted_resource, 429 rate_limit_reached.

/** Options of the fake: the token it accepts, its daily request allowance, its articles. */
export interface FakeMarketauxOptions {
  apiKey?: string;
  /** Requests answered before every further one gets 402 usage_limit_reached. */
  dailyRequests?: number;
  articles?: FakeArticle[];
}

const ERRORS: Record<number, { code: string; message: string }> = {
  401: { code: 'invalid_api_token', message: 'Invalid API token.' },
  402: { code: 'usage_limit_reached', message: 'Usage limit reached. Please upgrade your plan.' },
  403: { code: 'restricted_resource', message: 'You do not have access to this resource.' },
  429: { code: 'rate_limit_reached', message: 'Too many requests within a 60 second period.' },
  500: { code: 'server_error', message: 'A server error occurred.' },
  503: { code: 'maintenance_mode', message: 'The service is under maintenance.' },
};

function render(a: FakeArticle, symbols: Set<string>) {
  return {
    uuid: a.uuid,
    title: a.title,
    description: a.description,
    keywords: '',
    snippet: a.description.slice(0, 60),
    url: a.url,
    image_url: 'https://www.example-news.com/image.jpg',
    language: 'en',
    // Marketaux prints microseconds.
    published_at: a.publishedAt.replace('Z', '.000000Z'),
    source: a.source,
    relevance_score: null,
    entities: a.tickers
      .filter((t) => symbols.has(t.symbol))
      .map((t) => ({
        symbol: t.symbol,
        name: `${t.symbol} Inc.`,
        exchange: null,
        exchange_long: null,
        country: 'us',
        type: 'equity',
        industry: 'Technology',
        match_score: t.match,
        sentiment_score: t.sentiment,
        highlights: [{ highlight: a.title, sentiment: t.sentiment, highlighted_in: 'title' }],
      })),
    similar: [],
  };
}

/** Starts the fake Marketaux API. */
export function startFakeMarketaux(opts: FakeMarketauxOptions = {}): Promise<FakeProviderServer> {
  const articles = opts.articles ?? fakeArticles();
  let served = 0;
  return startFakeServer({
    errorBody: (status) => ({ error: ERRORS[status] ?? ERRORS[500] }),
    reply(req: FakeRequest) {
      if (opts.apiKey && req.query.api_token !== opts.apiKey)
        return { status: 401, body: { error: ERRORS[401] } };
      if (req.path !== '/v1/news/all')
        return { status: 404, body: { error: { code: 'resource_not_found', message: 'Not found.' } } };
      served++;
      if (opts.dailyRequests !== undefined && served > opts.dailyRequests)
        return { status: 402, body: { error: ERRORS[402] } };
      const symbols = param(req, 'symbols').split(',');
      const limit = Number(param(req, 'limit'));
      const page = Number(req.query.page ?? '1');
      const found = articlesFor(
        articles,
        symbols,
        param(req, 'published_after'),
        param(req, 'published_before'),
      )
        // Newest first, as Marketaux sorts by default.
        .reverse();
      const data = found.slice((page - 1) * limit, page * limit);
      const wanted = new Set(symbols);
      return {
        body: {
          meta: { found: found.length, returned: data.length, limit, page },
          data: data.map((a) => render(a, wanted)),
        },
      };
    },
  });
}
