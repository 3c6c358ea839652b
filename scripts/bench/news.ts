// News data: `npm run bench -- --only news`. (1) Deduplication accuracy on a fake feed where 30% of the
// items are cross-provider copies of another item's story (URL variants; syndicated copies with edited
// titles; tickers in another case), mixed with hard negatives (the same headline template about another
// company, another number, the opposite move, within the window): merged share and false merges.
// (2) FNSPID-format import: rows per second of the importer's parse (dates to UTC, language check, URL
// keys, sentiment scale) against an anchor that only splits the same CSV into cells, and the whole
// import into an embedded PostgreSQL, with the rerun that must create nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { connect, type Sql } from '../../shared/db/client.ts';
import { NewsDeduper } from '../../shared/news/dedup.ts';
import { parseFnspid } from '../../shared/news/fnspid.ts';
import { importFnspid } from '../../shared/news/import.ts';
import { urlKey } from '../../shared/news/url.ts';
import { RecordReader } from '../../shared/providers/csv/parse.ts';
import { createRng } from '../../shared/providers/demo/generate.ts';
import { startEmbeddedPostgres } from '../local/embedded.ts';
import { migrate } from '../local/migrate.ts';
import { bestOfRounds } from './measure.ts';
import { ms, num, ratio, table } from './report.ts';

/** One line of the closing summary. */
export interface NewsVerdict {
  target: string;
  result: string;
  pass: boolean;
}

const FEED_ITEMS = 20_000;
const DUPLICATE_SHARE = 0.3;
const MERGE_TARGET = 0.99;
const FNSPID_ROWS = 100_000;
const FNSPID_TARGET_ROWS_S = 50_000;
const DB_ROWS = 20_000;
const FNSPID_SAMPLE = new URL('../../../shared/data/news/fnspid/news_summarized_AA.csv', import.meta.url)
  .pathname;

interface FeedItem {
  story: number;
  source: string;
  id: string;
  url: string;
  title: string;
  tickers: string[];
  publishedMs: number;
}

// 300 companies with three-word names from separate word pools: no name is a phrase of another.
const FIRST = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Vandelay',
  'Stark',
  'Wayne',
  'Wonka',
  'Tyrell',
];
const SECOND = [
  'Robotics',
  'Systems',
  'Energy',
  'Foods',
  'Bank',
  'Motors',
  'Health',
  'Labs',
  'Mining',
  'Media',
];
const THIRD = ['Group', 'Holdings', 'Partners'];
const COMPANIES = Array.from({ length: 300 }, (_, i) => ({
  ticker: `T${i.toString(36).toUpperCase().padStart(3, 'A')}`,
  name: `${FIRST[i % 10]} ${SECOND[Math.floor(i / 10) % 10]} ${THIRD[Math.floor(i / 100)]}`,
}));

const TEMPLATES = [
  '{c} shares {up} {x}% after quarterly results beat forecasts',
  '{c} shares {down} {x}% as quarterly revenue misses forecasts',
  '{c} raises full-year outlook on strong demand for its products',
  '{c} cuts {x} jobs in restructuring of its {seg} business',
  'Analysts upgrade {c} to buy with a {usd} price target',
  'Analysts downgrade {c} to sell with a {usd} price target',
  '{c} agrees to buy {other} in {usd} billion deal',
  '{c} faces regulatory probe over {seg} practices',
  '{c} names new chief executive after {x} years under founder',
  '{c} launches {seg} platform to compete with {other}',
  '{c} recalls {x},000 vehicles over software fault',
  '{c} wins {usd} million contract from the Defense Department',
];
const SEGMENTS = ['cloud', 'retail', 'lending', 'battery', 'streaming', 'advertising', 'chip', 'pharmacy'];

/** Another company's name sharing no word with `name` (a deal or a rival is another company). */
function otherThan(name: string, pick: <T>(xs: readonly T[]) => T): string {
  const words = new Set(name.split(' '));
  for (;;) {
    const other = pick(COMPANIES).name;
    if (!other.split(' ').some((w) => words.has(w))) return other;
  }
}

