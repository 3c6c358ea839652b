import { addDays, tradingDays } from '../../calendar/index.ts';
import type { Sql } from '../../db/client.ts';
import type { AssetType } from '../../domain/market.ts';
import { AppError } from '../../errors/index.ts';
import { contentHash } from '../../news/score/cache.ts';
import { createLexiconScorer } from '../../news/score/lexicon.ts';
import type { ScoreArticle, SentimentScorer } from '../../news/score/types.ts';
import { DECAY_HORIZON_DAYS, dailySentiment } from '../../news/sentiment/daily.ts';
import { sessionOf } from '../../news/sentiment/session.ts';
import { loadMentions, type MentionRow, storeScores } from '../../news/sentiment/store.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, PipelineContext, StageHandler } from '../../pipeline/types.ts';
import { resolveUniverse } from '../../universes/index.ts';
import { assetsById } from '../load.ts';
import { SentimentJob, SentimentParams } from './input.ts';

/** Assets per job: a day's news of 100 assets is a few hundred articles, a few dozen LLM calls. */
const ASSETS_PER_JOB = 100;
/** Characters of an article's text given to the scorer (the LLM trims further). */
const MAX_TEXT = 4000;

/** The scorer a context asks for: the configured one (LLM when a key is set), else the lexicon. */
export function sentimentScorer(ctx: PipelineContext): SentimentScorer {
  return ctx.sentiment?.scorer ?? createLexiconScorer();
}

/**
 * The `sentiment` stage: scores the news mentions of the universe's assets that the current scorer
 * has not scored with the same content (content hash), stores every answer (invalid ones with their
 * reason), then replaces the assets' daily point-in-time sentiment over the run's days.
 */
export const sentimentStage: StageHandler<SentimentParams, SentimentJob> = {
  stage: 'sentiment',
  description:
    'news sentiment: score new mentions (LLM when configured, else the finance lexicon) and aggregate daily',
  params: SentimentParams,
  payload: SentimentJob,

  async plan(ctx, run) {
    const { assets } = await resolveUniverse(ctx.sql, run.universe);
    const from = run.params.from ?? run.run_date;
    // Assets with news that can reach a day of the range: the decay horizon before it, up to the
    // articles published the day after (a day-only or after-close one counts for a later session).
    const rows = await ctx.sql<{ asset_id: number }[]>`
      select distinct m.asset_id from news_mentions m
      join news_articles a on a.id = m.article_id
      where m.asset_id = any(${assets.map((a) => a.id)}::bigint[])
        and a.published_at >= ${addDays(from, -DECAY_HORIZON_DAYS - 1)}::date
        and a.published_at < ${addDays(run.run_date, 2)}::date
      order by 1`;
    return chunk(
      rows.map((r) => Number(r.asset_id)),
      ASSETS_PER_JOB,
    ).map((ids) => ({ asset_ids: ids, from, to: run.run_date }));
  },

  async process(ctx, run, job): Promise<JobOutcome> {
    const scorer = sentimentScorer(ctx);
    const assets = await assetsById(ctx.sql, job.asset_ids);
    const assetType = assets[0]?.asset_type as AssetType | undefined;
    if (!assetType) return { counts: {}, assetErrors: [] };
    const symbolOf = new Map(assets.map((a) => [Number(a.id), a.symbol]));
    const names = Object.fromEntries(assets.filter((a) => a.name).map((a) => [a.symbol, a.name!]));
    const assetOf = new Map(assets.map((a) => [a.symbol, Number(a.id)]));
    const windowStart = addDays(job.from, -DECAY_HORIZON_DAYS - 1);
    const windowEnd = addDays(job.to, 2);

    const mentions = await loadMentions(ctx.sql, job.asset_ids, scorer.version, windowStart, windowEnd);

    // One scorer article per stored article, with the job's tickers it mentions.
    const articles = new Map<string, { article: ScoreArticle; row: MentionRow; stored: (string | null)[] }>();
    for (const m of mentions) {
      const id = String(m.article_id);
      const entry = articles.get(id) ?? {
        article: { id, title: m.title, text: m.text.slice(0, MAX_TEXT), tickers: [], names },
        row: m,
        stored: [],
      };
      entry.article.tickers.push(symbolOf.get(Number(m.asset_id))!);
      entry.stored.push(m.content_hash);
      articles.set(id, entry);
    }
    const toScore: ScoreArticle[] = [];
    const hashOf = new Map<string, string>();
    let cached = 0;
    for (const [id, e] of articles) {
      const hash = await contentHash(scorer.version, e.article);
      hashOf.set(id, hash);
      if (e.stored.every((h) => h === hash)) cached++;
      else toScore.push(e.article);
    }

    const budget = ctx.sentiment?.budgetUsd ?? null;
    const spent = budget === null ? 0 : await runSpend(ctx.sql, run.id);
    const batch = await scorer.score(toScore, { usd: budget === null ? null : Math.max(0, budget - spent) });
    const cost = batch.scores.reduce((s, x) => s + x.costUsd, 0);
    if (batch.requests > 0 || cost > 0) await addSpend(ctx.sql, run.id, batch, cost);
    const stored = await storeScores(ctx.sql, run.id, scorer, batch.scores, (s) => {
      const e = articles.get(s.articleId)!;
      return {
        assetId: assetOf.get(s.ticker)!,
        hash: hashOf.get(s.articleId)!,
        session: sessionOf(assetType, e.row.published_at, e.row.date_only),
      };
    });

    const assetErrors: JobOutcome['assetErrors'] = [];
    const retryable = batch.errors.find((e) => e.retryable);
    if (retryable) {
      // What was answered is stored; the retry finds it by hash and asks only for the rest.
      throw new AppError('provider_unavailable', retryable.error, { retryable: true });
    }
    const failedAssets = new Map<number, string>();
    for (const e of batch.errors) {
      for (const id of e.articleIds) {
        for (const t of articles.get(id)!.article.tickers) failedAssets.set(assetOf.get(t)!, e.error);
      }
    }
    for (const id of batch.skipped) {
      for (const t of articles.get(id)!.article.tickers) {
        failedAssets.set(
          assetOf.get(t)!,
          `sentiment budget of $${budget} spent: article ${id} left for a later run`,
        );
      }
    }
    for (const [assetId, error] of failedAssets) assetErrors.push({ assetId, error });

    const days = await writeDaily(ctx.sql, scorer.version, assetType, job);
    return {
      counts: {
        articles: articles.size,
        scored:
          toScore.length - batch.skipped.length - batch.errors.reduce((s, e) => s + e.articleIds.length, 0),
        cached,
        valid: stored.valid,
        invalid: stored.invalid,
        pending: batch.skipped.length,
        llm_requests: batch.requests,
        daily_rows: days,
      },
      assetErrors,
    };
  },
};

