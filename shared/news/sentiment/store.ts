import type { Sql } from '../../db/client.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { MentionScore, SentimentScorer } from '../score/types.ts';

/** Upserts every score on (article, asset, scorer version); an answer replaces the one stored before. */
export async function storeScores(
  sql: Sql,
  runId: number | null,
  scorer: SentimentScorer,
  scores: MentionScore[],
  place: (s: MentionScore) => { assetId: number; hash: string; session: string },
): Promise<{ valid: number; invalid: number }> {
  const rows = scores.map((s) => {
    const p = place(s);
    return {
      article_id: Number(s.articleId),
      asset_id: p.assetId,
      scorer_version: scorer.version,
      scorer_kind: scorer.kind,
      status: s.status,
      score: s.score,
      relevance: s.relevance,
      impact: s.impact,
      reason: s.reason,
      cost_usd: s.costUsd,
      content_hash: p.hash,
      session_date: p.session,
      run_id: runId,
    };
  });
  for (const part of chunk(rows, 2000)) {
    await sql`
      insert into news_sentiment ${sql(part)}
      on conflict (article_id, asset_id, scorer_version) do update set
        scorer_kind = excluded.scorer_kind, status = excluded.status, score = excluded.score,
        relevance = excluded.relevance, impact = excluded.impact, reason = excluded.reason,
        cost_usd = excluded.cost_usd, content_hash = excluded.content_hash,
        session_date = excluded.session_date, run_id = excluded.run_id, scored_at = now()`;
  }
  const valid = scores.filter((s) => s.status === 'valid').length;
  return { valid, invalid: scores.length - valid };
}

/** A news mention with its article and the given scorer's stored answer, if any. */
export interface MentionRow {
  article_id: number;
  title: string;
  text: string;
  published_at: Date;
  date_only: boolean;
  asset_id: number;
  content_hash: string | null;
  status: string | null;
  score: number | null;
  relevance: number | null;
}

/**
 * The mentions of `assetIds` in articles published in [from, until) (dates), each with the scorer
 * version's stored answer; ordered by article and asset.
 */
export function loadMentions(
  sql: Sql,
  assetIds: readonly number[],
  version: string,
  from: string,
  until: string,
): Promise<MentionRow[]> {
  return sql<MentionRow[]>`
    select a.id as article_id, a.title, coalesce(nullif(a.body, ''), a.summary, '') as text, a.published_at,
           a.date_only, m.asset_id, s.content_hash, s.status, s.score, s.relevance
    from news_mentions m
    join news_articles a on a.id = m.article_id
    left join news_sentiment s
      on s.article_id = m.article_id and s.asset_id = m.asset_id and s.scorer_version = ${version}
    where m.asset_id = any(${assetIds as number[]}::bigint[])
      and a.published_at >= ${from}::date and a.published_at < ${until}::date
    order by a.id, m.asset_id`;
}
