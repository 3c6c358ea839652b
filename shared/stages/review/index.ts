import { tradingDays } from '../../calendar/index.ts';
import type { Sql } from '../../db/client.ts';
import type { AssetType } from '../../domain/market.ts';
import { errorMessage } from '../../errors/index.ts';
import { FEATURE_NAMES } from '../../features/catalogue.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, StageHandler } from '../../pipeline/types.ts';
import { reviewCost } from '../../review/pricing.ts';
import { inputHash, type Reviewer, type ReviewOutcome } from '../../review/reviewer.ts';
import type { ReviewInput, ReviewQualityFlag } from '../../review/types.ts';
import { resolveUniverse } from '../../universes/index.ts';
import { assetsById } from '../load.ts';
import { addSpend, budgetExhausted, runSpend, spendOf } from './budget.ts';
import { ReviewJob, ReviewParams } from './input.ts';
import { forEachConcurrently } from './pool.ts';

/**
 * Concurrency rounds per review job: a job holds 3 × STRATOS_REVIEW_CONCURRENCY assets (24 by default),
 * so every round is full and a job of ~2 s calls finishes in seconds, well inside its lease.
 */
const ROUNDS_PER_JOB = 3;
/** Bars of context given to the reviewer. */
const CONTEXT_BARS = 60;
/** Data-quality flags given to the reviewer: the latest ones on the bars' dates. */
const MAX_QUALITY_FLAGS = 20;

/**
 * The assets worth a review on a date, best first: of the universe's assets with features that day
 * (equities: only the top `equityTopN` by that day's 20-day dollar volume), those with signal facts
 * ranked by their strongest fact (then by number of facts), then those without; at most `limit`.
 */
export async function reviewCandidates(
  sql: Sql,
  universe: { assetType: AssetType; assetIds: readonly number[] },
  date: string,
  opts: { limit: number; equityTopN: number },
): Promise<number[]> {
  const topN = universe.assetType === 'equity' ? opts.equityTopN : null;
  const rows = await sql<{ asset_id: number }[]>`
    with eligible as (
      select f.asset_id from daily_features f
      where f.date = ${date} and f.asset_id = any(${universe.assetIds as number[]}::bigint[])
      order by f.dollar_vol_20 desc nulls last, f.asset_id
      limit ${topN}
    )
    select e.asset_id from eligible e
    left join lateral (
      select max(x.strength) as strength, count(*) as facts from daily_signal_facts x
      where x.asset_id = e.asset_id and x.date = ${date}
    ) s on true
    order by s.strength desc nulls last, s.facts desc, e.asset_id
    limit ${opts.limit}`;
  return rows.map((r) => r.asset_id);
}

/**
 * The assets among `assetIds` with a fresh signal on a date: a fact whose template did not fire on the
 * asset's previous stored day (the change feed's `new`).
 */
export async function freshSignalAssets(
  sql: Sql,
  assetIds: readonly number[],
  date: string,
): Promise<Set<number>> {
  const rows = await sql<{ asset_id: number }[]>`
    select distinct x.asset_id from daily_signal_facts x
    where x.date = ${date} and x.asset_id = any(${assetIds as number[]}::bigint[])
      and not exists (
        select 1 from daily_signal_facts o
        where o.asset_id = x.asset_id and o.template = x.template
          and o.date = (select max(p.date) from daily_features p where p.asset_id = x.asset_id and p.date < x.date))`;
  return new Set(rows.map((r) => r.asset_id));
}

/** Assembles what Stratos computed about an asset on a date: the reviewer's only facts. */
export async function loadReviewInput(
  sql: Sql,
  asset: ReviewInput['asset'],
  date: string,
  maxEntryAtr: number,
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
  // Distinct: a re-ingest may ledger the same finding again, which must not change the input's hash.
  const quality = await sql<ReviewQualityFlag[]>`
    select * from (
      select distinct date, kind, reason from data_quality_ledger
      where asset_id = ${asset.id} and date between ${bars[0]!.date} and ${date}
      order by date desc, kind, reason limit ${MAX_QUALITY_FLAGS}
    ) latest order by date, kind, reason`;
  return { asset, asOfDate: date, bars, features: { ...featureRow }, signals, quality, maxEntryAtr };
}

