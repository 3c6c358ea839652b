import { drainUntilIdle } from '../../scripts/local/session.ts';
import type { RunView } from '../../shared/api/contracts/runs.ts';
import { listRuns, triggerRun } from '../../shared/api/service.ts';
import { createContext, type Env } from '../../shared/config.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { DEFAULT_MAX_ENTRY_ATR } from '../../shared/review/reviewer.ts';
import { createRulesReviewer } from '../../shared/review/rules.ts';
import type { AiReview } from '../../shared/review/schema.ts';
import { loadReviewInput, reviewCandidates } from '../../shared/stages/review/index.ts';
import { resolveUniverse } from '../../shared/universes/index.ts';
import type { TestDatabase } from '../support/db.ts';
import type { FakeRequest } from '../support/fake-openai.ts';
import { TEST_DATE } from '../support/pipeline.ts';

// Test support for the review stage against the fake OpenAI server.

/** A grounded answer (the rules reviewer's) for every asset of a universe on TEST_DATE, by symbol. */
export async function groundedAnswers(
  ctx: PipelineContext,
  universe: string,
): Promise<Map<string, AiReview>> {
  const rules = createRulesReviewer();
  const answers = new Map<string, AiReview>();
  for (const a of (await resolveUniverse(ctx.sql, universe)).assets) {
    const asset = { id: a.id, symbol: a.symbol, assetType: a.asset_type, name: a.name };
    const input = await loadReviewInput(ctx.sql, asset, TEST_DATE, DEFAULT_MAX_ENTRY_ATR);
    const review = input && (await rules.review(input)).review;
    if (review) answers.set(a.symbol, review);
  }
  return answers;
}

/** The symbol a review request is about: the prompt's first line is `Asset: SYMBOL (...)`. */
export function symbolOf(request: FakeRequest): string {
  return /^Asset: (\S+)/m.exec(request.body.messages[1].content)?.[1] ?? '';
}

/** A context on the test database whose reviewer is the OpenAI SDK pointed at `baseURL`. */
export function llmContext(db: TestDatabase, baseURL: string, env: Env = {}): PipelineContext {
  return createContext(
    { DATABASE_URL: db.url, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: baseURL, ...env },
    { sql: db.sql },
  );
}

/** Runs (or reruns) the review stage for a universe on TEST_DATE through the queue; the finished run. */
export async function runReview(
  ctx: PipelineContext,
  universe: string,
  limit: number,
  workers = 1,
): Promise<RunView> {
  const [run] = await triggerRun(ctx, { stage: 'review', date: TEST_DATE, universe, limit });
  await drainUntilIdle(ctx, 'review-test', workers);
  return (await listRuns(ctx, { ids: [run!.id] }))[0]!;
}

/** The crypto_all assets the review stage picks on TEST_DATE with `limit`, strongest first. */
export async function cryptoCandidates(
  ctx: PipelineContext,
  limit: number,
): Promise<{ id: number; symbol: string }[]> {
  const { assets } = await resolveUniverse(ctx.sql, 'crypto_all');
  const ids = await reviewCandidates(
    ctx.sql,
    { assetType: 'crypto', assetIds: assets.map((a) => a.id) },
    TEST_DATE,
    { limit, equityTopN: 500 },
  );
  return ids.map((id) => ({ id, symbol: assets.find((a) => a.id === id)!.symbol }));
}
