import { type RejectedRow, recordRejects, upsertBars } from '../../bars/store.ts';
import { addDays } from '../../calendar/index.ts';
import type { Asset, RawBar } from '../../domain/market.ts';
import { errorMessage } from '../../errors/index.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, PipelineContext, RunRow, StageHandler } from '../../pipeline/types.ts';
import { validateBar } from '../../providers/validate.ts';
import { resolveUniverse, upsertAssets } from '../../universes/index.ts';
import { assetsById } from '../load.ts';

/** Assets per ingest job: one provider batch. */
const CHUNK = 50;
/** Calendar days re-fetched before the run date, so a missed or revised recent bar is repaired. */
const DEFAULT_REPAIR_DAYS = 5;

/** Fetches each asset's bars from the configured providers in fallback order. */
export async function fetchWithFallback(
  ctx: PipelineContext,
  assets: readonly Asset[],
  from: string,
  to: string,
): Promise<{ bars: { bar: RawBar; source: string }[]; failures: Map<string, string> }> {
  const assetType = assets[0]?.asset_type;
  const bars: { bar: RawBar; source: string }[] = [];
  const failures = new Map<string, string>();
  if (!assetType) return { bars, failures };
  let pending = assets.map((a) => a.symbol);
  for (const provider of ctx.providers(assetType)) {
    if (pending.length === 0) break;
    try {
      const res = await provider.fetchDailyBars({ assetType, symbols: pending, from, to });
      const served = new Set<string>();
      for (const bar of res.bars) {
        if (!pending.includes(bar.symbol)) continue;
        bars.push({ bar, source: provider.id });
        served.add(bar.symbol);
      }
      for (const e of res.errors) failures.set(e.symbol, `${provider.id}: ${e.error}`);
      // A symbol a provider failed on goes to the next provider; served symbols are done.
      pending = pending.filter((s) => !served.has(s) && failures.has(s));
      for (const s of served) failures.delete(s);
    } catch (err) {
      for (const s of pending) failures.set(s, `${provider.id}: ${errorMessage(err)}`);
    }
  }
  return { bars, failures };
}

/** Ingest: fetch the run date's bars (and a few days before, to repair) into `daily_bars`. */
export const ingestStage: StageHandler = {
  stage: 'ingest',
  description: 'Fetches daily OHLCV bars from the configured providers into daily_bars',

  async plan(ctx: PipelineContext, run: RunRow) {
    let { universe, assets } = await resolveUniverse(ctx.sql, run.universe);
    if (universe.symbols === null) {
      // "All" universes follow what the first provider that can list assets knows.
      const lister = ctx.providers(universe.asset_type).find((p) => p.listAssets);
      if (lister?.listAssets) {
        await upsertAssets(ctx.sql, await lister.listAssets(universe.asset_type));
        ({ assets } = await resolveUniverse(ctx.sql, run.universe));
      }
    }
    return chunk(
      assets.map((a) => a.id),
      CHUNK,
    ).map((ids) => ({ asset_ids: ids }));
  },

  async process(ctx: PipelineContext, run: RunRow, payload): Promise<JobOutcome> {
    const assets = await assetsById(ctx.sql, payload.asset_ids as number[]);
    const repairDays = Number(run.params.repair_days ?? DEFAULT_REPAIR_DAYS);
    const from = typeof run.params.from === 'string' ? run.params.from : addDays(run.run_date, -repairDays);
    const { bars, failures } = await fetchWithFallback(ctx, assets, from, run.run_date);

    const valid = new Map<string, RawBar[]>();
    const rejects: RejectedRow[] = [];
    for (const { bar, source } of bars) {
      const reason = validateBar(bar);
      if (reason) {
        rejects.push({
          source,
          symbol: bar.symbol,
          assetType: assets[0]!.asset_type,
          date: bar.date,
          raw: bar,
          reason,
        });
      } else {
        const list = valid.get(source) ?? [];
        list.push(bar);
        valid.set(source, list);
      }
    }
    const idBySymbol = new Map(assets.map((a) => [a.symbol, a.id]));
    let written = 0;
    for (const [source, sourceBars] of valid)
      written += await upsertBars(ctx.sql, idBySymbol, sourceBars, source);
    await recordRejects(ctx.sql, rejects);

    return {
      counts: { bars_received: bars.length, bars_written: written, bars_rejected: rejects.length },
      assetErrors: [...failures].map(([symbol, error]) => ({ assetId: idBySymbol.get(symbol)!, error })),
    };
  },
};
