// The live event stream's events: one JSON object per NDJSON line (stdin) or per Redis stream entry.
// Every event has a unique `id` (decisions are idempotent by it), a kind, and its time `ts` in epoch
// milliseconds (event time: indicators, news decay and the session VWAP run on it, never on the wall clock).
import { z } from 'zod';

const Id = z.string().min(1).max(200);
const Ticker = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9.\-/]{0,19}$/, 'a symbol: upper-case letters, digits, . - / (at most 20)');
const Ts = z.number().int().nonnegative().max(8_640_000_000_000_000);
const Price = z.number().positive().finite();
const Size = z.number().nonnegative().finite();
const base = { id: Id, ts: Ts };

/** A trade print; `side` is the aggressor when the feed knows it (otherwise classified against the quote). */
const TradeEvent = z.object({
  ...base,
  kind: z.literal('trade'),
  symbol: Ticker,
  price: Price,
  size: Size.refine((v) => v > 0, 'a trade has a positive size'),
  side: z.enum(['buy', 'sell']).optional(),
});

/** The best bid and offer. */
const QuoteEvent = z
  .object({
    ...base,
    kind: z.literal('quote'),
    symbol: Ticker,
    bid: Price,
    ask: Price,
    bid_size: Size,
    ask_size: Size,
  })
  .refine((q) => q.bid <= q.ask, 'a quote has bid <= ask');

/** An OHLCV bar that closed at `ts` (`1m` intraday or `1d` daily). */
const BarEvent = z
  .object({
    ...base,
    kind: z.literal('bar'),
    symbol: Ticker,
    interval: z.enum(['1m', '1d']),
    open: Price,
    high: Price,
    low: Price,
    close: Price,
    volume: Size,
  })
  .refine(
    (b) => b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close),
    'a bar has low <= open, close <= high',
  );

/** A volatility alert: `burst` when short-term realized volatility is `ratio` times its normal level, `calm` after. */
const VolatilityEvent = z.object({
  ...base,
  kind: z.literal('volatility'),
  symbol: Ticker,
  state: z.enum(['burst', 'calm']),
  ratio: z.number().nonnegative().finite(),
});

/** A news item about a symbol; `sentiment` in [-1, 1] when the feed scored it, else the lexicon scores the headline. */
const NewsEvent = z.object({
  ...base,
  kind: z.literal('news'),
  symbol: Ticker,
  headline: z.string().min(1).max(2000),
  sentiment: z.number().min(-1).max(1).optional(),
  source: z.string().max(200).optional(),
});

/** The active opportunity pool changed: from now on decisions are made for these symbols (plus open positions). */
const PoolEvent = z.object({
  ...base,
  kind: z.literal('pool'),
  symbols: z.array(Ticker).max(10_000),
});

/** Any event of the stream. */
export const LiveEvent = z.union([TradeEvent, QuoteEvent, BarEvent, VolatilityEvent, NewsEvent, PoolEvent]);
export type LiveEvent = z.infer<typeof LiveEvent>;
export type TradeEvent = z.infer<typeof TradeEvent>;
export type QuoteEvent = z.infer<typeof QuoteEvent>;
export type BarEvent = z.infer<typeof BarEvent>;

/** A line that was not an event, with its 1-based line number (or stream entry id) and why. */
export interface Malformed {
  line: number;
  error: string;
}

// One schema per kind: an event is checked against its own kind only (faster than trying the union, and
// the error names the real problem).
const BY_KIND: Record<string, z.ZodType<LiveEvent>> = {
  trade: TradeEvent,
  quote: QuoteEvent,
  bar: BarEvent,
  volatility: VolatilityEvent,
  news: NewsEvent,
  pool: PoolEvent,
};

// The hot kinds (trades, quotes, bars: nearly every line of a market stream) are first checked by hand
// against the same rules as their schemas; only what this fast path does not accept goes through zod,
// which then accepts it or words the error. The tests hold the two to the same answers.
const TICKER = /^[A-Z0-9][A-Z0-9.\-/]{0,19}$/;
type Raw = Record<string, unknown>;
const isId = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= 200;
const isTs = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 8_640_000_000_000_000;
const isTicker = (v: unknown): v is string => typeof v === 'string' && TICKER.test(v);
const isPrice = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

