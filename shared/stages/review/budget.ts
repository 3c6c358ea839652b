import type { Sql } from '../../db/client.ts';
import type { ReviewSettings } from '../../review/settings.ts';

// A run's spend lives in its pipeline_runs.summary (tokens_in, tokens_out, cost_usd): every worker adds
// to the same row with one atomic update, and checks it before each call. Calls already in flight when
// the budget runs out still complete, so a run overshoots by at most what those calls cost.

/** What a run has spent on reviews so far. */
export interface Spend {
  tokensIn: number;
  tokensOut: number;
  usd: number;
}

/** The spend recorded in a run summary (zero for a run that has not paid for anything). */
export function spendOf(summary: Record<string, unknown>): Spend {
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return { tokensIn: n(summary.tokens_in), tokensOut: n(summary.tokens_out), usd: n(summary.cost_usd) };
}

/** Why a run with this spend may start no more reviews, or null while its budget lasts. */
export function budgetExhausted(
  spend: Spend,
  limits: Pick<ReviewSettings, 'budgetUsd' | 'budgetTokens'>,
): string | null {
  const spent: string[] = [];
  if (limits.budgetUsd !== null && spend.usd >= limits.budgetUsd) {
    spent.push(`USD ${spend.usd} of ${limits.budgetUsd}`);
  }
  const tokens = spend.tokensIn + spend.tokensOut;
  if (limits.budgetTokens !== null && tokens >= limits.budgetTokens) {
    spent.push(`${tokens} of ${limits.budgetTokens} tokens`);
  }
  return spent.length > 0 ? `review budget exhausted (${spent.join(', ')} spent)` : null;
}

/** The run's spend as every worker has recorded it so far. */
export async function runSpend(sql: Sql, runId: number): Promise<Spend> {
  const [row] = await sql<{ summary: Record<string, unknown> }[]>`
    select summary from pipeline_runs where id = ${runId}`;
  return spendOf(row?.summary ?? {});
}

/** Adds one review's tokens and cost to its run in one atomic update, so concurrent workers sum exactly. */
export async function addSpend(
  sql: Sql,
  runId: number,
  tokensIn: number,
  tokensOut: number,
  usd: number | null,
): Promise<void> {
  await sql`
    update pipeline_runs
    set summary = summary || jsonb_build_object(
      'tokens_in', coalesce((summary ->> 'tokens_in')::bigint, 0) + ${tokensIn}::bigint,
      'tokens_out', coalesce((summary ->> 'tokens_out')::bigint, 0) + ${tokensOut}::bigint,
      'cost_usd', coalesce((summary ->> 'cost_usd')::numeric, 0) + ${usd ?? 0}::numeric)
    where id = ${runId}`;
}
