import type { MentionScore, ScoreArticle, ScoreBatch, SentimentScorer } from './types.ts';

/**
 * SHA-256 hex of what a score depends on: the scorer version, the title, the text, the tickers
 * (sorted) and their company names. Unchanged news under the same scorer version has the same hash, so it is never paid twice.
 */
export async function contentHash(version: string, article: ScoreArticle): Promise<string> {
  const tickers = [...article.tickers].sort();
  const names = tickers.map((t) => article.names?.[t] ?? null);
  const bytes = new TextEncoder().encode(
    JSON.stringify([version, article.title, article.text, tickers, names]),
  );
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Scores already paid for, by content hash (the article id is not part of it). */
export interface ScoreCache {
  get(hash: string): Omit<MentionScore, 'articleId'>[] | undefined;
  set(hash: string, scores: Omit<MentionScore, 'articleId'>[]): void;
}

/** A cache in memory, for one process (the CSV command, the bench). */
export function memoryCache(): ScoreCache {
  const map = new Map<string, Omit<MentionScore, 'articleId'>[]>();
  return { get: (hash) => map.get(hash), set: (hash, scores) => void map.set(hash, scores) };
}

/**
 * Scores the articles through the cache: hits are answered from it at no cost, the rest go to the
 * scorer and every answer it gives (valid or invalid: both were paid for) is cached.
 */
export async function scoreCached(
  scorer: SentimentScorer,
  articles: ScoreArticle[],
  cache: ScoreCache,
  budget?: { usd: number | null },
): Promise<ScoreBatch & { cacheHits: number }> {
  const hashes = await Promise.all(articles.map((a) => contentHash(scorer.version, a)));
  const scores: MentionScore[] = [];
  const misses: ScoreArticle[] = [];
  const hashOf = new Map<string, string>();
  let cacheHits = 0;
  articles.forEach((a, i) => {
    const hit = cache.get(hashes[i]!);
    if (hit) {
      cacheHits++;
      for (const s of hit) scores.push({ ...s, articleId: a.id, costUsd: 0 });
    } else {
      misses.push(a);
      hashOf.set(a.id, hashes[i]!);
    }
  });
  const fresh = await scorer.score(misses, budget);
  const byArticle = new Map<string, Omit<MentionScore, 'articleId'>[]>();
  for (const s of fresh.scores) {
    const { articleId, ...rest } = s;
    byArticle.set(articleId, [...(byArticle.get(articleId) ?? []), rest]);
  }
  for (const [id, list] of byArticle) cache.set(hashOf.get(id)!, list);
  return { ...fresh, scores: [...scores, ...fresh.scores], cacheHits };
}