const FAST: Record<string, (r: Raw) => LiveEvent | null> = {
  trade: (r) => {
    const { id, ts, symbol, price, size, side } = r;
    if (!isId(id) || !isTs(ts) || !isTicker(symbol) || !isPrice(price) || !isSize(size) || !(size > 0))
      return null;
    if (side === undefined) return { id, ts, kind: 'trade', symbol, price, size };
    return side === 'buy' || side === 'sell' ? { id, ts, kind: 'trade', symbol, price, size, side } : null;
  },
  quote: (r) => {
    const { id, ts, symbol, bid, ask, bid_size, ask_size } = r;
    if (!isId(id) || !isTs(ts) || !isTicker(symbol) || !isPrice(bid) || !isPrice(ask)) return null;
    if (!isSize(bid_size) || !isSize(ask_size) || !(bid <= ask)) return null;
    return { id, ts, kind: 'quote', symbol, bid, ask, bid_size, ask_size };
  },
  bar: (r) => {
    const { id, ts, symbol, interval, open, high, low, close, volume } = r;
    if (!isId(id) || !isTs(ts) || !isTicker(symbol) || (interval !== '1m' && interval !== '1d')) return null;
    if (!isPrice(open) || !isPrice(high) || !isPrice(low) || !isPrice(close) || !isSize(volume)) return null;
    if (!(low <= Math.min(open, close) && high >= Math.max(open, close))) return null;
    return { id, ts, kind: 'bar', symbol, interval, open, high, low, close, volume };
  },
};

/** Parses one event from its JSON text; an error message instead of an event when it is not one. */
export function parseEvent(text: string): LiveEvent | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return `not JSON: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not a JSON object';
  const kind = (raw as { kind?: unknown }).kind;
  const schema = typeof kind === 'string' && Object.hasOwn(BY_KIND, kind) ? BY_KIND[kind] : undefined;
  if (!schema) return `unknown kind ${JSON.stringify(kind)?.slice(0, 40) ?? 'undefined'}`;
  const quick = FAST[kind as string]?.(raw as Raw);
  if (quick) return quick;
  const res = schema.safeParse(raw);
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  return issue ? `${issue.path.join('.') || 'event'}: ${issue.message}` : 'not an event';
}

/** How many malformed lines keep their number and reason (all are counted). */
const KEPT_MALFORMED = 1000;

/**
 * NDJSON lines to events across arbitrary chunk boundaries: blank lines are skipped, a malformed line is
 * counted with its line number and reason, never thrown. Lines are bounded so a stream without newlines
 * cannot exhaust memory.
 */
export class NdjsonEvents {
  /** Lines seen, blank ones included (the next line's number minus one). */
  lines = 0;
  malformedCount = 0;
  readonly malformed: Malformed[] = [];
  private rest = '';
  private skipping = false;

  constructor(private readonly maxLineChars = 1_000_000) {}

  /** The events of the complete lines in `chunk` (the incomplete tail waits for the next chunk or `end`). */
  push(chunk: string, out: LiveEvent[] = []): LiveEvent[] {
    let start = 0;
    let text = chunk;
    if (this.rest !== '') {
      text = this.rest + chunk;
      this.rest = '';
    }
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.line(text.slice(start, nl), out);
      start = nl + 1;
    }
    const tail = text.slice(start);
    if (tail.length > this.maxLineChars) {
      // An over-long line is malformed once; the rest of it, up to its newline, is dropped.
      if (!this.skipping) this.bad(this.lines + 1, `line longer than ${this.maxLineChars} characters`);
      this.skipping = true;
    } else this.rest = tail;
    return out;
  }

  /** The last line when the input does not end with a newline. */
  end(out: LiveEvent[] = []): LiveEvent[] {
    if (this.rest !== '' || this.skipping) this.line(this.rest, out);
    this.rest = '';
    return out;
  }

  private line(raw: string, out: LiveEvent[]): void {
    this.lines++;
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    const parsed = parseEvent(text);
    if (typeof parsed === 'string') this.bad(this.lines, parsed);
    else out.push(parsed);
  }

  private bad(line: number, error: string): void {
    this.malformedCount++;
    if (this.malformed.length < KEPT_MALFORMED) this.malformed.push({ line, error });
  }
}
