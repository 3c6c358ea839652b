// `stratos sentiment-csv`: scores a CSV of texts with the lexicon or the LLM, no database.
import { readFileSync, writeFileSync } from 'node:fs';
import { AppError } from '../shared/errors/index.ts';
import { memoryCache, scoreCached } from '../shared/news/score/cache.ts';
import { sentimentBudgetFromEnv, sentimentScorerFromEnv } from '../shared/news/score/config.ts';
import { formatCsv, parseCsv } from '../shared/news/score/csv.ts';
import { labelOf } from '../shared/news/score/lexicon.ts';
import type { ScoreArticle } from '../shared/news/score/types.ts';

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
