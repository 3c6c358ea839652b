import {
  type LedgerEntry,
  loadRecentCloses,
  recordLedger,
  screenLedger,
  upsertBars,
} from '../../bars/store.ts';
import { addDays, todayUtc, tradingDays } from '../../calendar/index.ts';
import type { Asset, AssetType, RawBar } from '../../domain/market.ts';
import { errorMessage } from '../../errors/index.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, PipelineContext, StageHandler, StageRun } from '../../pipeline/types.ts';
import { validateBar } from '../../providers/validate.ts';
import { screenBars } from '../../quality/screen.ts';
import { resolveUniverse, upsertAssets } from '../../universes/index.ts';
import { assetsById } from '../load.ts';
import { failureLines, fetchWithFallback, recordFailures } from './fallback.ts';
import { IngestJob, IngestParams } from './input.ts';

/** Assets per ingest job: one provider batch. */
const CHUNK = 50;

/** Ingest: fetch the run date's bars (and a few days before, to repair) into `daily_bars`. */
export const ingestStage: StageHandler<IngestParams, IngestJob> = {
  stage: 'ingest',
  description: 'Fetches daily OHLCV bars from the configured providers into daily_bars',
  params: IngestParams,
  payload: IngestJob,

  async plan(ctx, run) {
    let { universe, assets } = await resolveUniverse(ctx.sql, run.universe);
    if (universe.symbols === null) {
      // "All" universes follow what the first provider that can list assets knows.
      const lister = ctx.providers(universe.asset_type).find((p) => p.listAssets);
      if (lister?.listAssets) {
        await upsertAssets(ctx.sql, await lister.listAssets(universe.asset_type));
        ({ assets } = await resolveUniverse(ctx.sql, run.universe));
      }
    }
    const symbols = run.params.symbols ? new Set(run.params.symbols) : null;
    const ids = assets.filter((a) => !symbols || symbols.has(a.symbol)).map((a) => a.id);
    // A long backfill is cut into yearly windows too: small resumable jobs with visible progress.
    const windows =
      run.params.from !== undefined
        ? yearlyWindows(run.params.from, run.run_date)
        : [{ from: null, to: null }];
    return chunk(ids, CHUNK).flatMap((part) =>
      windows.map((w) => (w.from ? { asset_ids: part, from: w.from, to: w.to } : { asset_ids: part })),
    );
  },

  async process(ctx, run, payload): Promise<JobOutcome> {
    const assets = await assetsById(ctx.sql, payload.asset_ids);
    const assetType = assets[0]?.asset_type ?? null;
    const { from, to } = ingestWindow(ctx, run, payload);
    const { bars, failures } = await fetchWithFallback(ctx, assets, from, to);
    const recentCloses = await loadRecentCloses(ctx.sql, assets, from);
    const { accepted, rejected } = screenBars(bars, {
      today: todayUtc(),
      recentCloses,
      window: { from, to },
    });

    const idBySymbol = new Map(assets.map((a) => [a.symbol, a.id]));
    const bySource = new Map<string, RawBar[]>();
    for (const { bar, source } of accepted) {
      const list = bySource.get(source) ?? [];
      list.push(bar);
      bySource.set(source, list);
    }
    let written = 0;
    for (const [source, sourceBars] of bySource)
      written += await upsertBars(ctx.sql, idBySymbol, sourceBars, source);

    const ledger = screenLedger({ accepted, rejected }, assetType, idBySymbol);
    if (ctx.reconcile && assetType) {
      ledger.push(...(await reconcile(ctx, assetType, accepted, run.run_date, idBySymbol)));
    }
    await recordLedger(ctx.sql, ledger);
    await recordFailures(ctx.sql, run.id, failures);
    const lines = failureLines(failures);

    return {
      counts: {
        bars_received: bars.length,
        bars_written: written,
        bars_rejected: rejected.length,
        bars_flagged: ledger.filter((e) => e.kind === 'flagged').length,
        disagreements: ledger.filter((e) => e.kind === 'reconciliation').length,
        symbols_fallen_back: [...new Set(failures.filter((f) => f.served_by).map((f) => f.symbol))].length,
      },
      assetErrors: [...lines].map(([symbol, { error, kind }]) => ({
        assetId: idBySymbol.get(symbol)!,
        error,
        kind,
      })),
    };
  },

  /**
   * When the repair window stored new or revised bars before the run date, the following stages
   * recompute from the earliest such date: a revised bar updates features and signals downstream.
   */
  async afterRun(ctx, run): Promise<Record<string, number>> {
    const { assets } = await resolveUniverse(ctx.sql, run.universe);
    const [changed] = await ctx.sql<{ earliest: string | null }[]>`
      select min(date)::text as earliest from daily_bars
      where asset_id = any(${assets.map((a) => a.id)}::bigint[]) and ingested_at >= ${run.started_at}
        and date < ${run.run_date}::date`;
    const earliest = changed?.earliest;
    const current = run.params.from ?? run.run_date;
    const gaps = await recordGaps(ctx, run, assets);
    if (earliest && earliest < current) {
      await ctx.sql`
        update pipeline_runs set params = params || ${ctx.sql.json({ from: earliest })} where id = ${run.id}`;
      return { repaired_days: tradingDays(assets[0]!.asset_type, earliest, run.run_date).length - 1, gaps };
    }
    return { gaps };
  },
};

