import { loadBarSeries } from '../../bars/store.ts';
import type { Sql } from '../../db/client.ts';
import type { BarSeries } from '../../domain/market.ts';
import { computeFeatures } from '../../features/compute.ts';
import type { FeatureOptions } from '../../features/types.ts';
import { KernelState } from '../../indicators/state.ts';
import type { JobOutcome, StageHandler, StageRun } from '../../pipeline/types.ts';
import { resolveUniverse } from '../../universes/index.ts';
import { assetsById } from '../load.ts';
import { FeaturesJob, FeaturesParams } from './input.ts';
import { attachUniverseRanks, dropUniverseRanks, planUniverseRanks } from './ranks.ts';
import {
  FEATURE_STATE_VERSION,
  loadFeatureStates,
  type ResumePlan,
  resumePlan,
  STATE_TAIL_BARS,
  type StateToStore,
  type StoredState,
  storeFeatureStates,
} from './state.ts';
import { type FeatureBlock, upsertFeatureBlocks } from './write.ts';

/**
 * Bars of history one features job computes over. A job's CPU is in computing the catalogue over each
 * asset's full history (about 1.6 us a bar) and, for a range, encoding its rows (less than that a row),
 * so jobs are cut by history rather than by asset count: 16 assets of 5 years, or 40 of 2 years, or 2
 * with 20 years of crypto. Measured on the 5,000 x 2-year bench: 30,000 bars took 150 ms of CPU at the
 * median and 260 ms at most, over the 250 ms job share of the default budget; 20,000 keep inside it.
 */
const BARS_PER_JOB = 20_000;
/** Assets per job at most, however short their histories (each asset has a fixed cost too). */
const MAX_ASSETS_PER_JOB = 200;

/** Calendar days a stored state may lag the run's first day and still likely resume (a planning estimate). */
const RESUME_PLAN_DAYS = 28;

/**
 * Cuts `assets` (in order) into jobs of at most BARS_PER_JOB estimated bars up to `to`. A bar count per
 * asset would read every index entry; the first bar's date is one probe, and the calendar days since
 * then (times the share of days that trade) bound the bars from above. An asset with a stored state
 * shortly before `from` will most likely resume on its last STATE_TAIL_BARS bars, and counts as those.
 */
async function chunkByHistory(
  sql: Sql,
  assets: readonly { id: number; asset_type: string }[],
  from: string,
  to: string,
): Promise<number[][]> {
  const days = await sql<{ days: number | null; resumes: boolean }[]>`
    select ${to}::date - (select min(b.date) from daily_bars b where b.asset_id = a.id) + 1 as days,
           exists (select 1 from feature_state s where s.asset_id = a.id and s.version = ${FEATURE_STATE_VERSION}
                   and s.date < ${from}::date and s.date >= ${from}::date - ${RESUME_PLAN_DAYS}::int) as resumes
    from unnest(${assets.map((a) => a.id)}::bigint[]) with ordinality as a(id, k)
    order by a.k`;
  const jobs: number[][] = [];
  let current: number[] = [];
  let bars = 0;
  assets.forEach((asset, i) => {
    const tradingShare = asset.asset_type === 'crypto' ? 1 : 252 / 365;
    const history = Math.ceil(Math.max(0, days[i]?.days ?? 0) * tradingShare);
    const cost = days[i]?.resumes ? Math.min(history, STATE_TAIL_BARS) : history;
    if (current.length > 0 && (bars + cost > BARS_PER_JOB || current.length >= MAX_ASSETS_PER_JOB)) {
      jobs.push(current);
      current = [];
      bars = 0;
    }
    current.push(asset.id);
    bars += cost;
  });
  if (current.length > 0) jobs.push(current);
  return jobs;
}

/** Bars [start, end) of `dates` dated within [from, to]. */
function rowsWithin(dates: readonly string[], from: string, to: string): { start: number; end: number } {
  let start = 0;
  while (start < dates.length && dates[start]! < from) start++;
  let end = start;
  while (end < dates.length && dates[end]! <= to) end++;
  return { start, end };
}

/**
 * Computes the asset-scoped catalogue for one asset and picks the rows dated within [from, to], recording
 * the recursive kernels' state after its last bar. Without `resume`, `series` is the asset's full history:
 * recursive indicators (EMA 200, Wilder averages) and TA-Lib's running sums depend on where the series
 * starts, so they run from the first stored bar. With `resume`, `series` is its last bars and they run on
 * from the stored state: either way a daily run equals a backfill. Window-local kernels compute only the
 * windows of [from, to] (computeFeatures' `from`).
 */
function featureBlock(
  assetId: number,
  series: BarSeries,
  opts: FeatureOptions,
  range: { start: number; end: number },
  state: KernelState,
  offset = 0,
): FeatureBlock {
  const values = computeFeatures(series, opts, range.start, state, offset);
  return { assetId, dates: series.dates, values, ...range };
}

/**
 * One job's blocks and the states to store: assets with a usable stored state resume on their tails;
 * the others (and any whose state the kernels refuse) are computed from their full histories.
 */