/** Upserts one review row, with its cost. */
async function storeReview(
  sql: Sql,
  assetId: number,
  date: string,
  reviewer: Reviewer,
  outcome: ReviewOutcome,
  hash: string,
  costUsd: number | null,
): Promise<void> {
  const r = outcome.review;
  const stored = r ?? { raw: outcome.raw, reasons: outcome.reasons };
  await sql`
    insert into asset_ai_reviews (asset_id, as_of_date, model, prompt_version, status, direction,
      attention_score, confidence, setup_type, summary, review, input_hash, tokens_in, tokens_out,
      latency_ms, attempts, cost_usd)
    values (${assetId}, ${date}, ${reviewer.model}, ${reviewer.promptVersion}, ${outcome.status},
      ${r?.direction ?? null}, ${r?.attention_score ?? null}, ${r?.confidence ?? null},
      ${r?.setup_type ?? null}, ${r?.summary ?? null}, ${sql.json(stored as never)}, ${hash},
      ${outcome.tokensIn}, ${outcome.tokensOut}, ${Math.round(outcome.latencyMs)}, ${outcome.attempts},
      ${costUsd}::numeric)
    on conflict (asset_id, as_of_date, model, prompt_version) do update
    set status = excluded.status, direction = excluded.direction,
        attention_score = excluded.attention_score, confidence = excluded.confidence,
        setup_type = excluded.setup_type, summary = excluded.summary, review = excluded.review,
        input_hash = excluded.input_hash, tokens_in = excluded.tokens_in,
        tokens_out = excluded.tokens_out, latency_ms = excluded.latency_ms,
        attempts = excluded.attempts, cost_usd = excluded.cost_usd, created_at = now()`;
}

/**
 * The days a run reviews: its date, and with `history` every `every`-th trading day before it down to
 * `history.from`, oldest first.
 */
export function reviewDates(
  assetType: AssetType,
  date: string,
  history?: ReviewParams['review_history'],
): string[] {
  if (!history) return [date];
  const days = tradingDays(assetType, history.from, date);
  if (days.at(-1) !== date) days.push(date);
  return days.filter((_, i) => (days.length - 1 - i) % history.every === 0);
}

/**
 * Review: ask the configured reviewer (LLM or rules) about the day's strongest candidates, several at
 * once, within the run's budget. A cached input costs nothing; a candidate the budget cannot pay for
 * is left pending (review_pending) and the run ends partial with the reason in its summary.
 */
