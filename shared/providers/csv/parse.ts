import type { RawBar } from '../../domain/market.ts';
import type { IncomingBar } from '../types.ts';
import { NON_NUMERIC, validateBar } from '../validate.ts';

/** Column names the CSV importer understands, for CLI help and error messages. */
export const ACCEPTED_HEADERS = `Header names are case-insensitive; other columns (adj close, an unnamed index, ...) are ignored.
  date    date | day | timestamp | time   (YYYY-MM-DD, an ISO date-time, or unix seconds/milliseconds)
  open    open | o
  high    high | h
  low     low | l
  close   close | c
  volume  volume | vol | Volume <BASE> (CryptoDataDownload: the first "Volume <X>" column, base asset)
  symbol  symbol | ticker | name         (optional when a default symbol is given; upper-cased;
                                         BTCUSDT becomes BTC when Volume BTC and Volume USDT are present)`;

/** A data row that did not become a bar, with its 1-based line number in the file. */
export interface CsvRejection {
  line: number;
  raw: Record<string, string>;
  reason: string;
  /**
   * The row as a bar when its symbol and date could be read: each value a number where its cell is
   * one, the cell's text where it is not, and the line and cells as `raw`. The csv provider hands it
   * to the bar screen like any bar.
   */
  bar?: IncomingBar;
}

/**
 * Bars sorted by symbol then date (a date given twice stays twice, in file order: the bar screen
 * decides between copies), and every data row that was refused.
 */
export interface ParsedBars {
  bars: RawBar[];
  rejected: CsvRejection[];
}

type Field = 'date' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'symbol';

// Earlier aliases win when a file has several, e.g. CryptoDataDownload's `Date` over `Unix`.
const ALIASES: Record<Field, readonly string[]> = {
  date: ['date', 'day', 'timestamp', 'time'],
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol'],
  symbol: ['symbol', 'ticker', 'name'],
};

// Banner lines (CryptoDataDownload starts with its URL) may precede the header.
const MAX_LEADING_LINES = 5;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}(?:[T ].*)?$/;
const UNIX_TIME = /^\d{9,13}(?:\.\d+)?$/;
// Unix seconds reach 1e11 only in the year 5138; unix milliseconds passed it in 1973.
const UNIX_MS_THRESHOLD = 1e11;

interface Layout {
  columns: Partial<Record<Field, number>>;
  names: string[];
  /** CryptoDataDownload pairs (BTCUSDT) become their base asset (BTC) when both volume columns name them. */
  pair?: { base: string; quote: string };
}

interface CsvRecord {
  line: number;
  cells: string[];
}

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks; CRLF, LF or CR end a record. */
function* records(text: string): Generator<CsvRecord> {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const fieldEnd = (from: number): number => {
    let k = from;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (c === COMMA || c === LF || c === CR) break;
      k++;
    }
    return k;
  };
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let value = '';
      if (text.charCodeAt(i) === QUOTE) {
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q === -1) {
            value += text.slice(j);
            j = n;
            break;
          }
          value += text.slice(j, q);
          j = q + 1;
          if (text.charCodeAt(j) !== QUOTE) break;
          value += '"';
          j++;
        }
        for (let k = i; k < j; k++) if (text.charCodeAt(k) === LF) line++;
        i = j;
      }
      // Text after a closing quote is kept, as spreadsheets do, rather than losing the row.
      const end = fieldEnd(i);
      value += text.slice(i, end);
      i = end;
      cells.push(value);
      if (text.charCodeAt(i) !== COMMA) break;
      i++;
    }
    if (text.charCodeAt(i) === CR) i++;
    if (text.charCodeAt(i) === LF) i++;
    line++;
    yield { line: start, cells };
  }
}

function normalise(header: string): string {
  return header.trim().toLowerCase().replace(/\s+/g, ' ');
}

function readLayout(cells: string[]): Layout {
  const normalised = cells.map(normalise);
  const columns: Partial<Record<Field, number>> = {};
  for (const field of Object.keys(ALIASES) as Field[]) {
    for (const alias of ALIASES[field]) {
      const index = normalised.indexOf(alias);
      if (index !== -1) {
        columns[field] = index;
        break;
      }
    }
  }
  const names = cells.map((name, i) => (name.trim() === '' ? `column ${i + 1}` : name.trim()));
  if (columns.volume !== undefined) return { columns, names };
  const perAsset = normalised.flatMap((h, i) => (h.startsWith('volume ') ? [i] : []));
  const [baseIndex, quoteIndex] = perAsset;
  if (baseIndex === undefined) return { columns, names };
  columns.volume = baseIndex;
  if (quoteIndex === undefined) return { columns, names };
  const base = normalised[baseIndex]!.slice('volume '.length).toUpperCase();
  const quote = normalised[quoteIndex]!.slice('volume '.length).toUpperCase();
  return { columns, names, pair: { base, quote } };
}

function parseDate(cell: string): string | null {
  if (ISO_DAY.test(cell)) return cell.slice(0, 10);
  if (UNIX_TIME.test(cell)) {
    const n = Number(cell);
    return new Date(n >= UNIX_MS_THRESHOLD ? n : n * 1000).toISOString().slice(0, 10);
  }
  return null;
}

