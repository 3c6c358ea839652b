import type { Sql } from '../../db/client.ts';
import { FEATURE_NAMES } from '../../features/catalogue.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, PipelineContext, RunRow, StageHandler } from '../../pipeline/types.ts';
import { evaluateAll } from '../../signals/evaluate.ts';
import { templateInputs } from '../../signals/inputs.ts';
import { loadActiveTemplates } from '../../signals/store.ts';
import { resolveUniverse } from '../../universes/index.ts';
import { assetsById } from '../load.ts';

const FEATURE_SET = new Set<string>(FEATURE_NAMES);

/** Assets per signals job: evaluation is cheap, the round trips dominate. */
const CHUNK = 250;

type Row = Record<string, number | null>;

/** One evaluation: an asset's bar and features on a date, and on its previous stored date. */
export interface SignalRow {
  assetId: number;
  date: string;
  today: Row;
  previous: Row | null;
}

/**
 * Loads the evaluation rows of each asset for every stored date in [from, to]: bar fields and
 * catalogue features, paired with the row of the previous stored date (found however far back it
 * lies, so gaps and holidays do not break crosses).
 */
export async function loadSignalRows(
  sql: Sql,
  assetIds: readonly number[],
  from: string,
  to: string,
  features: readonly string[] = FEATURE_NAMES,
): Promise<SignalRow[]> {
  // Names come from the catalogue (validated templates), never from raw input.
  const wanted = features.filter((n) => FEATURE_SET.has(n));
  const columns = sql.unsafe(['', ...wanted.map((n) => `f.${n}`)].join(', '));
  const rows = await sql<({ asset_id: number; date: string } & Row)[]>`
    with wanted as (select unnest(${assetIds as number[]}::bigint[]) as asset_id),
    dates as (
      select f.asset_id, f.date from daily_features f join wanted w using (asset_id)
      where f.date between ${from}::date and ${to}::date
      union all
      select w.asset_id, p.date from wanted w
      cross join lateral (
        select date from daily_features where asset_id = w.asset_id and date < ${from}::date
        order by date desc limit 1
      ) p
    )
    select d.asset_id, d.date::text as date, b.open, b.high, b.low, b.close, b.volume ${columns}
    from dates d
    join daily_features f on f.asset_id = d.asset_id and f.date = d.date
    join daily_bars b on b.asset_id = d.asset_id and b.date = d.date
    order by d.asset_id, d.date`;
  const out: SignalRow[] = [];
  let previous: ({ asset_id: number; date: string } & Row) | null = null;
  for (const row of rows) {
    const sameAsset = previous?.asset_id === row.asset_id;
    if (row.date >= from) {
      const { asset_id, date, ...today } = row;
      let prior: Row | null = null;
      if (sameAsset && previous) {
        const { asset_id: _a, date: _d, ...values } = previous;
        prior = values;
      }
      out.push({ assetId: asset_id, date, today, previous: prior });
    }
    previous = row;
  }
  return out;
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
    const assets = new Map((await assetsById(ctx.sql, assetIds)).map((a) => [a.id, a]));
    const templates = await loadActiveTemplates(ctx.sql);
    const from = typeof run.params.from === 'string' ? run.params.from : run.run_date;
    // Only the columns the templates read: history runs load tens of thousands of rows.
    const inputs = [...templateInputs(templates)];
    const rows = await loadSignalRows(ctx.sql, assetIds, from, run.run_date, inputs);
    const facts: Record<string, unknown>[] = [];
    for (const r of rows) {
      const assetType = assets.get(r.assetId)?.asset_type;
      if (!assetType) continue;
      const fired = evaluateAll(templates, [
        { assetId: r.assetId, assetType, today: r.today, previous: r.previous },
      ]);
      for (const f of fired) {
        facts.push({
          asset_id: f.assetId,
          date: r.date,
          template: f.template,
          template_version: f.templateVersion,
          direction: f.direction,
          strength: f.strength,
          evidence: JSON.stringify(f.evidence),
        });
      }
    }
    // Replace the facts of these assets in the range: a fact that no longer holds after a
    // correction disappears.
    await ctx.sql.begin(async (sql) => {
      await sql`
        delete from daily_signal_facts
        where asset_id = any(${assetIds}::bigint[]) and date between ${from}::date and ${run.run_date}::date`;
      for (const part of chunk(facts, 5000)) {
        await sql`
          insert into daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
          select asset_id, date, template, template_version, direction, strength, evidence::jsonb
          from jsonb_to_recordset(${sql.json(part as never)}) as r(
            asset_id bigint, date date, template text, template_version int, direction text,
            strength double precision, evidence text)`;
      }
    });
    return { counts: { rows_evaluated: rows.length, facts: facts.length }, assetErrors: [] };
  },
};
