import { addDays } from '../../calendar/index.ts';
import type { Sql } from '../../db/client.ts';
import type { AssetType } from '../../domain/market.ts';
import { AppError } from '../../errors/index.ts';
import { contentHash } from '../score/cache.ts';
import type { ScoreArticle, SentimentScorer } from '../score/types.ts';
import { decay } from './daily.ts';
import { sessionOf } from './session.ts';
import { loadMentions, storeScores } from './store.ts';

/** How a shortlist is re-ranked by its news. */
export interface ShortlistRequest {
  /** Names the stored list (`[a-z0-9][a-z0-9_-]*`), e.g. `reviews` or `watch`. */
  listId: string;
  date: string;
  assetType: AssetType;
  /** The candidates, best first; omitted: the day's valid AI reviews by attention score. */
  symbols?: string[];
  /** Candidates taken from the reviews when `symbols` is omitted (default 10). */
  limit?: number;
  /** Calendar days of news read, up to the date's close (default 7). */
  days?: number;
  /** How far news may move a candidate: its rank score is 1 − (rank − 1) / n, plus weight × news (default 0.5). */
  weight?: number;
}

/** One re-ranked candidate, as stored in `sentiment_shortlists`. */
export interface ShortlistRow {
  symbol: string;
  base_rank: number;
  rank: number;
  /** Relevance- and recency-weighted mean of its valid scores; null without news (it abstains). */
  news_score: number | null;
  article_count: number;
  reasons: { headline: string; score: number; relevance: number; session: string }[];
}

const MAX_REASONS = 3;

/**
 * The "qual" layer: scores each candidate's news of the last `days` up to the date's close (point in
 * time, by session) with the scorer, reusing stored scores of unchanged articles, and re-ranks the
 * list by base rank score + weight × news score. A candidate without news keeps its base score: no
 * news is an abstention, not a 0 that would push it below candidates with mildly bad news. Stored.
 */
