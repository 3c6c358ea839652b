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
