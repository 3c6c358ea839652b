// `stratos news-import` and `stratos news`: the FNSPID importer and the stored news from the command line.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { IsoDate } from '../shared/domain/market.ts';
import { AppError, errorMessage } from '../shared/errors/index.ts';
import { FNSPID_COLUMNS, FnspidFormatError } from '../shared/news/fnspid.ts';
import { importFnspid } from '../shared/news/import.ts';
import { listNews } from '../shared/news/query.ts';
import type { Session } from './local/session.ts';

type Values = Record<string, string | boolean | undefined>;
type WithSession = <T>(fn: (s: Session) => Promise<T>) => Promise<T>;

const usage = (message: string) => new AppError('invalid_input', message, { retryable: false });

/** The ticker a per-ticker FNSPID file is named after (`news_contents_aapl.csv`, `AA.csv`). */
function symbolFromFile(file: string): string | undefined {
  const stem = basename(file).replace(/\.csv$/i, '');
  const last = stem.slice(stem.lastIndexOf('_') + 1);
  return /^[A-Za-z][A-Za-z0-9.-]{0,9}$/.test(last) ? last.toUpperCase() : undefined;
}

/** `stratos news-import --fnspid FILE [--symbol S]`. */
export function newsImportCommand(withSession: WithSession) {
  return {
    summary: 'import an FNSPID news file (deduplicated into the stored news; times converted to UTC)',
    usage: `stratos news-import --fnspid FILE [--symbol S]\n\nColumns read by name (${FNSPID_COLUMNS}). Per-ticker files without a Stock_symbol column take --symbol, or the ticker their name ends with (news_contents_aapl.csv: AAPL).`,
    options: {
      fnspid: { type: 'string' as const, help: 'FNSPID CSV file (required)' },
      symbol: { type: 'string' as const, help: 'ticker for files without a Stock_symbol column' },
    },
    run: async ({ values }: { values: Values }): Promise<number> => {
      const file = values.fnspid;
      if (typeof file !== 'string' || file === '') throw usage('news-import needs --fnspid FILE');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw usage(`${file}: ${errorMessage(err)}`);
      }
      const symbol = typeof values.symbol === 'string' ? values.symbol : symbolFromFile(file);
      return withSession(async (s) => {
        try {
          const started = performance.now();
          const res = await importFnspid(s.ctx.sql, text, symbol ? { symbol } : {});
          const seconds = (performance.now() - started) / 1000;
          const { stored: st, skipped: sk } = res;
          const merged = st.merged_provider_id + st.merged_url + st.merged_title + st.merged_summary;
          console.log(
            `${file}: ${res.rows} rows, ${res.items} articles read (${sk.non_english} non-English, ${sk.undated} undatable, ${sk.no_url} without URL skipped); ${st.articles} new, ${merged} already stored or duplicates; ${st.mentions} mentions, ${st.unknown_tickers} of tickers that are not assets; ${seconds.toFixed(1)} s`,
          );
          return 0;
        } catch (err) {
          if (err instanceof FnspidFormatError) throw usage(`${file}: ${err.message}`);
          throw err;
        }
      });
    },
  };
}

/** `stratos news [--symbol S] [--since D] [--source X] [--limit N] [--json]`. */
export function newsListCommand(withSession: WithSession) {
  return {
    summary: 'list stored news articles, newest first, with their mentions and sentiment',
    usage:
      'stratos news [--symbol S] [--since YYYY-MM-DD] [--source marketaux|tiingo|demo|fnspid] [--limit N] [--json]',
    options: {
      symbol: { type: 'string' as const, help: 'articles mentioning this asset' },
      since: { type: 'string' as const, help: 'published on or after this day (UTC)' },
      source: { type: 'string' as const, help: 'articles one of whose copies came from this source' },
      limit: { type: 'string' as const, help: 'at most this many articles (default 20, up to 500)' },
      json: { type: 'boolean' as const, help: 'print JSON' },
    },
    run: async ({ values }: { values: Values }): Promise<number> => {
      const since = values.since === undefined ? undefined : IsoDate.safeParse(values.since);
      if (since && !since.success) throw usage(`--since: ${since.error.issues[0]?.message ?? 'not a date'}`);
      const limit = values.limit === undefined ? 20 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        throw usage('--limit must be an integer from 1 to 500');
      return withSession(async (s) => {
        const items = await listNews(s.ctx.sql, {
          limit,
          ...(typeof values.symbol === 'string' ? { symbol: values.symbol } : {}),
          ...(typeof values.source === 'string' ? { source: values.source } : {}),
          ...(since ? { since: since.data } : {}),
        });
        if (values.json === true) {
          console.log(JSON.stringify({ items }));
          return 0;
        }
        for (const a of items) {
          const mentions = a.mentions
            .map((m) =>
              m.sentiment
                ? `${m.symbol} ${m.sentiment.score >= 0 ? '+' : ''}${m.sentiment.score.toFixed(2)}`
                : m.symbol,
            )
            .join(', ');
          const sources = [...new Set(a.sources.map((x) => x.source))].join('+');
          console.log(
            `${a.published_at.slice(0, 16).replace('T', ' ')}  ${sources.padEnd(16)} ${a.title}  [${mentions}]`,
          );
        }
        if (items.length === 0) console.log('no articles');
        return 0;
      });
    },
  };
}
