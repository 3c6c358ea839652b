/**
 * Near-duplicate detection for news: one story published by several providers, or syndicated with an
 * edited title, becomes one article. The rule, in order:
 * 1. the same provider id, or the same URL key (shared/news/url.ts), is the same article;
 * 2. otherwise two items are the same story when they were published at most DEDUP_WINDOW_MS apart,
 *    name at least one ticker in common (case-insensitive), and either their normalised titles differ
 *    only by words one of them adds (no word replaced by another, synonyms aside) with a token Jaccard
 *    of at least TITLE_JACCARD or one title's tokens (at least MIN_CONTAINED of them) at least
 *    CONTAINMENT inside the other's, or their summaries have a token Jaccard of at least
 *    SUMMARY_JACCARD (syndicated copies keep the text). Items without tickers merge by URL only.
 * Titles are normalised by lower-casing, dropping wire prefixes (`UPDATE 2-`, `BRIEF-`), a trailing
 * publisher (` - Reuters`, ` | Yahoo Finance`), punctuation and stop words, and stemming plurals.
 * Templated headlines of different stories ("Why X stock is soaring today" / "... falling today")
 * share most tokens, so two titles never merge when the words only one of them has include a number
 * on both sides ("up 3%" / "up 5%", another date), a rise word on one side and a fall word on the
 * other, or (in sentence-case headlines) a capitalised name on each side: an edit of one story keeps
 * its facts and its subject.
 */
export const DEDUP_WINDOW_MS = 48 * 3_600_000;
const TITLE_JACCARD = 0.6;
const CONTAINMENT = 0.85;
const MIN_CONTAINED = 5;
const SUMMARY_JACCARD = 0.8;
const MIN_SUMMARY_TOKENS = 8;

const STOP = new Set(
  'a an and are as at be by for from has have in into is it its of on or over says said than that the this to was were will with after amid as'.split(
    ' ',
  ),
);
const WIRE_PREFIX =
  /^(?:(?:update|wrapup)\s*\d*|brief|exclusive|rpt|corrected|refile|breaking|analysis|instant view)\s*[-:]\s*/i;
// A short tail after " - " or " | " names the publisher, not the story.
const PUBLISHER_TAIL = /\s+[-|–—]\s+[^-|–—]{1,40}$/;

/** The normalised tokens of a headline or summary, for comparing copies of one story. */
export function textTokens(text: string, isTitle = true): Set<string> {
  const tokens = new Set<string>();
  for (const word of words(isTitle ? headline(text) : text.normalize('NFKC'))) {
    const token = tokenOf(word);
    if (token) tokens.add(token);
  }
  return tokens;
}

function headline(title: string): string {
  const t = title.normalize('NFKC').replace(WIRE_PREFIX, '');
  const tail = PUBLISHER_TAIL.exec(t);
  return tail && tail[0].trim().split(/\s+/).length <= 5 ? t.slice(0, tail.index) : t;
}

function words(text: string): string[] {
  return text.split(/[^\p{L}\p{N}%$.]+/u).filter((w) => w !== '');
}

// Words wires swap for one another in copies of one story.
const SYNONYM: Record<string, string> = { stock: 'share', following: 'after', while: 'as', unveil: 'launch' };

function tokenOf(word: string): string | null {
  const w = word.toLowerCase().replace(/^[.]+|[.]+$/g, '');
  if (w === '' || STOP.has(w)) return null;
  const t = stem(w);
  return SYNONYM[t] ?? t;
}

/** A headline's tokens and, when it is written in sentence case, the tokens of its capitalised words (names). */
interface TitleInfo {
  tokens: Set<string>;
  names: Set<string>;
}

function titleInfo(title: string): TitleInfo {
  const all = words(headline(title));
  const tokens = new Set<string>();
  for (const w of all) {
    const t = tokenOf(w);
    if (t) tokens.add(t);
  }
  // In Title Case or ALL CAPS every word is capitalised, so capitals say nothing about names.
  const content = all.filter((w) => w.length >= 4 && !STOP.has(w.toLowerCase()));
  const capitalised = content.filter((w) => /^\p{Lu}/u.test(w)).length;
  const names = new Set<string>();
  if (content.length >= 2 && capitalised / content.length < 0.75) {
    for (const w of all) {
      const t = /^\p{Lu}/u.test(w) ? tokenOf(w) : null;
      if (t) names.add(t);
    }
  }
  return { tokens, names };
}

const UP = new Set(
  'up rise rose rising soar soaring soared jump jumped jumping gain gained surge surged climb climbed rally rallied beat higher high raise raised upgrade upgraded record boost positive bullish'.split(
    ' ',
  ),
);
const DOWN = new Set(
  'down fall fell falling drop dropped plunge plunged sink sank slide slid tumble tumbled slump slumped decline declined miss missed lower low cut downgrade downgraded loss negative bearish weak'.split(
    ' ',
  ),
);

/**
 * Whether the words only one title has contradict the other's: different numbers, opposite moves,
 * or a different name on each side ("Apple beats estimates" / "Microsoft beats estimates").
 */
function conflicting(a: TitleInfo, b: TitleInfo): boolean {
  const onlyA = only(a.tokens, b.tokens);
  const onlyB = only(b.tokens, a.tokens);
  if (onlyA.length === 0 || onlyB.length === 0) return false;
  if (hasNumber(onlyA) && hasNumber(onlyB)) return true;
  if (hasAny(onlyA, a.names) && hasAny(onlyB, b.names)) return true;
  return (hasAny(onlyA, UP) && hasAny(onlyB, DOWN)) || (hasAny(onlyA, DOWN) && hasAny(onlyB, UP));
}

