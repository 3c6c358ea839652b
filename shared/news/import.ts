import type { Sql } from '../db/client.ts';
import { type FnspidResult, parseFnspid } from './fnspid.ts';
import { type StoreCounts, storeNews } from './store.ts';

/** What an FNSPID import did: rows read, rows skipped by reason, and what storing them did. */
export interface FnspidImport {
  rows: number;
  items: number;
  skipped: FnspidResult['skipped'];
  stored: StoreCounts;
}

// Items stored per transaction: a large file commits in pieces, and a rerun converges anyway.
const BATCH = 5_000;

/**
 * `stratos news-import --fnspid FILE`: parses an FNSPID file (shared/news/fnspid.ts) and stores its
 * articles through the one deduplicating writer, equities only (FNSPID covers US stocks). Tickers
 * that are not assets are counted, not created: import their bars first, and a rerun adds the mentions.
 */
export async function importFnspid(
  sql: Sql,
  text: string,
  opts: { symbol?: string } = {},
): Promise<FnspidImport> {
  const parsed = parseFnspid(text, opts);
  // Stored in publication order, so each batch's dedup candidates are the articles of its own few
  // days (the window query reads only those) and a story's copies meet in one batch or the next.
  const items = parsed.items
    .map((item) => ({ item, ms: Date.parse(item.publishedAt) }))
    .sort((a, b) => a.ms - b.ms)
    .map((x) => x.item);
  const stored: StoreCounts = {
    items: 0,
    articles: 0,
    merged_provider_id: 0,
    merged_url: 0,
    merged_title: 0,
    merged_summary: 0,
    mentions: 0,
    unknown_tickers: 0,
  };
  for (let i = 0; i < items.length; i += BATCH) {
    const counts = await storeNews(sql, 'equity', items.slice(i, i + BATCH));
    for (const key of Object.keys(stored) as (keyof StoreCounts)[]) stored[key] += counts[key];
  }
  return { rows: parsed.rows, items: parsed.items.length, skipped: parsed.skipped, stored };
}
