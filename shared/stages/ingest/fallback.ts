import type { Sql } from '../../db/client.ts';
import type { Asset } from '../../domain/market.ts';
import { AppError, errorMessage } from '../../errors/index.ts';
import type { PipelineContext } from '../../pipeline/types.ts';
import type { IncomingBar } from '../../providers/types.ts';

/** One provider failing one symbol, and which later provider served it (null: none did). */
export interface ProviderFailure {
  provider: string;
  symbol: string;
  error: string;
  retryable: boolean;
  served_by: string | null;
}

/** What the provider chain delivered for a job's assets. */
export interface FetchOutcome {
  /** Every bar each symbol's serving provider parsed, for the screen. */
  bars: { bar: IncomingBar; source: string }[];
  /** Every provider failure on the way, in chain order, served or not. */
  failures: ProviderFailure[];
}

/**
 * Fetches each asset's bars from the configured providers in fallback order: a symbol a provider
 * fails on goes to the next one. Every failure is kept, also for symbols a later provider served,
 * so the run records its fallbacks instead of reporting a clean success.
 */
export async function fetchWithFallback(
  ctx: PipelineContext,
  assets: readonly Asset[],
  from: string,
  to: string,
): Promise<FetchOutcome> {
  const assetType = assets[0]?.asset_type;
  const bars: FetchOutcome['bars'] = [];
  const failures: ProviderFailure[] = [];
  if (!assetType) return { bars, failures };
  let pending = assets.map((a) => a.symbol);
  for (const provider of ctx.providers(assetType)) {
    if (pending.length === 0) break;
    const failed = new Map<string, { error: string; retryable: boolean }>();
    const served = new Set<string>();
    try {
      const res = await provider.fetchDailyBars({ assetType, symbols: pending, from, to });
      for (const e of res.errors) failed.set(e.symbol, { error: e.error, retryable: e.retryable ?? false });
      const wanted = new Set(pending);
      for (const bar of res.bars) {
        // A symbol is served by one provider, whole: its bars and an error from the same provider do not mix.
        if (!wanted.has(bar.symbol) || failed.has(bar.symbol)) continue;
        bars.push({ bar, source: provider.id });
        served.add(bar.symbol);
      }
    } catch (err) {
      const retryable = err instanceof AppError && err.retryable;
      for (const s of pending) failed.set(s, { error: errorMessage(err), retryable });
    }
    for (const [symbol, f] of failed) {
      if (!served.has(symbol)) failures.push({ provider: provider.id, symbol, ...f, served_by: null });
    }
    for (const f of failures) if (served.has(f.symbol)) f.served_by = provider.id;
    pending = pending.filter((s) => !served.has(s) && failed.has(s));
  }
  return { bars, failures };
}

/**
 * Per-asset entries for the run's error list: a symbol no provider served is an `error` listing
 * each provider's (`polygon: ...; alpaca: ...`); a symbol served after a fallback keeps a `fallback`
 * note naming the providers that failed, whether retrying could help, and who served it.
 */
export function failureLines(
  failures: readonly ProviderFailure[],
): Map<string, { error: string; kind: 'error' | 'fallback' }> {
  const bySymbol = new Map<string, ProviderFailure[]>();
  for (const f of failures) bySymbol.set(f.symbol, [...(bySymbol.get(f.symbol) ?? []), f]);
  const lines = new Map<string, { error: string; kind: 'error' | 'fallback' }>();
  for (const [symbol, list] of bySymbol) {
    const servedBy = list[0]!.served_by;
    const tried = list.map((f) =>
      servedBy === null
        ? `${f.provider}: ${f.error}`
        : `${f.provider} failed (${f.retryable ? 'retryable' : 'not retryable'}): ${f.error}`,
    );
    lines.set(
      symbol,
      servedBy === null
        ? { error: tried.join('; '), kind: 'error' }
        : { error: `fallback: ${tried.join('; ')}; served by ${servedBy}`, kind: 'fallback' },
    );
  }
  return lines;
}

/**
 * Adds a job's provider failures to its run's `summary.fallbacks`, in one atomic update (jobs of a
 * run finish concurrently); a job that runs again adds nothing new, so the list stays the same.
 */
export async function recordFailures(
  sql: Sql,
  runId: number,
  failures: readonly ProviderFailure[],
): Promise<void> {
  if (failures.length === 0) return;
  await sql`
    update pipeline_runs
    set summary = summary || jsonb_build_object('fallbacks', (
      select coalesce(jsonb_agg(f order by f->>'symbol', f->>'provider', f->>'error'), '[]'::jsonb)
      from (
        select distinct f
        from jsonb_array_elements(coalesce(summary->'fallbacks', '[]'::jsonb) || ${sql.json(failures as never)}::jsonb) f
      ) d))
    where id = ${runId}`;
}
