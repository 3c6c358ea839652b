import { addDays, tradingDays } from '../../calendar/index.ts';
import type { Sql } from '../../db/client.ts';
import type { AssetType } from '../../domain/market.ts';
import { FEATURE_NAMES } from '../../features/catalogue.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, PipelineContext, RunRow, StageHandler } from '../../pipeline/types.ts';
import { type AssetSeries, evaluateAll, type SignalFact } from '../../signals/evaluate.ts';
import { inputDepths, templateLookback, templateRanks } from '../../signals/inputs.ts';
import type { SignalTemplate } from '../../signals/schema.ts';
import { loadActiveTemplates } from '../../signals/store.ts';
import { resolveUniverse } from '../../universes/index.ts';

const FEATURE_SET = new Set<string>(FEATURE_NAMES);
const BAR_FIELDS = new Set(['open', 'high', 'low', 'close', 'volume']);

/** Most assets per signals job: evaluation is cheap, the round trips and the rank queries dominate. */
const JOB_ASSETS = 1000;

/** Asset-days a history job evaluates: what one job loads stays well inside an Edge Function's budget. */
const JOB_ROWS = 50_000;

/** Facts per insert statement. */
const INSERT_BATCH = 10_000;

/** What to evaluate: templates over some of a universe's assets, on their stored dates in [from, to]. */
export interface SignalsRequest {
  templates: readonly SignalTemplate[];
  /** Universe id: `rank` conditions rank across all of its assets, whichever of them are evaluated. */
  universe: string;
  /** The assets to evaluate; those outside the universe are skipped. */
  assetIds: readonly number[];
  from: string;
  to: string;
}

/** A packed column: float8send of each value, big-endian, NaN where null, in date order. */
const packed = (column: string) =>
  `string_agg(float8send(coalesce(${column}, 'NaN')), ''::bytea order by date)`;

/** Decodes a packed column (see `packed`) into `out` from `offset`; null (no rows) leaves it as it is. */
function unpack(bytes: Uint8Array | null, out: Float64Array, offset: number): Float64Array {
  if (!bytes) return out;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let k = 0; k * 8 < bytes.byteLength; k++) out[offset + k] = view.getFloat64(k * 8);
  return out;
}

const missing = (n: number) => new Float64Array(n).fill(Number.NaN);

type PackedRow = { asset_id: number; dates: string } & Record<string, Uint8Array | null>;

/** One asset's loaded rows: dates ascending, the first `lookback` of them before the evaluated range. */
interface Loaded {
  assetId: number;
  dates: string[];
  lookback: number;
  columns: Record<string, Float64Array>;
}

/**
 * Loads each asset's rows for every stored date in [from, to] plus up to `lookback` stored rows
 * before `from`, however far back they lie; an input gets values on the rows down to its own depth
 * only, NaN on older ones. Values travel as one packed float8 string per
 * input and asset: a row object per asset-day costs more to parse than the query costs to run.
 * Assets with no row in [from, to] are left out.
 */
async function loadColumns(
  sql: Sql,
  ids: readonly number[],
  lookback: number,
  depths: ReadonlyMap<string, number>,
  from: string,
  to: string,
): Promise<Loaded[]> {
  // Names come from the catalogue whitelist (validated templates) and are checked against it again:
  // template content never reaches SQL as text.
  const inputs = [...depths].filter(([n]) => BAR_FIELDS.has(n) || FEATURE_SET.has(n));
  const select = sql.unsafe(inputs.map(([n]) => `, ${BAR_FIELDS.has(n) ? 'b' : 'f'}.${n}`).join(''));
  const rows = await sql<PackedRow[]>`
    with picked as (
      select f.asset_id, f.date, 0::bigint as back ${select}
      from daily_features f join daily_bars b on b.asset_id = f.asset_id and b.date = f.date
      where f.asset_id = any(${ids as number[]}::bigint[]) and f.date between ${from}::date and ${to}::date
      union all
      select p.* from unnest(${ids as number[]}::bigint[]) as w(asset_id)
      cross join lateral (
        select f.asset_id, f.date, row_number() over (order by f.date desc) as back ${select}
        from daily_features f join daily_bars b on b.asset_id = f.asset_id and b.date = f.date
        where f.asset_id = w.asset_id and f.date < ${from}::date
        order by f.date desc limit ${lookback}
      ) p
    )
    select asset_id, string_agg(date::text, ',' order by date) as dates
      ${sql.unsafe(inputs.map(([n, d], k) => `, ${packed(n)} filter (where back <= ${d}) as c${k}`).join(''))}
    from picked group by asset_id having bool_or(back = 0)`;
  return rows.map((r) => {
    const dates = r.dates.split(',');
    const before = dates.findIndex((d) => d >= from);
    const columns: Record<string, Float64Array> = {};
    inputs.forEach(([n, d], k) => {
      columns[n] = unpack(r[`c${k}`] ?? null, missing(dates.length), before - Math.min(d, before));
    });
    return { assetId: r.asset_id, dates, lookback: before, columns };
  });
}