async function runSpend(sql: Sql, runId: number): Promise<number> {
  const [row] = await sql<{ usd: string | null }[]>`
    select summary ->> 'sentiment_cost_usd' as usd from pipeline_runs where id = ${runId}`;
  return Number(row?.usd ?? 0);
}

// One atomic update per job, so concurrent workers sum exactly (as the review stage's spend).
async function addSpend(
  sql: Sql,
  runId: number,
  batch: { tokensIn: number; tokensOut: number },
  usd: number,
): Promise<void> {
  await sql`
    update pipeline_runs
    set summary = summary || jsonb_build_object(
      'sentiment_tokens_in', coalesce((summary ->> 'sentiment_tokens_in')::bigint, 0) + ${batch.tokensIn}::bigint,
      'sentiment_tokens_out', coalesce((summary ->> 'sentiment_tokens_out')::bigint, 0) + ${batch.tokensOut}::bigint,
      'sentiment_cost_usd', coalesce((summary ->> 'sentiment_cost_usd')::numeric, 0) + ${usd}::numeric)
    where id = ${runId}`;
}

/**
 * Replaces the job's assets' daily rows over its trading days with what the stored valid scores of
 * this scorer version give (sessions up to each day only). Days with neither news nor a decayed
 * value get no row. Returns the rows written.
 */
async function writeDaily(
  sql: Sql,
  version: string,
  assetType: AssetType,
  job: SentimentJob,
): Promise<number> {
  const days = tradingDays(assetType, job.from, job.to);
  const scores = await sql<{ asset_id: number; session: string; score: number; relevance: number }[]>`
    select asset_id, session_date::text as session, score, relevance from news_sentiment
    where asset_id = any(${job.asset_ids}::bigint[]) and scorer_version = ${version} and status = 'valid'
      and session_date >= ${addDays(job.from, -DECAY_HORIZON_DAYS - 1)}::date and session_date <= ${job.to}::date
    order by asset_id, session_date`;
  const byAsset = new Map<number, { session: string; score: number; relevance: number }[]>();
  for (const s of scores) {
    const id = Number(s.asset_id);
    const list = byAsset.get(id) ?? [];
    list.push(s);
    byAsset.set(id, list);
  }
  const rows: Record<string, string | number | null>[] = [];
  for (const [assetId, list] of byAsset) {
    for (const d of dailySentiment(list, days)) {
      if (d.newsCount === 0 && d.decayed === null) continue;
      rows.push({
        asset_id: assetId,
        date: d.date,
        scorer_version: version,
        news_count: d.newsCount,
        mean: d.mean,
        weighted_mean: d.weightedMean,
        dispersion: d.dispersion,
        decayed: d.decayed,
        last_news_date: d.lastNewsDate,
      });
    }
  }
  await sql.begin(async (tx) => {
    await tx`
      delete from daily_sentiment
      where asset_id = any(${job.asset_ids}::bigint[]) and scorer_version = ${version}
        and date between ${job.from}::date and ${job.to}::date`;
    for (const part of chunk(rows, 5000)) await tx`insert into daily_sentiment ${tx(part)}`;
  });
  return rows.length;
}
