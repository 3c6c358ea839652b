import { RecordReader } from '../providers/csv/parse.ts';
import type { NewsItem } from './types.ts';
import { urlKey } from './url.ts';

/**
 * The FNSPID news files (Dong, Fan, Wang 2024) as news items. Columns are found by name
 * (case-insensitive), so each of the dataset's layouts reads: the scraped Nasdaq pages
 * (`Date,Url,Text,Mark`), the summarised (`Date,Url,Mark,New_text`) and GPT-scored
 * (`Date,Url,Sentiment_gpt`) per-ticker files, and the full dump (`Date,Article_title,Stock_symbol,
 * Url,Publisher,Author,Article,...`). Quoted fields may span lines (the shared RFC 4180 reader).
 *
 * What the timestamps mean, and how each becomes UTC:
 * - `January 25, 2024 — 03:33 am EST`, `FEB 2, 2024 9:32AM EST` (Nasdaq's page): New York local
 *   time; the offset is New York's on that date (EST −5 / EDT −4 by the US rules of the year), the
 *   printed zone name is not trusted.
 * - `JAN 28, 2024`, `2024-01-28`: the day only; stored at 00:00 UTC with `dateOnly`, so it counts for
 *   the next session at the earliest.
 * - `2024-01-17 03:52:00+00:00` (the dataset's processed files): NOT UTC. Its preprocessing applied
 *   New York's offset with the wrong sign, so the value is local time minus |offset| (8:52 EST became
 *   03:52). The real instant is the value plus twice the offset in force at the local time
 *   (03:52 + 2 × 5 h = 13:52 UTC).
 * - `2023-12-16 23:00:00 UTC` (the full dump): read as UTC, as labelled.
 * - Anything else (`5 DAYS AGO`, the scraper's `0`/`2` placeholders) cannot be dated: skipped, counted.
 * `Sentiment_gpt` (1-5, 3 neutral) becomes the mention's provider sentiment (s − 3) / 2; a row whose
 * `Mark` is not 1 carries the scraper's placeholder instead of text, so its text is left out; rows
 * whose text is not English are skipped and counted. An article without a title column is titled from
 * its URL's slug.
 */
export interface FnspidResult {
  items: NewsItem[];
  rows: number;
  skipped: { non_english: number; undated: number; no_url: number };
}

type Column = 'date' | 'url' | 'text' | 'title' | 'symbol' | 'sentiment' | 'mark' | 'publisher';

const ALIASES: Record<Column, readonly string[]> = {
  date: ['date'],
  url: ['url'],
  text: ['text', 'article', 'new_text', 'content'],
  title: ['article_title', 'title', 'headline'],
  symbol: ['stock_symbol', 'symbol', 'ticker'],
  sentiment: ['sentiment_gpt', 'sentiment'],
  mark: ['mark'],
  publisher: ['publisher'],
};

/** The FNSPID columns the importer reads, for CLI help. */
export const FNSPID_COLUMNS = Object.entries(ALIASES)
  .map(([column, names]) => `${column}: ${names.join(' | ')}`)
  .join('; ');

/** Raised for a file the importer cannot read at all (no header it knows); the CLI exits 2. */
export class FnspidFormatError extends Error {}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const NASDAQ_LONG =
  /^([A-Za-z]+)\.? (\d{1,2}), (\d{4})\s*[—–-]\s*(\d{1,2}):(\d{2}) ?([ap]m)(?: [A-Z]{2,4})?$/i;
const NASDAQ_SHORT = /^([A-Za-z]+)\.? (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}) ?([ap]m)(?: [A-Z]{2,4})?$/i;
const DAY_ONLY = /^([A-Za-z]+)\.? (\d{1,2}), (\d{4})$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const SHIFTED = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?\+00:?00$/;
const LABELLED_UTC = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))? ?(?:UTC|Z)$/;

const HOUR_MS = 3_600_000;

/** Day of the month of the n-th (1-based; 0 = last) `weekday` (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n === 0) {
    const last = new Date(Date.UTC(year, month, 0));
    return last.getUTCDate() - ((last.getUTCDay() - weekday + 7) % 7);
  }
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return 1 + ((weekday - first + 7) % 7) + 7 * (n - 1);
}

/**
 * New York's offset from UTC in hours (4 in daylight time, 5 otherwise) at a local wall-clock time
 * given as UTC-style milliseconds. US rules: from 2007 the second Sunday of March to the first Sunday
 * of November; 1987-2006 the first Sunday of April to the last Sunday of October; before 1987 the
 * last Sunday of April. The switch is at 02:00 local; the repeated hour in November reads as daylight time.
 */
export function newYorkOffsetHours(localMs: number): 4 | 5 {
  const year = new Date(localMs).getUTCFullYear();
  let bounds = DST.get(year);
  if (!bounds) {
    bounds = daylightBounds(year);
    DST.set(year, bounds);
  }
  return localMs >= bounds[0] && localMs < bounds[1] ? 4 : 5;
}