/**
 * Percentile ranks of `feature` across every universe asset with a value on each of `dates`, as
 * percent_rank() gives them (ties share the lowest rank, a lone value ranks 0; a null is not ranked),
 * for the assets `ids`: their rank dates and ranks, packed as in loadColumns.
 */
async function loadRanks(
  sql: Sql,
  universeIds: readonly number[],
  ids: readonly number[],
  feature: string,
  dates: readonly string[],
): Promise<Map<number, { dates: string[]; ranks: Uint8Array | null }>> {
  if (!FEATURE_SET.has(feature)) throw new RangeError(`cannot rank "${feature}": not a catalogue feature`);
  const rows = await sql<PackedRow[]>`
    select asset_id, string_agg(date::text, ',' order by date) as dates, ${sql.unsafe(packed('rank'))} as ranks
    from (
      select f.asset_id, f.date, percent_rank() over (partition by f.date order by ${sql.unsafe(`f.${feature}`)}) as rank
      from daily_features f
      where f.asset_id = any(${universeIds as number[]}::bigint[]) and f.date = any(${dates as string[]}::date[])
        and ${sql.unsafe(`f.${feature}`)} is not null
    ) r
    where asset_id = any(${ids as number[]}::bigint[])
    group by asset_id`;
  return new Map(rows.map((r) => [r.asset_id, { dates: r.dates.split(','), ranks: r.ranks ?? null }]));
}

/** Lays values dated `from` (ascending) onto the dates `to` (ascending): NaN where a date has none. */
function align(
  from: { dates: readonly string[]; ranks: Uint8Array | null },
  to: readonly string[],
): Float64Array {
  const values = unpack(from.ranks, new Float64Array(from.dates.length), 0);
  const out = missing(to.length);
  for (let i = 0, j = 0; i < to.length; i++) {
    while (j < from.dates.length && from.dates[j]! < to[i]!) j++;
    if (from.dates[j] === to[i]) out[i] = values[j]!;
  }
  return out;
}

/**
 * Loads the series `evaluateAll` reads: each asset's rows in [from, to] with the older rows its
 * inputs reach, and the universe ranks of each ranked feature on the dates it is read on (the
 * evaluated rows and, for a rank inside `held`, the rows before them that it reaches), one
 * concurrent query per ranked feature.
 */
async function loadSeries(
  sql: Sql,
  req: SignalsRequest,
  types: ReadonlyMap<number, AssetType>,
  universeIds: readonly number[],
): Promise<AssetSeries[]> {
  const ids = req.assetIds.filter((id) => types.has(id));
  if (ids.length === 0) return [];
  const lookback = Math.max(0, ...req.templates.map(templateLookback));
  const loaded = await loadColumns(sql, ids, lookback, inputDepths(req.templates), req.from, req.to);
  const ranked = await Promise.all(
    [...templateRanks(req.templates)].map(async ([feature, depth]) => {
      const dates = new Set<string>();
      for (const a of loaded) for (const d of a.dates.slice(Math.max(0, a.lookback - depth))) dates.add(d);
      return { feature, byAsset: await loadRanks(sql, universeIds, ids, feature, [...dates]) };
    }),
  );
  return loaded.map(({ assetId, dates, columns }) => {
    const ranks: Record<string, Float64Array> = {};
    for (const { feature, byAsset } of ranked) {
      const r = byAsset.get(assetId);
      ranks[feature] = r ? align(r, dates) : missing(dates.length);
    }
    return { assetId, assetType: types.get(assetId)!, dates, columns, ranks };
  });
}

