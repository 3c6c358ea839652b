import type { RawBar } from '../../domain/market.ts';
import type { IncomingBar } from '../types.ts';
import { checkDate, checkPrices, NON_NUMERIC, validateBar } from '../validate.ts';

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

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const DASH = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * RFC 4180 records, one at a time: quoted fields may hold commas, quotes ("") and line breaks; CRLF,
 * LF or CR end a record. A record is kept as field boundaries in the text (arrays reused from record
 * to record), so a data row costs no strings beyond the cells that are read; a quoted field keeps
 * its unquoted text aside.
 */
export class RecordReader {
  /** 1-based line on which the current record starts. */
  line = 0;
  /** Fields in the current record. */
  count = 0;
  private starts = new Int32Array(16);
  private ends = new Int32Array(16);
  private unquoted: (string | undefined)[] = [];
  private quoted = false;
  private pos: number;
  private nextLine = 1;

  constructor(private readonly text: string) {
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Moves to the next record; false at the end of the text. */
  next(): boolean {
    const { text } = this;
    const n = text.length;
    let i = this.pos;
    if (i >= n) return false;
    this.line = this.nextLine;
    if (this.quoted) {
      this.unquoted.length = 0;
      this.quoted = false;
    }
    let k = 0;
    for (;;) {
      if (k === this.starts.length) this.grow();
      let value: string | undefined;
      if (text.charCodeAt(i) === QUOTE) {
        value = '';
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
        for (let c = i; c < j; c++) if (text.charCodeAt(c) === LF) this.nextLine++;
        i = j;
      }
      const start = i;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === COMMA || c === LF || c === CR) break;
      }
      this.starts[k] = start;
      this.ends[k] = i;
      if (value !== undefined) {
        // Text after a closing quote is kept, as spreadsheets do, rather than losing the row.
        this.unquoted[k] = value + text.slice(start, i);
        this.quoted = true;
      }
      k++;
      if (text.charCodeAt(i) !== COMMA) break;
      i++;
    }
    if (text.charCodeAt(i) === CR) i++;
    if (text.charCodeAt(i) === LF) i++;
    this.pos = i;
    this.count = k;
    this.nextLine++;
    return true;
  }

  /** Field `k` of the current record as written (unquoted), '' past its last field. */
  cell(k: number): string {
    if (k >= this.count) return '';
    return this.unquoted[k] ?? this.text.slice(this.starts[k]!, this.ends[k]!);
  }

  /** Every field of the current record. */
  cells(): string[] {
    return Array.from({ length: this.count }, (_, k) => this.cell(k));
  }

  /** Where unquoted field `k` starts and ends in the text, or -1 when it is quoted or absent. */
  start(k: number): number {
    return k < this.count && this.unquoted[k] === undefined ? this.starts[k]! : -1;
  }
  end(k: number): number {
    return this.ends[k]!;
  }

  /** Whether every field is blank; a record that starts with a printable character is not. */
  isBlank(): boolean {
    const c = this.text.charCodeAt(this.starts[0]!);
    if (c > 32 && c < 0x1680 && c !== 0xa0 && this.unquoted[0] === undefined) return false;
    for (let k = 0; k < this.count; k++) if (this.cell(k).trim() !== '') return false;
    return true;
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.starts.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
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

function cellAt(cells: string[], index: number | undefined): string {
  return index === undefined ? '' : (cells[index] ?? '').trim();
}

/** Exact powers of ten: an integer below 2^53 divided by one is the correctly rounded decimal. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Significant digits an integer below 2^53 always holds. */
const EXACT_DIGITS = 15;

/**
 * The value of a plain decimal (sign, digits, at most one point, up to 15 significant digits) written
 * at text[from, to), equal to Number() of it; NaN for anything else (spaces, exponents, longer
 * numbers, text), which the general reading then decides.
 */
function plainNumber(text: string, from: number, to: number): number {
  let i = from;
  const sign = text.charCodeAt(i);
  if (sign === DASH || sign === PLUS) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let point = false;
  let any = false;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      any = true;
      if (mantissa !== 0 || c !== ZERO) digits++;
      mantissa = mantissa * 10 + (c - ZERO);
      if (point) scale++;
    } else if (c === DOT && !point) point = true;
    else return Number.NaN;
  }
  if (!any || digits > EXACT_DIGITS || scale >= POW10.length) return Number.NaN;
  const value = scale === 0 ? mantissa : mantissa / POW10[scale]!;
  return sign === DASH ? -value : value;
}