// Module-level helpers of `conflicting`, which runs for every candidate pair of an import.
function only(a: Set<string>, b: Set<string>): string[] {
  const out: string[] = [];
  for (const t of a) if (!b.has(t)) out.push(t);
  return out;
}

const DIGIT = /\d/;

function hasNumber(tokens: readonly string[]): boolean {
  for (const t of tokens) if (DIGIT.test(t)) return true;
  return false;
}

function hasAny(tokens: readonly string[], words: Set<string>): boolean {
  for (const t of tokens) if (words.has(t)) return true;
  return false;
}

// Plurals and third persons to their stem, so "jumps"/"jump" and "misses"/"miss" meet.
function stem(w: string): string {
  if (w.length <= 3 || !w.endsWith('s') || w.endsWith('ss')) return w;
  if (w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (/(?:ss|sh|ch|x)es$/.test(w)) return w.slice(0, -2);
  return w.slice(0, -1);
}

/**
 * Whether each title has a word the other lacks (after synonyms): a word replaced by another is a
 * different fact ("probe over chip practices" / "... over retail practices"), while copies of one
 * story only add or drop words (a wire prefix, a publisher, a clause).
 */
function substituted(a: Set<string>, b: Set<string>): boolean {
  let onlyA = false;
  for (const t of a) if (!b.has(t)) onlyA = true;
  if (!onlyA) return false;
  for (const t of b) if (!a.has(t)) return true;
  return false;
}

/** Index of the first entry published at or after `ms` in a list kept in publication order. */
function firstAtOrAfter<K>(list: readonly Indexed<K>[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.entry.publishedMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

function containment(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size < MIN_CONTAINED) return 0;
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return shared / small.size;
}

/** What the deduplicator knows of one article (stored or just seen). */
export interface DedupEntry<K> {
  key: K;
  publishedMs: number;
  title: string;
  summary: string | null;
  /** Tickers, upper-cased. */
  tickers: readonly string[];
  urlKeys: readonly string[];
  /** `source:providerId` of each copy. */
  ids: readonly string[];
}

interface Indexed<K> {
  entry: DedupEntry<K>;
  title: TitleInfo;
  summary: Set<string> | null;
}

/** Why an item joined an article (for tests, the bench and the run summary). */
export type DedupReason = 'provider_id' | 'url' | 'title' | 'summary';

/** Articles seen so far, indexed by provider id, URL key and ticker; `match` finds an item's article. */
export class NewsDeduper<K> {
  private readonly byId = new Map<string, K>();
  private readonly byUrl = new Map<string, K>();
  private readonly byTicker = new Map<string, Indexed<K>[]>();
  private readonly byKey = new Map<K, Indexed<K>>();

  /** Adds an article, or the new copies, tickers and URLs of one already known under `entry.key`. */
  add(entry: DedupEntry<K>): void {
    for (const id of entry.ids) this.byId.set(id, entry.key);
    for (const url of entry.urlKeys) if (!this.byUrl.has(url)) this.byUrl.set(url, entry.key);
    let indexed = this.byKey.get(entry.key);
    const isNew = indexed === undefined;
    if (!indexed) {
      indexed = {
        entry,
        title: titleInfo(entry.title),
        summary: entry.summary ? textTokens(entry.summary, false) : null,
      };
      this.byKey.set(entry.key, indexed);
    }
    const known = new Set(isNew ? [] : indexed.entry.tickers);
    for (const ticker of entry.tickers) {
      let list = this.byTicker.get(ticker);
      if (!list) {
        list = [];
        this.byTicker.set(ticker, list);
      }
      if (!known.has(ticker)) {
        // Kept in publication order, so a match looks at the window only.
        list.splice(firstAtOrAfter(list, indexed.entry.publishedMs + 1), 0, indexed);
      }
      known.add(ticker);
    }
    if (known.size !== indexed.entry.tickers.length)
      indexed.entry = { ...indexed.entry, tickers: [...known] };
  }

  /** The article an item belongs to, with the rule that matched, or null for a new story. */
  match(item: Omit<DedupEntry<unknown>, 'key'>): { key: K; reason: DedupReason } | null {
    for (const id of item.ids) {
      const key = this.byId.get(id);
      if (key !== undefined) return { key, reason: 'provider_id' };
    }
    for (const url of item.urlKeys) {
      const key = this.byUrl.get(url);
      if (key !== undefined) return { key, reason: 'url' };
    }
    const title = titleInfo(item.title);
    const summary = item.summary ? textTokens(item.summary, false) : null;
    let best: { key: K; reason: DedupReason; score: number } | null = null;
    const seen = new Set<Indexed<K>>();
    for (const ticker of item.tickers) {
      const list = this.byTicker.get(ticker) ?? [];
      for (let i = firstAtOrAfter(list, item.publishedMs - DEDUP_WINDOW_MS); i < list.length; i++) {
        const other = list[i]!;
        if (other.entry.publishedMs > item.publishedMs + DEDUP_WINDOW_MS) break;
        if (seen.has(other)) continue;
        seen.add(other);
        if (conflicting(title, other.title)) continue;
        let score = 0;
        let reason: DedupReason = 'title';
        if (!substituted(title.tokens, other.title.tokens)) {
          const t = jaccard(title.tokens, other.title.tokens);
          const c = containment(title.tokens, other.title.tokens);
          if (t >= TITLE_JACCARD || c >= CONTAINMENT) score = Math.max(t, c);
        }
        if (summary && other.summary && summary.size >= MIN_SUMMARY_TOKENS) {
          const s = jaccard(summary, other.summary);
          if (s >= SUMMARY_JACCARD && s > score) {
            score = s;
            reason = 'summary';
          }
        }
        if (score > 0 && (!best || score > best.score)) best = { key: other.entry.key, reason, score };
      }
    }
    return best && { key: best.key, reason: best.reason };
  }
}