// Daylight-time start and end per year, as local wall-clock milliseconds.
const DST = new Map<number, [number, number]>();

function daylightBounds(year: number): [number, number] {
  const [startMonth, startDay, endMonth, endDay] =
    year >= 2007
      ? [3, nthWeekday(year, 3, 0, 2), 11, nthWeekday(year, 11, 0, 1)]
      : year >= 1987
        ? [4, nthWeekday(year, 4, 0, 1), 10, nthWeekday(year, 10, 0, 0)]
        : [4, nthWeekday(year, 4, 0, 0), 10, nthWeekday(year, 10, 0, 0)];
  return [Date.UTC(year, startMonth - 1, startDay, 2), Date.UTC(year, endMonth - 1, endDay, 2)];
}

/** A New York wall-clock time as an ISO UTC instant. */
function fromNewYork(y: number, mo: number, d: number, h: number, mi: number, s = 0): string {
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  return new Date(local + newYorkOffsetHours(local) * HOUR_MS).toISOString();
}

function hour12(h: number, ampm: string): number {
  const pm = ampm.toLowerCase() === 'pm';
  return (h % 12) + (pm ? 12 : 0);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDay(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 1 : 0;
  return d <= MONTH_DAYS[mo - 1]! + leap;
}

/** An FNSPID timestamp as a UTC instant (see FnspidResult for what each form means), or null. */
export function fnspidInstant(raw: string): { publishedAt: string; dateOnly: boolean } | null {
  const text = raw.trim();
  const c = text.charCodeAt(0);
  // Forms that start with a digit are the ISO ones; the rest start with a month name.
  let m = c >= 48 && c <= 57 ? null : (NASDAQ_LONG.exec(text) ?? NASDAQ_SHORT.exec(text));
  if (m) {
    const mo = MONTHS[m[1]!.slice(0, 3).toLowerCase()];
    const [y, d, h, mi] = [Number(m[3]), Number(m[2]), Number(m[4]), Number(m[5])];
    if (!mo || !validDay(y, mo, d) || h < 1 || h > 12 || mi > 59) return null;
    return { publishedAt: fromNewYork(y, mo, d, hour12(h, m[6]!), mi), dateOnly: false };
  }
  m = c >= 48 && c <= 57 ? null : DAY_ONLY.exec(text);
  if (m) {
    const mo = MONTHS[m[1]!.slice(0, 3).toLowerCase()];
    const [y, d] = [Number(m[3]), Number(m[2])];
    if (!mo || !validDay(y, mo, d)) return null;
    return { publishedAt: new Date(Date.UTC(y, mo - 1, d)).toISOString(), dateOnly: true };
  }
  m = ISO_DAY.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!validDay(y, mo, d)) return null;
    return { publishedAt: new Date(Date.UTC(y, mo - 1, d)).toISOString(), dateOnly: true };
  }
  m = SHIFTED.exec(text);
  if (m) {
    const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m![i] ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (!validDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
    const shown = Date.UTC(y, mo - 1, d, h, mi, s);
    // The offset o that was subtracted is the one in force at the local time shown + o.
    const o = newYorkOffsetHours(shown + 4 * HOUR_MS) === 4 ? 4 : 5;
    return { publishedAt: new Date(shown + 2 * o * HOUR_MS).toISOString(), dateOnly: false };
  }
  m = LABELLED_UTC.exec(text);
  if (m) {
    const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m![i] ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (!validDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
    return { publishedAt: new Date(Date.UTC(y, mo - 1, d, h, mi, s)).toISOString(), dateOnly: false };
  }
  return null;
}

// English function words: running text has them at several percent, other languages almost never.
const ENGLISH = new Set(
  'the of and to in a is that for on with as was by it at from are be this has have an will its said'
    .split(' ')
    .map(packWord),
);

/** Up to four lower-case ASCII letters as one number, so a word is looked up without a string. */
function packWord(word: string): number {
  let n = 0;
  for (let i = 0; i < word.length; i++) n = n * 128 + word.charCodeAt(i);
  return n;
}
const SAMPLE_CHARS = 300;

/**
 * Whether a text reads as English: mostly Latin letters, and for running text (not a headline, which
 * drops function words) of a dozen words or more, English function words making up at least 5% of
 * the words. Checks the first 300 characters.
 */
export function isEnglish(text: string, runningText = true): boolean {
  const n = Math.min(text.length, SAMPLE_CHARS);
  let letters = 0;
  let latin = 0;
  let words = 0;
  let english = 0;
  let length = 0;
  let packed = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    const ascii = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    // General punctuation (curly quotes, dashes) is common and never a letter: no regex for it.
    const other = !ascii && c > 127 && (c < 0x2000 || c > 0x206f) && /\p{L}/u.test(text[i]!);
    if (ascii || other || c === 39) {
      if (ascii || other) letters++;
      if (ascii || (other && c <= 0x24f)) latin++;
      // Function words are at most four ASCII letters: only those are packed and looked up.
      if (length < 5) packed = ascii ? packed * 128 + (c | 32) : -1;
      length++;
      continue;
    }
    if (length > 0) {
      words++;
      if (length <= 4 && packed >= 0 && ENGLISH.has(packed)) english++;
      length = 0;
      packed = 0;
    }
  }
  if (letters > 0 && latin / letters < 0.7) return false;
  if (!runningText || words < 12) return true;
  return english / words >= 0.05;
}

