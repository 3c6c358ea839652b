import type { Sql } from '../../db/client.ts';
import { errorMessage } from '../../errors/index.ts';
import { FEATURE_NAMES } from '../../features/catalogue.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, PipelineContext, RunRow, StageHandler } from '../../pipeline/types.ts';
import { inputHash } from '../../review/reviewer.ts';
import type { ReviewInput } from '../../review/types.ts';
import { resolveUniverse } from '../../universes/index.ts';
import { assetsById } from '../load.ts';

/** Assets per review job: LLM calls are slow, so jobs stay small enough for one invocation. */
const CHUNK = 5;
/** Bars of context given to the reviewer. */
const CONTEXT_BARS = 60;

/**
 * The assets worth a review on a date: those with signal facts, strongest first (then by number of
 * facts), so a limited budget goes to what matters.
 */
export async function reviewCandidates(
  sql: Sql,
  assetIds: readonly number[],
  date: string,
  limit: number,
): Promise<number[]> {
  const rows = await sql<{ asset_id: number }[]>`
    select asset_id from daily_signal_facts
    where date = ${date} and asset_id = any(${assetIds as number[]}::bigint[])
    group by asset_id
    order by max(strength) desc, count(*) desc, asset_id
    limit ${limit}`;
  return rows.map((r) => r.asset_id);
}

/** Assembles what Stratos computed about an asset on a date: the reviewer's only facts. */
export async function loadReviewInput(
  sql: Sql,
  asset: ReviewInput['asset'],
  date: string,
): Promise<ReviewInput | null> {
  const bars = await sql<ReviewInput['bars']>`
    select * from (
      select date::text as date, open, high, low, close, volume from daily_bars
      where asset_id = ${asset.id} and date <= ${date} order by date desc limit ${CONTEXT_BARS}
    ) recent order by date`;
  const [featureRow] = await sql<Record<string, number | null>[]>`
    select ${sql(FEATURE_NAMES)} from daily_features where asset_id = ${asset.id} and date = ${date}`;
  if (bars.length === 0 || !featureRow) return null;
  const signals = await sql<ReviewInput['signals']>`
    select template, direction, strength, evidence from daily_signal_facts
    where asset_id = ${asset.id} and date = ${date} order by strength desc, template`;
  return { asset, asOfDate: date, bars, features: { ...featureRow }, signals };
}

/** Review: ask the configured reviewer (LLM or rules) about the day's strongest candidates. */
export const reviewStage: StageHandler = {
  stage: 'review',
  description: 'Reviews the assets with the strongest signals and stores asset_ai_reviews',

  async plan(ctx: PipelineContext, run: RunRow) {
    const { assets } = await resolveUniverse(ctx.sql, run.universe);
    const limit = Number(run.params.limit ?? ctx.reviewLimit);
    const ids = await reviewCandidates(
      ctx.sql,
      assets.map((a) => a.id),
      run.run_date,
      limit,
    );
    return chunk(ids, CHUNK).map((part) => ({ asset_ids: part }));
  },

  async process(ctx: PipelineContext, run: RunRow, payload): Promise<JobOutcome> {
    const { sql, reviewer } = ctx;
    const counts = { reviewed: 0, cached: 0, invalid: 0, tokens_in: 0, tokens_out: 0 };
    const assetErrors: JobOutcome['assetErrors'] = [];
    for (const a of await assetsById(sql, payload.asset_ids as number[])) {
      try {
        const input = await loadReviewInput(
          sql,
          { id: a.id, symbol: a.symbol, assetType: a.asset_type, name: a.name },
          run.run_date,
        );
        if (!input) continue;
        const hash = await inputHash(input, reviewer.model, reviewer.promptVersion);
        const [cached] = await sql`
          select 1 from asset_ai_reviews
          where asset_id = ${a.id} and as_of_date = ${run.run_date} and model = ${reviewer.model}
            and prompt_version = ${reviewer.promptVersion} and input_hash = ${hash}`;
        if (cached) {
          counts.cached++;
          continue;
        }
        const outcome = await reviewer.review(input);
        const r = outcome.review;
        const stored = r ?? { raw: outcome.raw, reasons: outcome.reasons };
        await sql`
          insert into asset_ai_reviews (asset_id, as_of_date, model, prompt_version, status, direction,
            attention_score, confidence, setup_type, summary, review, input_hash, tokens_in, tokens_out,
            latency_ms, attempts)
          values (${a.id}, ${run.run_date}, ${reviewer.model}, ${reviewer.promptVersion}, ${outcome.status},
            ${r?.direction ?? null}, ${r?.attention_score ?? null}, ${r?.confidence ?? null},
            ${r?.setup_type ?? null}, ${r?.summary ?? null}, ${sql.json(stored as never)}, ${hash},
            ${outcome.tokensIn}, ${outcome.tokensOut}, ${Math.round(outcome.latencyMs)}, ${outcome.attempts})
          on conflict (asset_id, as_of_date, model, prompt_version) do update
          set status = excluded.status, direction = excluded.direction,
              attention_score = excluded.attention_score, confidence = excluded.confidence,
              setup_type = excluded.setup_type, summary = excluded.summary, review = excluded.review,
              input_hash = excluded.input_hash, tokens_in = excluded.tokens_in,
              tokens_out = excluded.tokens_out, latency_ms = excluded.latency_ms,
              attempts = excluded.attempts, created_at = now()`;
        counts.reviewed++;
        if (outcome.status === 'invalid') counts.invalid++;
        counts.tokens_in += outcome.tokensIn;
        counts.tokens_out += outcome.tokensOut;
      } catch (err) {
        assetErrors.push({ assetId: a.id, error: errorMessage(err) });
      }
    }
    return { counts, assetErrors };
  },
};