/** Closes further apart than this between two providers are a disagreement (a missed split, a stale bar). */
const CLOSE_TOLERANCE = 0.02;
/** Volumes differ by feed (consolidated vs one exchange), so only a gross mismatch is reported. */
const VOLUME_TOLERANCE = 0.5;

/**
 * Cross-checks the run date's bars against the next provider in the chain that can serve the same
 * symbols, recording disagreements in the ledger. Reconciliation failures never fail the job.
 */
async function reconcile(
  ctx: PipelineContext,
  assetType: AssetType,
  accepted: readonly { bar: RawBar; source: string }[],
  date: string,
  idBySymbol: ReadonlyMap<string, number>,
): Promise<LedgerEntry[]> {
  const today = accepted.filter((a) => a.bar.date === date);
  const entries: LedgerEntry[] = [];
  for (const source of new Set(today.map((a) => a.source))) {
    const other = ctx.providers(assetType).find((p) => p.id !== source);
    if (!other) continue;
    const mine = new Map(today.filter((a) => a.source === source).map((a) => [a.bar.symbol, a.bar]));
    let theirs: RawBar[] = [];
    try {
      const res = await other.fetchDailyBars({ assetType, symbols: [...mine.keys()], from: date, to: date });
      // Only a storable bar is a fair comparison; the other provider's bad bars are its own problem.
      theirs = res.bars.filter((b): b is RawBar => validateBar(b) === null);
    } catch (err) {
      ctx.log(`reconciliation with ${other.id} skipped: ${errorMessage(err)}`);
      continue;
    }
    for (const b of theirs) {
      const a = mine.get(b.symbol);
      if (!a || b.date !== date) continue;
      const closeGap = Math.abs(a.close / b.close - 1);
      const volumeGap =
        Math.max(a.volume, b.volume) > 0 ? Math.abs(a.volume - b.volume) / Math.max(a.volume, b.volume) : 0;
      const problems = [
        closeGap > CLOSE_TOLERANCE
          ? `close ${a.close} (${source}) vs ${b.close} (${other.id}): ${(closeGap * 100).toFixed(1)}% apart`
          : null,
        volumeGap > VOLUME_TOLERANCE ? `volume ${a.volume} (${source}) vs ${b.volume} (${other.id})` : null,
      ].filter((x): x is string => x !== null);
      if (problems.length > 0) {
        entries.push({
          kind: 'reconciliation',
          source: `${source}/${other.id}`,
          assetId: idBySymbol.get(a.symbol) ?? null,
          symbol: a.symbol,
          assetType,
          date,
          raw: { [source]: a, [other.id]: b },
          reason: problems.join('; '),
        });
      }
    }
  }
  return entries;
}

/**
 * Gap detection against the exchange calendar: trading days in the repair window (after the asset's
 * first stored bar) that still have no bar once the run is done go to the ledger as `gap`, once per
 * asset and date. Returns how many new gaps were found.
 */
async function recordGaps(
  ctx: PipelineContext,
  run: StageRun<IngestParams>,
  assets: readonly Asset[],
): Promise<number> {
  const assetType = assets[0]?.asset_type;
  if (!assetType) return 0;
  const start = run.params.from ?? addDays(run.run_date, -ctx.repairDays);
  const days = tradingDays(assetType, start, run.run_date);
  if (days.length === 0) return 0;
  const res = await ctx.sql`
    insert into data_quality_ledger (kind, source, asset_id, symbol, asset_type, date, raw, reason)
    select 'gap', 'calendar', a.id, a.symbol, a.asset_type, d.day::text, '{}'::jsonb,
      'no bar for a ' || ${assetType === 'crypto' ? 'calendar' : 'NYSE trading'} || ' day after the repair window was fetched'
    from assets a
    cross join unnest(${days}::date[]) as d(day)
    where a.id = any(${assets.map((x) => x.id)}::bigint[])
      and d.day > (select min(date) from daily_bars b where b.asset_id = a.id)
      and not exists (select 1 from daily_bars b where b.asset_id = a.id and b.date = d.day)
      and not exists (
        select 1 from data_quality_ledger q where q.asset_id = a.id and q.kind = 'gap' and q.date = d.day::text)
    on conflict do nothing`;
  return res.count;
}

/** [from, to] cut into consecutive windows of at most a year. */
export function yearlyWindows(from: string, to: string): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (let start = from; start <= to; start = addDays(start, 366)) {
    const end = addDays(start, 365);
    out.push({ from: start, to: end < to ? end : to });
  }
  return out;
}

/** The dates a job fetches: the payload's (a backfill chunk), the run's `from`, or the repair window. */
function ingestWindow(ctx: PipelineContext, run: StageRun<IngestParams>, payload: IngestJob) {
  const from =
    payload.from ?? run.params.from ?? addDays(run.run_date, -(run.params.repair_days ?? ctx.repairDays));
  const to = payload.to ?? run.run_date;
  return { from, to };
}
