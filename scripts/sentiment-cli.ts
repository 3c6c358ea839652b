// `stratos sentiment-csv` (scores a CSV of texts with the lexicon or the LLM, no database) and
// `stratos shortlist` (re-ranks a shortlist by its news).
import { readFileSync, writeFileSync } from 'node:fs';
import { latestCompleteDay } from '../shared/calendar/index.ts';
import { AssetType, IsoDate } from '../shared/domain/market.ts';
import { AppError } from '../shared/errors/index.ts';
import { memoryCache, scoreCached } from '../shared/news/score/cache.ts';
import { sentimentBudgetFromEnv, sentimentScorerFromEnv } from '../shared/news/score/config.ts';
import { formatCsv, parseCsv } from '../shared/news/score/csv.ts';
import { labelOf } from '../shared/news/score/lexicon.ts';
import type { ScoreArticle } from '../shared/news/score/types.ts';
import { scoreShortlist } from '../shared/news/sentiment/shortlist.ts';
import type { Session } from './local/session.ts';

type Values = Record<string, string | boolean | undefined>;

const usage = (message: string) => new AppError('invalid_input', message, { retryable: false });

/** The text column, by the first of these names the header has (case-insensitive). */
const TEXT_COLUMNS = ['text', 'content', 'headline', 'title'] as const;
const TICKER_COLUMNS = ['ticker', 'symbol'] as const;
/** Stands for "the company the text is about" when the file names none. */
const ANY_TICKER = '-';