function rawRow(layout: Layout, cells: string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  cells.forEach((cell, i) => {
    raw[layout.names[i] ?? `column ${i + 1}`] = cell;
  });
  return raw;
}

function isBlank(cells: string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

function cellAt(cells: string[], index: number | undefined): string {
  return index === undefined ? '' : (cells[index] ?? '').trim();
}

function toBar(
  layout: Layout,
  cells: string[],
  defaultSymbol: string | undefined,
): { bar: RawBar } | { reason: string; bar?: IncomingBar } {
  const { columns, pair } = layout;
  let symbol = cellAt(cells, columns.symbol).toUpperCase() || defaultSymbol;
  if (!symbol) return { reason: 'missing symbol' };
  if (pair && symbol === pair.base + pair.quote) symbol = pair.base;

  const date = cellAt(cells, columns.date);
  const numbers = {
    open: cellAt(cells, columns.open),
    high: cellAt(cells, columns.high),
    low: cellAt(cells, columns.low),
    close: cellAt(cells, columns.close),
    volume: cellAt(cells, columns.volume),
  };
  const entries = Object.entries(numbers);
  const day = date ? parseDate(date) : null;
  const value = (text: string) => (NUMBER.test(text) ? Number(text) : text);
  const row: IncomingBar | undefined =
    day === null
      ? undefined
      : {
          symbol,
          date: day,
          open: value(numbers.open),
          high: value(numbers.high),
          low: value(numbers.low),
          close: value(numbers.close),
          volume: value(numbers.volume),
        };
  const rejection = (reason: string) => (row ? { reason, bar: row } : { reason });
  const missing = [...(date ? [] : ['date']), ...entries.filter(([, text]) => !text).map(([field]) => field)];
  if (missing.length > 0) return rejection(`missing ${missing.join(', ')}`);
  const notNumber = entries.find(([, text]) => !NUMBER.test(text));
  if (notNumber)
    return rejection(`${NON_NUMERIC}: ${notNumber[0]} ${JSON.stringify(notNumber[1])} is not a number`);
  if (!row)
    return { reason: `date ${JSON.stringify(date)} is not YYYY-MM-DD, an ISO date-time or unix time` };
  // Every cell is a number now.
  const bar = row as RawBar;
  const problem = validateBar(bar);
  return problem ? rejection(problem) : { bar };
}

function byDate(a: RawBar, b: RawBar): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

/** One symbol's bars in file order; files are usually sorted already, either way round. */
function ascending(bars: RawBar[]): RawBar[] {
  let up = true;
  let down = true;
  for (let i = 1; i < bars.length && (up || down); i++) {
    const cmp = byDate(bars[i - 1]!, bars[i]!);
    if (cmp > 0) up = false;
    if (cmp < 0) down = false;
  }
  if (up) return bars;
  if (down) return bars.reverse();
  return bars.sort(byDate);
}

/**
 * Parses daily bars from CSV text, header-driven (see ACCEPTED_HEADERS). Rows that cannot become
 * a valid bar are returned with a reason instead of being dropped; a missing header or symbol
 * source is a usage error and throws.
 */
export function parseBarsCsv(text: string, opts: { defaultSymbol?: string } = {}): ParsedBars {
  const defaultSymbol = opts.defaultSymbol?.trim().toUpperCase() || undefined;
  const rejected: CsvRejection[] = [];
  const bySymbol = new Map<string, RawBar[]>();
  let layout: Layout | undefined;
  let leadingLines = 0;

  for (const { line, cells } of records(text)) {
    if (isBlank(cells)) continue;
    if (!layout) {
      const candidate = readLayout(cells);
      if (candidate.columns.date === undefined || candidate.columns.close === undefined) {
        if (++leadingLines >= MAX_LEADING_LINES) break;
        continue;
      }
      const absent = (['open', 'high', 'low', 'volume'] as const).filter(
        (f) => candidate.columns[f] === undefined,
      );
      if (absent.length > 0) {
        throw new Error(
          `CSV header on line ${line} has no ${absent.join(', ')} column.\n${ACCEPTED_HEADERS}`,
        );
      }
      if (candidate.columns.symbol === undefined && !defaultSymbol) {
        throw new Error(
          `CSV has no symbol column (symbol, ticker or name) and no default symbol was given.\n${ACCEPTED_HEADERS}`,
        );
      }
      layout = candidate;
      continue;
    }
    const parsed = toBar(layout, cells, defaultSymbol);
    if (!('reason' in parsed)) {
      const { bar } = parsed;
      const group = bySymbol.get(bar.symbol);
      if (group) group.push(bar);
      else bySymbol.set(bar.symbol, [bar]);
      continue;
    }
    const raw = rawRow(layout, cells);
    // The bar keeps the file's line and cells, the raw payload the ledger shows.
    const bar = parsed.bar ? { bar: { ...parsed.bar, raw: { line, row: raw } } } : {};
    rejected.push({ line, raw, reason: parsed.reason, ...bar });
  }
  if (!layout) {
    throw new Error(
      `CSV has no header row with date and close columns in its first lines.\n${ACCEPTED_HEADERS}`,
    );
  }
  const symbols = [...bySymbol.keys()].sort();
  return { bars: symbols.flatMap((s) => ascending(bySymbol.get(s)!)), rejected };
}
