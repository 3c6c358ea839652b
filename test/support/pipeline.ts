import { drainUntilIdle } from '../../scripts/local/session.ts';
import { triggerRun } from '../../shared/api/service.ts';
import { createContext } from '../../shared/config.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { TEST_KEYS } from './auth.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

/** A Friday with a full week before it: the date the pipeline tests run for. */
export const TEST_DATE = '2026-11-20';
/** Enough calendar days of demo history for 200-day averages on equities. */
export const TEST_HISTORY_FROM = '2025-09-01';

/** A fresh database with a context using the offline demo providers and the rules reviewer. */
export async function createPipelineFixture(): Promise<{ db: TestDatabase; ctx: PipelineContext }> {
  const db = await createTestDatabase();
  const ctx = createContext(
    { DATABASE_URL: db.url, STRATOS_REVIEW_LIMIT: '10', ...TEST_KEYS },
    { sql: db.sql },
  );
  return { db, ctx };
}

/** Loads demo history and runs the whole pipeline for TEST_DATE through the queue. */
export async function seedAndRun(ctx: PipelineContext): Promise<void> {
  await triggerRun(ctx, { stage: 'pipeline', date: TEST_DATE, from: TEST_HISTORY_FROM });
  await drainUntilIdle(ctx, 'test-worker');
}

/** Rows of the stage output tables, without write timestamps, for before/after comparisons. */
export async function snapshot(ctx: PipelineContext) {
  const { sql } = ctx;
  return {
    bars: await sql`select asset_id, date::text, open, high, low, close, volume, source from daily_bars order by 1, 2`,
    features: await sql`select * from daily_features order by asset_id, date`.then((rows) =>
      rows.map(({ computed_at: _, ...r }) => r),
    ),
    facts: await sql`
      select asset_id, date::text, template, template_version, direction, strength, evidence
      from daily_signal_facts order by 1, 2, 3`,
    reviews: await sql`
      select asset_id, as_of_date::text, model, prompt_version, status, direction, attention_score, confidence,
        setup_type, summary, review, input_hash
      from asset_ai_reviews order by 1, 2, 3`,
    sentiment: await sql`
      select article_id, asset_id, scorer_version, status, score, relevance, impact, reason, content_hash,
        session_date::text
      from news_sentiment order by 1, 2, 3`,
    dailySentiment: await sql`
      select asset_id, date::text, scorer_version, news_count, mean, weighted_mean, dispersion, decayed,
        last_news_date::text
      from daily_sentiment order by 1, 2, 3`,
  };
}