/** YYYYMMDD of a date written exactly as YYYY-MM-DD at text[from, to), or -1. */
function plainDay(text: string, from: number, to: number): number {
  if (to - from !== 10 || text.charCodeAt(from + 4) !== DASH || text.charCodeAt(from + 7) !== DASH) return -1;
  let key = 0;
  for (let i = from; i < to; i++) {
    if (i === from + 4 || i === from + 7) continue;
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return -1;
    key = key * 10 + (c - ZERO);
  }
  return key;
}

/**
 * Reads data rows into bars. The common row (unquoted cells, a YYYY-MM-DD date, plain decimals) is
 * read straight from the text: each number parsed once, each distinct date checked once, the symbol
 * reused while it repeats. Any other row, and any row that fails a check, goes through toBar, which
 * reads the cells as strings and says why.
 */
class RowReader {
  private readonly dates = new Map<number, string>();
  /** The last symbol cell read, as written, and the symbol it gave. */
  private symbolText = '';
  private symbol: string | undefined;

  constructor(
    private readonly text: string,
    private readonly reader: RecordReader,
    private readonly layout: Layout,
    private readonly defaultSymbol: string | undefined,
  ) {
    this.symbol = symbolFrom(layout, '', defaultSymbol);
  }

  /** The current row as a valid bar, or why it is not one. */
  read(): { bar: RawBar } | { reason: string; bar?: IncomingBar } {
    const bar = this.plainBar();
    return bar ? { bar } : toBar(this.layout, this.reader.cells(), this.defaultSymbol);
  }

  private plainBar(): RawBar | null {
    const { text, reader } = this;
    const columns = this.layout.columns as Required<Layout['columns']>;
    const symbol = this.symbolOf();
    if (!symbol) return null;
    const from = reader.start(columns.date);
    if (from < 0) return null;
    const key = plainDay(text, from, reader.end(columns.date));
    if (key < 0) return null;
    let date = this.dates.get(key);
    if (date === undefined) {
      date = text.slice(from, from + 10);
      if (checkDate(date) !== null) return null;
      this.dates.set(key, date);
    }
    const open = this.number(columns.open);
    const high = this.number(columns.high);
    const low = this.number(columns.low);
    const close = this.number(columns.close);
    const volume = this.number(columns.volume);
    // NaN marks a cell that is not a plain decimal; NaN fails every comparison in checkPrices too.
    if (Number.isNaN(open + high + low + close + volume)) return null;
    if (checkPrices(open, high, low, close, volume) !== null) return null;
    return { symbol, date, open, high, low, close, volume };
  }

  private number(k: number): number {
    const from = this.reader.start(k);
    return from < 0 ? Number.NaN : plainNumber(this.text, from, this.reader.end(k));
  }

  /** The row's symbol when its cell is unquoted (or there is no symbol column), else undefined. */
  private symbolOf(): string | undefined {
    const k = this.layout.columns.symbol;
    if (k === undefined) return this.defaultSymbol;
    const from = this.reader.start(k);
    if (from < 0) return undefined;
    const to = this.reader.end(k);
    if (to - from !== this.symbolText.length || !this.text.startsWith(this.symbolText, from)) {
      this.symbolText = this.text.slice(from, to);
      this.symbol = symbolFrom(this.layout, this.symbolText, this.defaultSymbol);
    }
    return this.symbol;
  }
}

/** The symbol a row names (upper-cased, a CryptoDataDownload pair as its base), or the default. */
function symbolFrom(layout: Layout, cell: string, defaultSymbol: string | undefined): string | undefined {
  const symbol = cell.trim().toUpperCase() || defaultSymbol;
  const { pair } = layout;
  return pair && symbol === pair.base + pair.quote ? pair.base : symbol;
}

function toBar(
  layout: Layout,
  cells: string[],
  defaultSymbol: string | undefined,
): { bar: RawBar } | { reason: string; bar?: IncomingBar } {
  const { columns } = layout;
  const symbol = symbolFrom(layout, cellAt(cells, columns.symbol), defaultSymbol);
  if (!symbol) return { reason: 'missing symbol' };

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
  let groupSymbol: string | undefined;
  let group: RawBar[] | undefined;

  const reader = new RecordReader(text);
  let rows: RowReader | undefined;
  while (reader.next()) {
    if (reader.isBlank()) continue;
    const { line } = reader;
    if (!rows) {
      const cells = reader.cells();
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
      rows = new RowReader(text, reader, layout, defaultSymbol);
      continue;
    }
    const parsed = rows.read();
    if (!('reason' in parsed)) {
      const { bar } = parsed;
      // Files are mostly grouped by symbol: the previous row's group is usually this one's.
      if (bar.symbol !== groupSymbol) {
        groupSymbol = bar.symbol;
        group = bySymbol.get(groupSymbol) ?? [];
        bySymbol.set(groupSymbol, group);
      }
      group!.push(bar);
      continue;
    }
    const raw = rawRow(layout!, reader.cells());
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