export async function scoreShortlist(
  sql: Sql,
  scorer: SentimentScorer,
  req: ShortlistRequest,
): Promise<ShortlistRow[]> {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(req.listId)) {
    throw new AppError('invalid_input', `list id "${req.listId}" must match [a-z0-9][a-z0-9_-]{0,63}`);
  }
  const days = req.days ?? 7;
  const weight = req.weight ?? 0.5;
  const candidates = req.symbols
    ? await sql<{ id: number; symbol: string; name: string | null }[]>`
        select a.id, a.symbol, a.name from unnest(${req.symbols.map((s) => s.toUpperCase())}::text[]) with ordinality as s(symbol, n)
        join assets a on a.symbol = s.symbol and a.asset_type = ${req.assetType} order by s.n`
    : await sql<{ id: number; symbol: string; name: string | null }[]>`
        select a.id, a.symbol, a.name from asset_ai_reviews r join assets a on a.id = r.asset_id
        where r.as_of_date = ${req.date} and r.status = 'valid' and a.asset_type = ${req.assetType}
        order by r.attention_score desc nulls last, a.symbol limit ${req.limit ?? 10}`;
  if (req.symbols) {
    const known = new Set(candidates.map((c) => c.symbol));
    const unknown = req.symbols.filter((s) => !known.has(s.toUpperCase()));
    if (unknown.length > 0) {
      throw new AppError(
        'invalid_input',
        `unknown ${req.assetType} symbol(s): ${unknown.slice(0, 10).join(', ')}`,
      );
    }
  }
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => Number(c.id));
  const first = addDays(req.date, -days);
  const mentions = await loadMentions(sql, ids, scorer.version, addDays(first, -1), addDays(req.date, 1));
  const symbolOf = new Map(candidates.map((c) => [Number(c.id), c.symbol]));
  const names = Object.fromEntries(candidates.filter((c) => c.name).map((c) => [c.symbol, c.name!]));
  // Point in time: only articles whose session is within (date − days, date].
  const inWindow = mentions
    .map((m) => ({ ...m, session: sessionOf(req.assetType, m.published_at, m.date_only) }))
    .filter((m) => m.session > first && m.session <= req.date);

  // Score what the stored scores do not cover (new articles, or changed content).
  const byArticle = new Map<string, ScoreArticle>();
  for (const m of inWindow) {
    const id = String(m.article_id);
    const a = byArticle.get(id) ?? { id, title: m.title, text: m.text.slice(0, 4000), tickers: [], names };
    a.tickers.push(symbolOf.get(Number(m.asset_id))!);
    byArticle.set(id, a);
  }
  const fresh = new Map<string, { status: string; score: number | null; relevance: number | null }>();
  const stale: ScoreArticle[] = [];
  const hashes = new Map<string, string>();
  for (const a of byArticle.values()) {
    const hash = await contentHash(scorer.version, a);
    hashes.set(a.id, hash);
    if (inWindow.some((m) => String(m.article_id) === a.id && m.content_hash !== hash)) stale.push(a);
  }
  if (stale.length > 0) {
    const batch = await scorer.score(stale);
    for (const s of batch.scores) fresh.set(`${s.articleId}:${s.ticker}`, s);
    // Stored like the stage's scores, so the stage and the next shortlist do not pay for them again.
    const assetOf = new Map(candidates.map((c) => [c.symbol, Number(c.id)]));
    const placed = new Map(
      inWindow.map((m) => [`${m.article_id}:${symbolOf.get(Number(m.asset_id))}`, m.session]),
    );
    await storeScores(sql, null, scorer, batch.scores, (s) => ({
      assetId: assetOf.get(s.ticker)!,
      hash: hashes.get(s.articleId)!,
      session: placed.get(`${s.articleId}:${s.ticker}`)!,
    }));
  }

  const scored = candidates.map((c, i) => {
    const own = inWindow.filter((m) => Number(m.asset_id) === Number(c.id));
    const valid = own
      .map((m) => {
        const f = fresh.get(`${m.article_id}:${c.symbol}`);
        const s = f ?? { status: m.status, score: m.score, relevance: m.relevance };
        return s.status === 'valid' && s.score !== null
          ? { headline: m.title, score: s.score, relevance: s.relevance ?? 1, session: m.session }
          : null;
      })
      .filter((x) => x !== null);
    // Relevance-weighted, and older news counts less by the daily decay rule.
    let num = 0;
    let den = 0;
    for (const v of valid) {
      const w = v.relevance * decay(1, daysBetween(v.session, req.date));
      num += w * v.score;
      den += w;
    }
    const newsScore = den > 0 ? num / den : null;
    const base = 1 - i / candidates.length;
    return {
      symbol: c.symbol,
      assetId: Number(c.id),
      base_rank: i + 1,
      total: base + weight * (newsScore ?? 0),
      news_score: newsScore === null ? null : Math.round(newsScore * 1e6) / 1e6,
      article_count: valid.length,
      reasons: valid
        .sort((a, b) => Math.abs(b.score) * b.relevance - Math.abs(a.score) * a.relevance)
        .slice(0, MAX_REASONS),
    };
  });
  const ranked = [...scored].sort((a, b) => b.total - a.total || a.base_rank - b.base_rank);
  const rows = ranked.map((r, k) => ({ ...r, rank: k + 1 }));
  await sql.begin(async (tx) => {
    await tx`delete from sentiment_shortlists where list_id = ${req.listId} and as_of_date = ${req.date}`;
    await tx`insert into sentiment_shortlists ${tx(
      rows.map((r) => ({
        list_id: req.listId,
        as_of_date: req.date,
        asset_id: r.assetId,
        scorer_version: scorer.version,
        base_rank: r.base_rank,
        rank: r.rank,
        news_score: r.news_score,
        article_count: r.article_count,
        reasons: tx.json(r.reasons),
      })),
    )}`;
  });
  return rows.map(({ symbol, base_rank, rank, news_score, article_count, reasons }) => ({
    symbol,
    base_rank,
    rank,
    news_score,
    article_count,
    reasons,
  }));
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
