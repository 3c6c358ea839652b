import type { Sql } from '../../db/client.ts';
import { FEATURE_NAMES } from '../../features/catalogue.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, PipelineContext, RunRow, StageHandler } from '../../pipeline/types.ts';
import { evaluateAll } from '../../signals/evaluate.ts';
import { loadActiveTemplates } from '../../signals/store.ts';
import { resolveUniverse } from '../../universes/index.ts';
import { assetsById } from '../load.ts';

/** Assets per signals job: evaluation is cheap, the round trips dominate. */
const CHUNK = 250;

type Row = Record<string, number | null>;

/** Bar fields and catalogue features of each asset on `date` and on its previous stored date. */
export async function loadSignalRows(
  sql: Sql,
  assetIds: readonly number[],
  date: string,
): Promise<Map<number, { today: Row; previous: Row | null }>> {
  const columns = sql.unsafe(FEATURE_NAMES.map((n) => `f.${n}`).join(', '));
  const rows = await sql<({ asset_id: number; is_today: boolean } & Row)[]>`
    with wanted as (select unnest(${assetIds as number[]}::bigint[]) as asset_id),
    dates as (
      select w.asset_id, ${date}::date as date, true as is_today from wanted w
      union all
      select w.asset_id, p.date, false from wanted w
      cross join lateral (
        select date from daily_features where asset_id = w.asset_id and date < ${date}::date
        order by date desc limit 1
      ) p
    )
    select d.asset_id, d.is_today, b.open, b.high, b.low, b.close, b.volume, ${columns}
    from dates d
    join daily_features f on f.asset_id = d.asset_id and f.date = d.date
    join daily_bars b on b.asset_id = d.asset_id and b.date = d.date`;
  const out = new Map<number, { today: Row; previous: Row | null }>();
  for (const { asset_id, is_today, ...values } of rows) {
    const entry = out.get(asset_id) ?? { today: {}, previous: null };
    if (is_today) entry.today = values;
    else entry.previous = values;
    out.set(asset_id, entry);
  }
  // Assets without a row for the date itself have nothing to evaluate.
  for (const [id, entry] of out) if (Object.keys(entry.today).length === 0) out.delete(id);
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
    const assets = await assetsById(ctx.sql, payload.asset_ids as number[]);
    const templates = await loadActiveTemplates(ctx.sql);
    const data = await loadSignalRows(
      ctx.sql,
      assets.map((a) => a.id),
      run.run_date,
    );
    const facts = evaluateAll(
      templates,
      assets.flatMap((a) => {
        const d = data.get(a.id);
        return d ? [{ assetId: a.id, assetType: a.asset_type, today: d.today, previous: d.previous }] : [];
      }),
    );
    const rows = facts.map((f) => ({
      asset_id: f.assetId,
      date: run.run_date,
      template: f.template,
      template_version: f.templateVersion,
      direction: f.direction,
      strength: f.strength,
      evidence: JSON.stringify(f.evidence),
    }));
    // Replace the day's facts for these assets: a fact that no longer holds after a correction goes.
    await ctx.sql.begin(async (sql) => {
      await sql`delete from daily_signal_facts where asset_id = any(${payload.asset_ids as number[]}::bigint[]) and date = ${run.run_date}`;
      if (rows.length > 0) {
        await sql`
          insert into daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
          select asset_id, date, template, template_version, direction, strength, evidence::jsonb
          from jsonb_to_recordset(${sql.json(rows as never)}) as r(
            asset_id bigint, date date, template text, template_version int, direction text,
            strength double precision, evidence text)`;
      }
    });
    return { counts: { assets_evaluated: data.size, facts: rows.length }, assetErrors: [] };
  },
};