/** Runs `stratos sentiment-csv --in FILE --out FILE [--scorer lexicon|llm]`; returns the exit code. */
export async function sentimentCsvCommand(
  values: Values,
  env: Record<string, string | undefined>,
): Promise<number> {
  if (typeof values.in !== 'string' || typeof values.out !== 'string') {
    throw usage('sentiment-csv needs --in FILE and --out FILE');
  }
  const kind = values.scorer === undefined ? undefined : String(values.scorer);
  if (kind !== undefined && kind !== 'lexicon' && kind !== 'llm') {
    throw usage(`--scorer must be lexicon or llm, got "${kind}"`);
  }
  let text: string;
  try {
    text = readFileSync(values.in, 'utf8');
  } catch (err) {
    throw usage(`cannot read ${values.in}: ${(err as Error).message}`);
  }
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (err) {
    throw usage(`${values.in}: ${(err as Error).message}`);
  }
  const header = rows[0];
  if (!header) throw usage(`${values.in} is empty: it needs a header with a text column`);
  const lower = header.map((h) => h.trim().toLowerCase());
  const textAt = TEXT_COLUMNS.map((c) => lower.indexOf(c)).find((i) => i >= 0);
  if (textAt === undefined) {
    throw usage(
      `${values.in} has no ${TEXT_COLUMNS.join(', ')} column (header: ${header.join(',').slice(0, 200)})`,
    );
  }
  const tickerAt = TICKER_COLUMNS.map((c) => lower.indexOf(c)).find((i) => i >= 0);
  const scorer = sentimentScorerFromEnv(env, kind);
  const body = rows.slice(1);

  const articles: ScoreArticle[] = [];
  body.forEach((row, i) => {
    const t = (row[textAt] ?? '').trim();
    if (t === '') return;
    const ticker = tickerAt === undefined ? '' : (row[tickerAt] ?? '').trim().toUpperCase();
    articles.push({ id: String(i), title: t, text: '', tickers: [ticker || ANY_TICKER] });
  });
  const t0 = performance.now();
  const batch = await scoreCached(scorer, articles, memoryCache(), { usd: sentimentBudgetFromEnv(env) });
  const byRow = new Map(batch.scores.map((s) => [Number(s.articleId), s]));
  const failed = new Map<number, string>();
  for (const e of batch.errors) for (const id of e.articleIds) failed.set(Number(id), e.error);
  const skipped = new Set(batch.skipped.map(Number));

  // Existing score/label/status columns are replaced, others kept as they were.
  const outCols = ['score', 'label', 'status'];
  const keep = header.map((_, i) => i).filter((i) => !outCols.includes(lower[i]!));
  const counts: Record<string, number> = {};
  const out: string[][] = [[...keep.map((i) => header[i]!), ...outCols]];
  body.forEach((row, i) => {
    const s = byRow.get(i);
    let cells: [string, string, string];
    if (s?.status === 'valid' && s.score !== null) cells = [s.score.toFixed(4), labelOf(s.score), 'valid'];
    else if (s) cells = ['', '', 'invalid'];
    else if (failed.has(i)) cells = ['', '', 'error'];
    else if (skipped.has(i)) cells = ['', '', 'skipped'];
    // No text is an abstention, not a neutral 0.
    else cells = ['', '', 'empty'];
    counts[cells[2]] = (counts[cells[2]] ?? 0) + 1;
    out.push([...keep.map((k) => row[k] ?? ''), ...cells]);
  });
  writeFileSync(values.out, formatCsv(out));
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  const summary = Object.entries(counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  console.log(`${values.out}: ${body.length} rows scored by ${scorer.description} in ${secs}s (${summary})`);
  const firstInvalid = batch.scores.find((s) => s.status === 'invalid');
  if (firstInvalid)
    console.log(`  first invalid row ${Number(firstInvalid.articleId) + 2}: ${firstInvalid.reason}`);
  const firstError = batch.errors[0];
  if (firstError) console.error(`  ${firstError.error}`);
  return firstError ? 1 : 0;
}

/**
 * Runs `stratos shortlist`: re-ranks a shortlist (the given symbols, best first, or the day's top AI
 * reviews) by each candidate's recent news and stores it; prints the new order with the reasons.
 */
export async function shortlistCommand(
  values: Values,
  withSession: <T>(fn: (s: Session) => Promise<T>) => Promise<T>,
): Promise<number> {
  const assetType = AssetType.safeParse(values['asset-type'] ?? 'equity');
  if (!assetType.success) throw usage(`--asset-type must be crypto or equity`);
  const date = values.date === undefined ? latestCompleteDay(assetType.data) : String(values.date);
  if (!IsoDate.safeParse(date).success) throw usage(`--date ${date} is not a date YYYY-MM-DD`);
  const int = (name: string, fallback: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 1000)
      throw usage(`--${name} must be a whole number from 1 to 1000`);
    return n;
  };
  const symbols =
    typeof values.symbols === 'string'
      ? values.symbols
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  if (symbols && symbols.length === 0) throw usage('--symbols needs at least one symbol');
  const kind = values.scorer === undefined ? undefined : String(values.scorer);
  if (kind !== undefined && kind !== 'lexicon' && kind !== 'llm')
    throw usage(`--scorer must be lexicon or llm`);
  const scorer = sentimentScorerFromEnv(process.env, kind);
  return withSession(async (s) => {
    const rows = await scoreShortlist(s.ctx.sql, scorer, {
      listId: String(values.list ?? (symbols ? 'watch' : 'reviews')),
      date,
      assetType: assetType.data,
      ...(symbols ? { symbols } : {}),
      limit: int('limit', 10),
      days: int('days', 7),
    });
    if (rows.length === 0) {
      console.log(`no candidates for ${date} (no valid AI reviews that day; pass --symbols)`);
      return 0;
    }
    console.log(`shortlist ${date}, news scored by ${scorer.description}:`);
    for (const r of rows) {
      const news = r.news_score === null ? 'no news' : `news ${r.news_score.toFixed(2)} (${r.article_count})`;
      console.log(
        `${String(r.rank).padStart(3)}. ${r.symbol.padEnd(8)} was ${String(r.base_rank).padStart(2)}  ${news}`,
      );
      for (const why of r.reasons)
        console.log(
          `       ${why.score >= 0 ? '+' : ''}${why.score.toFixed(2)} ${why.session} ${why.headline.slice(0, 100)}`,
        );
    }
    return 0;
  });
}