async function computeBlocks(
  sql: Sql,
  assetIds: readonly number[],
  benchmarkId: number | undefined,
  opts: Omit<FeatureOptions, 'benchmark'>,
  from: string,
  to: string,
): Promise<{ blocks: FeatureBlock[]; states: StateToStore[]; resumed: number }> {
  // Revisions are read before any bar: a bar written from here on stops the new state from being stored.
  const stored = await loadFeatureStates(sql, assetIds);
  const candidates = assetIds.filter((id) => (stored.get(id)?.state?.date ?? to) < from);
  const tails = candidates.length > 0 ? await loadBarSeries(sql, candidates, to, STATE_TAIL_BARS) : new Map();
  const resumed = new Map<number, { tail: BarSeries; plan: ResumePlan }>();
  for (const id of candidates) {
    const tail: BarSeries | undefined = tails.get(id);
    const plan = tail && resumePlan(stored.get(id), tail, rowsWithin(tail.dates, from, to).start);
    if (tail && plan) resumed.set(id, { tail, plan });
  }
  const full = assetIds.filter((id) => !resumed.has(id));
  const seriesById = await loadBarSeries(sql, benchmarkId === undefined ? full : [...full, benchmarkId], to);
  const withBenchmark: FeatureOptions = {
    ...opts,
    benchmark: benchmarkId === undefined ? undefined : seriesById.get(benchmarkId),
  };
  const blocks: FeatureBlock[] = [];
  const states: StateToStore[] = [];
  const keep = (id: number, block: FeatureBlock, state: KernelState, offset: number) => {
    blocks.push(block);
    const revision = (stored.get(id) as StoredState).revision;
    states.push({ assetId: id, revision, dates: block.dates, offset, values: state.saved });
  };
  const refused: number[] = [];
  for (const id of assetIds) {
    const r = resumed.get(id);
    if (r) {
      const range = rowsWithin(r.tail.dates, from, to);
      try {
        keep(
          id,
          featureBlock(id, r.tail, withBenchmark, range, r.plan.state, r.plan.offset),
          r.plan.state,
          r.plan.offset,
        );
      } catch (err) {
        // A state the kernels cannot read back (the catalogue or a kernel changed under the same version)
        // is not fatal: the asset is computed from its full history, which also replaces the state.
        if (!(err instanceof RangeError)) throw err;
        refused.push(id);
      }
      continue;
    }
    const series = seriesById.get(id);
    if (!series) continue;
    const state = new KernelState();
    keep(id, featureBlock(id, series, withBenchmark, rowsWithin(series.dates, from, to), state), state, 0);
  }
  if (refused.length > 0) {
    const again = await loadBarSeries(sql, refused, to);
    for (const id of refused) {
      const series = again.get(id)!;
      const state = new KernelState();
      keep(id, featureBlock(id, series, withBenchmark, rowsWithin(series.dates, from, to), state), state, 0);
    }
  }
  return { blocks, states, resumed: resumed.size - refused.length };
}

/** Plans the run's universe ranks over its range (shared/stages/features/ranks.ts). */
function planRanks(sql: Sql, run: StageRun<FeaturesParams>, assets: readonly { id: number }[]) {
  return planUniverseRanks(
    sql,
    run.id,
    assets.map((a) => a.id),
    run.params.from ?? run.run_date,
    run.run_date,
  );
}

/** Features: compute the technical catalogue into `daily_features` for the run date (or a range). */
export const featuresStage: StageHandler<FeaturesParams, FeaturesJob> = {
  stage: 'features',
  description: 'Computes the technical feature catalogue into daily_features',
  params: FeaturesParams,
  payload: FeaturesJob,

  async plan(ctx, run) {
    const { assets } = await resolveUniverse(ctx.sql, run.universe);
    // Universe ranks need every asset's returns: ranked here, once, and written by each job with its rows.
    await planRanks(ctx.sql, run, assets);
    const from = run.params.from ?? run.run_date;
    return (await chunkByHistory(ctx.sql, assets, from, run.run_date)).map((ids) => ({ asset_ids: ids }));
  },

  async process(ctx, run, payload): Promise<JobOutcome> {
    const assets = await assetsById(ctx.sql, payload.asset_ids);
    // A job writes the run's range; jobs queued by older versions carry a window of it.
    const from = payload.from ?? run.params.from ?? run.run_date;
    const to = payload.to ?? run.run_date;
    const assetType = assets[0]?.asset_type;
    if (!assetType) return { counts: { feature_rows: 0 }, assetErrors: [] };
    const [benchmark] = await ctx.sql<{ id: number }[]>`
      select id from assets where asset_type = ${assetType} and symbol = ${ctx.benchmarks[assetType]}`;
    const { blocks, states, resumed } = await computeBlocks(
      ctx.sql,
      assets.map((a) => a.id),
      benchmark?.id,
      { periodsPerYear: assetType === 'crypto' ? 365 : 252 },
      from,
      to,
    );
    if (!(await attachUniverseRanks(ctx.sql, run.id, blocks))) {
      // A retried run whose follow-up already dropped its ranks: ranked again, never written as null.
      await planRanks(ctx.sql, run, (await resolveUniverse(ctx.sql, run.universe)).assets);
      if (!(await attachUniverseRanks(ctx.sql, run.id, blocks)))
        throw new Error(`features run ${run.id}: no universe ranks planned for some of its assets`);
    }
    const written = await upsertFeatureBlocks(ctx.sql, blocks);
    // After the rows: a state never runs ahead of the features it continues.
    await storeFeatureStates(ctx.sql, states);
    return { counts: { feature_rows: written, resumed_assets: resumed }, assetErrors: [] };
  },

  async afterRun(ctx, run) {
    await dropUniverseRanks(ctx.sql, run.id);
    return {};
  },
};
