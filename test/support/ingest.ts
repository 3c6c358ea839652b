import { drainUntilIdle } from '../../scripts/local/session.ts';
import { listRuns, triggerRun } from '../../shared/api/service.ts';
import type { AssetType, RawBar } from '../../shared/domain/market.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { upsertAssets } from '../../shared/universes/index.ts';

// The ingest suites' shared steps: a universe of fixture symbols, one ingest run drained to the end,
// and the bars it stored.

/** Adds `symbols` as assets and a universe `id` of exactly them. */
export async function fixtureUniverse(
  ctx: PipelineContext,
  id: string,
  assetType: AssetType,
  symbols: string[],
): Promise<void> {
  await upsertAssets(
    ctx.sql,
    symbols.map((symbol) => ({ symbol, assetType, name: symbol })),
  );
  await ctx.sql`
    insert into universes (id, name, asset_type, symbols) values (${id}, ${id}, ${assetType}, ${symbols})`;
}

/** Triggers an ingest of `universe` for `date` (from `from` when given), drains it and returns the run. */
export async function ingestUniverse(ctx: PipelineContext, universe: string, date: string, from?: string) {
  await triggerRun(ctx, { stage: 'ingest', universe, date, ...(from ? { from } : {}) });
  await drainUntilIdle(ctx, 'ingest-test');
  const [run] = await listRuns(ctx, {});
  return run!;
}

/** The stored bars with their source, by symbol and date; only those of `symbols` when given. */
export async function storedBars(ctx: PipelineContext, symbols?: string[]) {
  return ctx.sql<(RawBar & { source: string })[]>`
    select a.symbol, b.date::text as date, b.open, b.high, b.low, b.close, b.volume, b.source
    from daily_bars b join assets a on a.id = b.asset_id
    where ${symbols === undefined} or a.symbol = any(${symbols ?? []})
    order by a.symbol, b.date`;
}