/**
 * Evaluates templates over a universe's assets on their stored dates in [from, to] and returns the
 * facts that fired, without writing them: the signals stage writes them, the preview API shows them.
 */
export async function evaluateSignals(
  ctx: Pick<PipelineContext, 'sql'>,
  req: SignalsRequest,
): Promise<SignalFact[]> {
  if (req.templates.length === 0 || req.assetIds.length === 0) return [];
  const { assets } = await resolveUniverse(ctx.sql, req.universe);
  const types = new Map(assets.map((a) => [a.id, a.asset_type]));
  const series = await loadSeries(
    ctx.sql,
    req,
    types,
    assets.map((a) => a.id),
  );
  return evaluateAll(req.templates, series, req.from);
}

/**
 * Replaces the facts of these assets in [from, to] with `facts`: a fact that no longer holds after a
 * correction disappears, and a rerun converges to the same rows.
 */
async function replaceFacts(
  sql: Sql,
  assetIds: readonly number[],
  from: string,
  to: string,
  facts: readonly SignalFact[],
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`
      delete from daily_signal_facts
      where asset_id = any(${assetIds as number[]}::bigint[]) and date between ${from}::date and ${to}::date`;
    for (const part of chunk(facts, INSERT_BATCH)) {
      await tx`
        insert into daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
        select asset_id, date, template, template_version, direction, strength, evidence::jsonb
        from unnest(
          ${part.map((f) => f.assetId)}::bigint[], ${part.map((f) => f.date)}::date[],
          ${part.map((f) => f.template)}::text[], ${part.map((f) => f.templateVersion)}::int[],
          ${part.map((f) => f.direction)}::text[], ${part.map((f) => f.strength)}::float8[],
          ${part.map((f) => JSON.stringify(f.evidence))}::text[]
        ) as r(asset_id, date, template, template_version, direction, strength, evidence)`;
    }
  });
}

/**
 * Splits a run into jobs of at most JOB_ASSETS assets and about JOB_ROWS asset-days: a one-day run
 * by assets, a history run also into windows of trading days that tile [from, to], so that a job stays
 * small and each window's universe ranks are computed once per asset chunk, not over the whole range.
 */
export function planSignalJobs(
  assetIds: readonly number[],
  assetType: AssetType,
  from: string,
  to: string,
): { asset_ids: number[]; from: string; to: string }[] {
  const perJob = Math.min(JOB_ASSETS, Math.max(1, assetIds.length));
  const days = tradingDays(assetType, from, to);
  const starts = chunk(days, Math.max(1, Math.floor(JOB_ROWS / perJob))).map((w) => w[0]!);
  starts[0] = from;
  const windows = starts.map((start, k) => ({
    from: start,
    to: k + 1 < starts.length ? addDays(starts[k + 1]!, -1) : to,
  }));
  return chunk(assetIds, perJob).flatMap((ids) => windows.map((w) => ({ asset_ids: ids, ...w })));
}

/** Signals: evaluate the enabled templates into `daily_signal_facts` for the run date (or a range). */
export const signalsStage: StageHandler = {
  stage: 'signals',
  description: 'Evaluates the enabled signal templates into daily_signal_facts',

  async plan(ctx: PipelineContext, run: RunRow) {
    const { universe, assets } = await resolveUniverse(ctx.sql, run.universe);
    const from = typeof run.params.from === 'string' ? run.params.from : run.run_date;
    return planSignalJobs(
      assets.map((a) => a.id),
      universe.asset_type,
      from,
      run.run_date,
    );
  },

  async process(ctx: PipelineContext, run: RunRow, payload): Promise<JobOutcome> {
    const { asset_ids: assetIds, from, to } = payload as { asset_ids: number[]; from: string; to: string };
    const templates = await loadActiveTemplates(ctx.sql);
    const facts = await evaluateSignals(ctx, { templates, universe: run.universe, assetIds, from, to });
    await replaceFacts(ctx.sql, assetIds, from, to, facts);
    return { counts: { facts: facts.length }, assetErrors: [] };
  },
};