export const reviewStage: StageHandler<ReviewParams, ReviewJob> = {
  stage: 'review',
  description: 'Reviews the assets with the strongest signals and stores asset_ai_reviews',
  params: ReviewParams,
  payload: ReviewJob,

  async plan(ctx, run) {
    const { universe, assets } = await resolveUniverse(ctx.sql, run.universe);
    const jobs: ReviewJob[] = [];
    const history = run.params.review_history;
    for (const date of reviewDates(universe.asset_type, run.run_date, history)) {
      const limit = date === run.run_date ? (run.params.limit ?? ctx.reviewLimit) : history!.limit;
      const ids = await reviewCandidates(
        ctx.sql,
        { assetType: universe.asset_type, assetIds: assets.map((a) => a.id) },
        date,
        { limit, equityTopN: ctx.review.equityTopN },
      );
      for (const part of chunk(ids, ROUNDS_PER_JOB * ctx.review.concurrency)) {
        jobs.push(date === run.run_date ? { asset_ids: part } : { asset_ids: part, date });
      }
    }
    // A rerun starts with a fresh budget: what the last attempt left pending is planned again.
    await ctx.sql`delete from review_pending where run_id = ${run.id}`;
    return jobs;
  },

  async process(ctx, run, payload): Promise<JobOutcome> {
    const { sql, reviewer, review: settings } = ctx;
    const date = payload.date ?? run.run_date;
    const ids = payload.asset_ids;
    const cheap = settings.cheapReviewer;
    const fresh = cheap ? await freshSignalAssets(sql, ids, date) : null;
    const counts = {
      reviewed: 0,
      cached: 0,
      invalid: 0,
      retried: 0,
      pending: 0,
      cheap: 0,
      unpriced: 0,
      no_data: 0,
    };
    const assetErrors: JobOutcome['assetErrors'] = [];
    const pending: { run_id: number; asset_id: number; reason: string }[] = [];

    // Payload order is rank order: when the budget runs out mid-job, the stronger candidates were paid for.
    const rank = new Map(ids.map((id, i) => [id, i]));
    const assets = (await assetsById(sql, ids)).sort((x, y) => rank.get(x.id)! - rank.get(y.id)!);
    await forEachConcurrently(assets, settings.concurrency, async (a) => {
      try {
        const asset = { id: a.id, symbol: a.symbol, assetType: a.asset_type, name: a.name };
        const input = await loadReviewInput(sql, asset, date, settings.maxEntryAtr);
        if (!input) {
          counts.no_data++;
          return;
        }
        const useCheap = cheap !== null && fresh !== null && !fresh.has(a.id);
        const chosen = useCheap ? cheap : reviewer;
        const hash = await inputHash(input, chosen.model, chosen.promptVersion);
        const [cached] = await sql<{ status: 'valid' | 'invalid' }[]>`
          select status from asset_ai_reviews
          where asset_id = ${a.id} and as_of_date = ${date} and model = ${chosen.model}
            and prompt_version = ${chosen.promptVersion} and input_hash = ${hash}`;
        // An invalid answer (cut off, ungrounded) is cached like a valid one, so a rerun does not pay
        // for it again, unless the run asks again; the new answer then replaces it under the same key.
        const retry = cached?.status === 'invalid' && run.params.retry_invalid === true;
        if (cached && !retry) {
          counts.cached++;
          return;
        }
        if (settings.budgetUsd !== null || settings.budgetTokens !== null) {
          const exhausted = budgetExhausted(await runSpend(sql, run.id), settings);
          if (exhausted) {
            pending.push({ run_id: run.id, asset_id: a.id, reason: exhausted });
            counts.pending++;
            return;
          }
        }
        const outcome = await chosen.review(input);
        const cost = reviewCost(settings.priceOf(chosen.model), outcome.tokensIn, outcome.tokensOut);
        if (outcome.tokensIn + outcome.tokensOut > 0) {
          await addSpend(sql, run.id, outcome.tokensIn, outcome.tokensOut, cost);
        }
        await storeReview(sql, a.id, date, chosen, outcome, hash, cost);
        counts.reviewed++;
        if (retry) counts.retried++;
        if (outcome.status === 'invalid') counts.invalid++;
        if (useCheap) counts.cheap++;
        if (cost === null) counts.unpriced++;
      } catch (err) {
        assetErrors.push({ assetId: a.id, error: errorMessage(err) });
      }
    });

    if (pending.length > 0) {
      await sql`
        insert into review_pending ${sql(pending, 'run_id', 'asset_id', 'reason')}
        on conflict (run_id, asset_id) do update set reason = excluded.reason, created_at = now()`;
    }
    return { counts, assetErrors };
  },

  // The run's totals are its recorded spend; candidates left pending make it partial, with the reason.
  async afterRun(ctx, run) {
    const spend = spendOf(run.summary);
    const pending = Number(run.summary.pending ?? 0);
    const unpriced = Number(run.summary.unpriced ?? 0);
    const notes: Record<string, string> = {};
    if (pending > 0) {
      const why = budgetExhausted(spend, ctx.review) ?? 'review budget exhausted';
      notes.error =
        `${why}: ${pending} candidate(s) left pending; ` +
        'rerun the review stage with a larger budget to review them';
    }
    if (unpriced > 0) {
      notes.cost_note =
        `${unpriced} review(s) by a model without a known price have cost_usd null and are not in ` +
        'cost_usd; set STRATOS_REVIEW_PRICE_IN/OUT';
    }
    if (Object.keys(notes).length > 0) {
      await ctx.sql`
        update pipeline_runs
        set summary = summary || ${ctx.sql.json(notes)},
            status = case when ${pending > 0} then 'partial' else status end
        where id = ${run.id}`;
      ctx.log(`review ${run.universe} ${run.run_date}: ${Object.values(notes).join('; ')}`);
    }
    return { tokens_in: spend.tokensIn, tokens_out: spend.tokensOut, cost_usd: spend.usd };
  },
};
