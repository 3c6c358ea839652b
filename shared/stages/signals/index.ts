import type { Sql } from '../../db/client.ts';
import type { AssetType } from '../../domain/market.ts';
import { FEATURE_NAMES } from '../../features/catalogue.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, PipelineContext, RunRow, StageHandler } from '../../pipeline/types.ts';
import { type AssetSeries, type EvalRow, evaluateAll, type SignalFact } from '../../signals/evaluate.ts';
import { templateInputs, templateLookback, templateRanks } from '../../signals/inputs.ts';
import type { SignalTemplate } from '../../signals/schema.ts';
import { loadActiveTemplates } from '../../signals/store.ts';
import { resolveUniverse } from '../../universes/index.ts';

const FEATURE_SET = new Set<string>(FEATURE_NAMES);
const BAR_FIELDS = new Set(['open', 'high', 'low', 'close', 'volume']);

/** Assets per signals job: evaluation is cheap, the round trips dominate. */
const CHUNK = 250;

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

type LoadedRow = EvalRow & { asset_id: number; date: string };

/**
 * Loads each asset's rows (the bar fields and catalogue features the templates read) for every
 * stored date in [from, to] plus the `lookback` stored rows before `from`, however far back they
 * lie, with the universe percentile rank of each ranked feature. Ranks come from one
 * percent_rank() per feature over every universe asset on the dates a rank is read on (the
 * evaluated dates, and `rankLookback` rows back for ranks inside `held`).
 */
async function loadSeries(
  sql: Sql,
  req: SignalsRequest,
  types: ReadonlyMap<number, AssetType>,
  universeIds: readonly number[],
): Promise<AssetSeries[]> {
  const lookback = Math.max(0, ...req.templates.map(templateLookback));
  const ranked = templateRanks(req.templates);
  // Identifiers come from the catalogue whitelist (validated templates) and are checked against it
  // again here: template content never reaches SQL as text. Ranks get positional aliases.
  const inputs = [...templateInputs(req.templates)];
  const rankNames = [...ranked.features].filter((n) => FEATURE_SET.has(n));
  const columns = [
    ...inputs.filter((n) => BAR_FIELDS.has(n)).map((n) => `b.${n}`),
    ...inputs.filter((n) => FEATURE_SET.has(n)).map((n) => `f.${n}`),
    ...rankNames.map((_, k) => `r.rank_${k}`),
  ];
  const ranks = rankNames.map(
    (n, k) =>
      `case when f.${n} is null then null
        else percent_rank() over (partition by f.date, f.${n} is null order by f.${n}) end as rank_${k}`,
  );
  const ids = req.assetIds.filter((id) => types.has(id));
  if (ids.length === 0) return [];
  const rows = await sql<LoadedRow[]>`
    with hist as (
      select f.asset_id, f.date, 0::bigint as back
      from daily_features f
      where f.asset_id = any(${ids as number[]}::bigint[]) and f.date between ${req.from}::date and ${req.to}::date
      union all
      select w.asset_id, p.date, p.back
      from unnest(${ids as number[]}::bigint[]) as w(asset_id)
      cross join lateral (
        select date, row_number() over (order by date desc) as back from daily_features
        where asset_id = w.asset_id and date < ${req.from}::date
        order by date desc limit ${lookback}
      ) p
    )
    ${
      ranks.length > 0
        ? sql`, ranked as (
            select f.asset_id, f.date, ${sql.unsafe(ranks.join(', '))}
            from daily_features f
            where f.asset_id = any(${universeIds as number[]}::bigint[])
              and f.date in (select date from hist where back <= ${ranked.lookback})
          )`
        : sql``
    }
    select h.asset_id, h.date::text as date ${sql.unsafe(columns.map((c) => `, ${c}`).join(''))}
    from hist h
    join daily_features f on f.asset_id = h.asset_id and f.date = h.date
    join daily_bars b on b.asset_id = h.asset_id and b.date = h.date
    ${ranks.length > 0 ? sql`left join ranked r on r.asset_id = h.asset_id and r.date = h.date` : sql``}
    order by h.asset_id, h.date`;
  const series: AssetSeries[] = [];
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && rows[i]!.asset_id === rows[start]!.asset_id) continue;
    const part = rows.slice(start, i);
    const assetId = part[0]!.asset_id;
    series.push({
      assetId,
      assetType: types.get(assetId)!,
      dates: part.map((r) => r.date),
      rows: part,
      ranks: Object.fromEntries(rankNames.map((n, k) => [n, part.map((r) => r[`rank_${k}`] ?? null)])),
    });
    start = i;
  }
  return series;
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

/** Signals: evaluate the enabled templates into `daily_signal_facts` for the run date. */
export const signalsStage: StageHandler = {
  stage: 'signals',
  description: 'Evaluates the enabled signal templates into daily_signal_facts',

  async plan(ctx: PipelineContext, run: RunRow) {
    const { assets } = await resolveUniverse(ctx.sql, run.universe);
    return chunk(
      assets.map((a) => a.id),
      CHUNK,
    ).map((ids) => ({ asset_ids: ids }));
  },

  async process(ctx: PipelineContext, run: RunRow, payload): Promise<JobOutcome> {
    const assetIds = payload.asset_ids as number[];
    const from = typeof run.params.from === 'string' ? run.params.from : run.run_date;
    const templates = await loadActiveTemplates(ctx.sql);
    const facts = await evaluateSignals(ctx, {
      templates,
      universe: run.universe,
      assetIds,
      from,
      to: run.run_date,
    });
    await replaceFacts(ctx.sql, assetIds, from, run.run_date, facts);
    return { counts: { facts: facts.length }, assetErrors: [] };
  },
};