// A file extension (`.html`) or the date Nasdaq appends to some slugs (`-2018-10-03`), at the end.
const TRAILING_EXTENSION_OR_DATE = /(?:\.[a-z]{2,5}|-\d{4}-\d{2}-\d{2})$/i;
const SEPARATORS = /[-_]+/g;

/** A headline from an article URL's last path segment (`.../why-alcoa-stock-soared-2022-03-21`). */
export function titleFromUrl(url: string): string {
  let end = url.length;
  for (const stop of ['?', '#']) {
    const at = url.indexOf(stop);
    if (at >= 0 && at < end) end = at;
  }
  while (end > 0 && url.charCodeAt(end - 1) === 47) end--;
  let slug = url.slice(url.lastIndexOf('/', end - 1) + 1, end);
  if (slug.includes('%')) {
    try {
      slug = decodeURIComponent(slug);
    } catch {
      // Keep the slug as written.
    }
  }
  const words = slug.replace(TRAILING_EXTENSION_OR_DATE, '').replace(SEPARATORS, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : url;
}

function layout(header: string[]): Partial<Record<Column, number>> {
  const names = header.map((h) => h.trim().toLowerCase());
  const columns: Partial<Record<Column, number>> = {};
  for (const [column, aliases] of Object.entries(ALIASES) as [Column, readonly string[]][]) {
    for (const alias of aliases) {
      const i = names.indexOf(alias);
      if (i !== -1) {
        columns[column] = i;
        break;
      }
    }
  }
  return columns;
}

/**
 * Reads an FNSPID CSV into news items of source `fnspid` (provider id: the URL key). `symbol` is the
 * ticker of a per-ticker file, used when the file has no symbol column.
 */
export function parseFnspid(text: string, opts: { symbol?: string } = {}): FnspidResult {
  const reader = new RecordReader(text);
  if (!reader.next()) throw new FnspidFormatError('the file is empty');
  const columns = layout(reader.cells());
  if (columns.date === undefined || columns.url === undefined) {
    throw new FnspidFormatError(`no Date and Url columns in the header (FNSPID columns: ${FNSPID_COLUMNS})`);
  }
  if (columns.symbol === undefined && !opts.symbol) {
    throw new FnspidFormatError('the file has no Stock_symbol column: name its ticker (--symbol)');
  }
  const result: FnspidResult = { items: [], rows: 0, skipped: { non_english: 0, undated: 0, no_url: 0 } };
  // Column positions as plain numbers (-1: absent), read once per row.
  const at = (c: Column) => columns[c] ?? -1;
  const [iDate, iUrl, iText, iTitle, iSymbol, iSentiment, iMark, iPublisher] = (
    ['date', 'url', 'text', 'title', 'symbol', 'sentiment', 'mark', 'publisher'] as const
  ).map(at) as [number, number, number, number, number, number, number, number];
  const cell = (i: number) => (i < 0 ? '' : reader.cell(i));
  while (reader.next()) {
    if (reader.isBlank()) continue;
    result.rows++;
    const url = cell(iUrl).trim();
    if (url === '') {
      result.skipped.no_url++;
      continue;
    }
    const when = fnspidInstant(cell(iDate));
    if (!when) {
      result.skipped.undated++;
      continue;
    }
    const mark = cell(iMark).trim();
    const raw = cell(iText).trim();
    // The scraper writes its status (`0`, `2`) in place of text it could not fetch.
    const body = (mark === '' || mark === '1') && raw !== '' && !/^\d+$/.test(raw) ? raw : null;
    const title = cell(iTitle).trim() || titleFromUrl(url);
    if (!isEnglish(body ?? title, body !== null)) {
      result.skipped.non_english++;
      continue;
    }
    const score = Number.parseFloat(cell(iSentiment));
    const sentiment = score >= 1 && score <= 5 ? (score - 3) / 2 : null;
    const symbol = (cell(iSymbol).trim() || opts.symbol!).toUpperCase();
    const publisher = cell(iPublisher).trim();
    result.items.push({
      source: 'fnspid',
      providerId: urlKey(url),
      url,
      title,
      summary: null,
      body,
      publishedAt: when.publishedAt,
      dateOnly: when.dateOnly,
      publisher: publisher || null,
      tickers: [{ symbol, sentiment, matchScore: null }],
    });
  }
  return result;
}