/** A syndicated copy's edit of a headline: what wires and aggregators do to titles. */
const EDITS: ((t: string, rng: () => number) => string)[] = [
  (t) => `UPDATE 1-${t}`,
  (t) => `${t} - Reuters`,
  (t) => `${t} | Yahoo Finance`,
  (t) => t.toUpperCase(),
  (t) => t.replace(/\b\w/g, (c) => c.toUpperCase()),
  (t) => t.replace('shares', 'stock'),
  (t) => `${t}, sources say`,
  (t) => t.replace(' after ', ' following ').replace(' as ', ' while '),
  (t) => `BRIEF-${t}`,
];

function feed(): FeedItem[] {
  const rng = createRng('bench:news-feed');
  const u = () => rng.uniform();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(u() * xs.length)]!;
  const start = Date.parse('2024-01-01T00:00:00Z');
  const originals: FeedItem[] = [];
  const templateOf: number[] = [];
  const recent = new Map<string, FeedItem[]>();
  const stories = Math.round(FEED_ITEMS * (1 - DUPLICATE_SHARE));
  for (let s = 0; s < stories; s++) {
    // One story in five is a hard negative: another story of the same ticker and template, close in time.
    const sibling = s > 0 && u() < 0.2 ? originals[s - 1]! : null;
    const company = sibling ? COMPANIES.find((c) => c.ticker === sibling.tickers[0])! : pick(COMPANIES);
    const template = sibling && u() < 0.7 ? templateOf[s - 1]! : Math.floor(u() * TEMPLATES.length);
    templateOf.push(template);
    const title = TEMPLATES[template]!.replace('{c}', company.name)
      .replace('{up}', pick(['rise', 'jump', 'climb', 'gain']))
      .replace('{down}', pick(['fall', 'drop', 'slide', 'sink']))
      .replace('{x}', String(2 + Math.floor(u() * 97)))
      .replace('{usd}', `$${2 + Math.floor(u() * 97)}`)
      .replace('{seg}', pick(SEGMENTS))
      .replace('{other}', otherThan(company.name, pick));
    const second = u() < 0.1 ? [pick(COMPANIES).ticker] : [];
    // Two stories of one ticker with the very same headline within two days would be one story told
    // twice: such a draw is redrawn, as a real feed has no such pair.
    const publishedMs = sibling ? sibling.publishedMs + u() * 20 * 3_600_000 : start + u() * 60 * 86_400_000;
    const clash = (recent.get(company.ticker) ?? []).some(
      (r) => r.title === title && Math.abs(r.publishedMs - publishedMs) < 2 * 86_400_000,
    );
    if (clash) {
      templateOf.pop();
      s--;
      continue;
    }
    originals.push({
      story: s,
      source: pick(['marketaux', 'tiingo']),
      id: `o${s}`,
      url: `https://www.${pick(['wire', 'markets', 'finance'])}-news.com/${company.ticker.toLowerCase()}/${s}-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      title,
      tickers: [company.ticker, ...second],
      publishedMs,
    });
    recent.set(company.ticker, [...(recent.get(company.ticker) ?? []), originals.at(-1)!]);
  }
  const copies: FeedItem[] = [];
  for (let k = 0; k < FEED_ITEMS - stories; k++) {
    const o = pick(originals);
    const source = o.source === 'marketaux' ? 'tiingo' : 'marketaux';
    const sameUrl = u() < 0.5;
    const url = sameUrl
      ? pick([
          o.url.replace('https://www.', 'http://'),
          `${o.url}/`,
          `${o.url}?utm_source=${source}&utm_medium=feed`,
          o.url.replace('https://www.', 'https://m.'),
          `${o.url}/amp`,
        ])
      : `https://${pick(['syndicate', 'aggregator', 'newswire'])}.example.com/${k}`;
    copies.push({
      story: o.story,
      source,
      id: `c${k}`,
      url,
      title: sameUrl ? o.title : pick(EDITS)(o.title, u),
      tickers: o.tickers.map((t) => (u() < 0.5 ? t.toLowerCase() : t)),
      publishedMs: o.publishedMs + u() * 6 * 3_600_000,
    });
  }
  return [...originals, ...copies];
}

/** The store's order and rule (shared/news/store.ts) over an in-memory feed: cluster per item. */
function cluster(items: readonly FeedItem[]): Map<FeedItem, number> {
  const sorted = [...items].sort((a, b) => a.publishedMs - b.publishedMs || (a.id < b.id ? -1 : 1));
  const deduper = new NewsDeduper<number>();
  const out = new Map<FeedItem, number>();
  let next = 0;
  for (const it of sorted) {
    const entry = {
      publishedMs: it.publishedMs,
      title: it.title,
      summary: null,
      tickers: it.tickers.map((t) => t.toUpperCase()),
      urlKeys: [urlKey(it.url)],
      ids: [`${it.source}:${it.id}`],
    };
    const key = deduper.match(entry)?.key ?? next++;
    deduper.add({ key, ...entry });
    out.set(it, key);
  }
  return out;
}

/** A synthetic FNSPID processed file: the real sample's rows again and again, each under its own URL. */
function fnspidFile(rows: number): string | null {
  if (!existsSync(FNSPID_SAMPLE)) return null;
  const reader = new RecordReader(readFileSync(FNSPID_SAMPLE, 'utf8'));
  reader.next();
  const records: string[][] = [];
  while (reader.next()) records.push(reader.cells());
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const lines = ['Date,Url,Mark,New_text'];
  for (let i = 0; i < rows; i++) {
    const [date, url, mark, text] = records[i % records.length]!;
    lines.push(`${date},${url}-${Math.floor(i / records.length)},${mark},${quote(text!)}`);
  }
  return `${lines.join('\n')}\n`;
}

function splitCells(text: string): number {
  const reader = new RecordReader(text);
  let cells = 0;
  while (reader.next()) for (let k = 0; k < reader.count; k++) cells += reader.cell(k).length > 0 ? 1 : 0;
  return cells;
}

async function importIntoPostgres(
  text: string,
): Promise<{ first: number; again: number; articles: number; created: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratos-bench-news-'));
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  let sql: Sql | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir, persistent: false });
    const admin = postgres(server.url('postgres'), { onnotice: () => {}, max: 1 });
    await admin.unsafe('create database stratos_bench_news');
    await admin.end();
    const url = server.url('stratos_bench_news');
    await migrate(url);
    sql = connect(url, { max: 2 });
    await sql`insert into public.assets (symbol, asset_type) values ('AA', 'equity')`;
    let t0 = performance.now();
    const first = await importFnspid(sql, text, { symbol: 'AA' });
    const firstMs = performance.now() - t0;
    t0 = performance.now();
    const again = await importFnspid(sql, text, { symbol: 'AA' });
    const againMs = performance.now() - t0;
    return {
      first: firstMs,
      again: againMs,
      articles: first.stored.articles,
      created: again.stored.articles,
    };
  } finally {
    await sql?.end();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs the section; returns its verdicts. */
export async function benchNews(): Promise<NewsVerdict[]> {
  const verdicts: NewsVerdict[] = [];
  const items = feed();
  const t0 = performance.now();
  const clusters = cluster(items);
  const dedupMs = performance.now() - t0;
  const firstOf = new Map<number, number>();
  const storiesIn = new Map<number, Set<number>>();
  for (const [it, key] of clusters) {
    if (it.id.startsWith('o')) firstOf.set(it.story, key);
    storiesIn.set(key, (storiesIn.get(key) ?? new Set()).add(it.story));
  }
  const copies = items.filter((i) => i.id.startsWith('c'));
  const merged = copies.filter((c) => clusters.get(c) === firstOf.get(c.story)).length;
  const falseMerges = [...storiesIn.values()].reduce((n, s) => n + s.size - 1, 0);
  const share = merged / copies.length;
  console.log(
    table(
      ['fake feed', 'items', 'copies', 'merged', 'false merges', 'time', 'items/s'],
      [
        [
          `${Math.round(DUPLICATE_SHARE * 100)}% cross-provider copies, 20% hard negatives`,
          num(items.length),
          num(copies.length),
          `${num(merged)} (${(share * 100).toFixed(2)}%)`,
          String(falseMerges),
          ms(dedupMs),
          num(Math.round(items.length / (dedupMs / 1000))),
        ],
      ],
      ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  verdicts.push({
    target: `dedup: >= ${MERGE_TARGET * 100}% of copies merged, 0 false merges`,
    result: `${(share * 100).toFixed(2)}% merged, ${falseMerges} false merges`,
    pass: share >= MERGE_TARGET && falseMerges === 0,
  });

  const text = fnspidFile(FNSPID_ROWS);
  if (!text) {
    console.log(`FNSPID sample not found (${FNSPID_SAMPLE}): import rows skipped`);
    verdicts.push({
      target: `FNSPID import >= ${num(FNSPID_TARGET_ROWS_S)} rows/s`,
      result: 'n/a (no sample)',
      pass: false,
    });
    return verdicts;
  }
  let sink = 0;
  const [parseMs, anchorMs] = bestOfRounds(
    [
      () => {
        sink += parseFnspid(text, { symbol: 'AA' }).items.length;
      },
      () => {
        sink += splitCells(text);
      },
    ],
    3,
  );
  const dbText = text.slice(0, text.split('\n', DB_ROWS + 1).join('\n').length + 1);
  const db = await importIntoPostgres(dbText);
  const rate = FNSPID_ROWS / (parseMs! / 1000);
  console.log(
    `\n${table(
      [
        `FNSPID format (summarised AA rows, ${(text.length / 1e6).toFixed(0)} MB)`,
        'rows',
        'best',
        'rows/s',
        'vs anchor',
      ],
      [
        [
          'anchor: split the CSV into cells (the shared RFC 4180 reader)',
          num(FNSPID_ROWS),
          ms(anchorMs!),
          num(Math.round(FNSPID_ROWS / (anchorMs! / 1000))),
          '1x',
        ],
        [
          'parseFnspid: dates to UTC, language, URL keys, scale',
          num(FNSPID_ROWS),
          ms(parseMs!),
          num(Math.round(rate)),
          ratio(parseMs! / anchorMs!),
        ],
        [
          'news-import into PostgreSQL (dedup, articles, sources, mentions)',
          num(DB_ROWS),
          ms(db.first),
          num(Math.round(DB_ROWS / (db.first / 1000))),
          '',
        ],
        [
          `same file again (${db.created} created)`,
          num(DB_ROWS),
          ms(db.again),
          num(Math.round(DB_ROWS / (db.again / 1000))),
          '',
        ],
      ],
      ['left', 'right', 'right', 'right', 'right'],
    )}`,
  );
  console.log(
    `(checksum ${sink % 1000}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  verdicts.push({
    target: `FNSPID-format import >= ${num(FNSPID_TARGET_ROWS_S)} rows/s (parse to articles)`,
    result: `${num(Math.round(rate))} rows/s parsed; ${num(Math.round(DB_ROWS / (db.first / 1000)))} rows/s stored into PostgreSQL`,
    pass: rate >= FNSPID_TARGET_ROWS_S,
  });
  verdicts.push({
    target: 'FNSPID re-import of the same file creates nothing',
    result: `${db.articles} articles, then ${db.created} created`,
    pass: db.created === 0 && db.articles > 0,
  });
  return verdicts;
}
