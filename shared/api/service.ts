import { latestCompleteDay } from '../calendar/index.ts';
import type { AssetType } from '../domain/market.ts';
import type { Stage } from '../domain/stages.ts';
import { AppError } from '../errors/index.ts';
import { FEATURE_NAMES, FEATURES } from '../features/catalogue.ts';
import { SENTIMENT_DICTIONARY } from '../news/sentiment/inputs.ts';
import { startRun } from '../pipeline/queue.ts';
import { refuseFutureRunDate } from '../pipeline/run-date.ts';
import type { PipelineContext, RunRow } from '../pipeline/types.ts';
import { parseTemplateInput } from '../signals/store.ts';
import type { ReviewParams } from '../stages/review/input.ts';
import { evaluateSignals } from '../stages/signals/index.ts';
import { resolveUniverse, universeForAssetType } from '../universes/index.ts';
import type { AssetDetail } from './contracts/assets.ts';
import { CHART_SERIES } from './contracts/assets.ts';
import type { Health } from './contracts/health.ts';
import type { ReviewView } from './contracts/reviews.ts';
import type { RunTrigger, RunView } from './contracts/runs.ts';
import type { SignalView } from './contracts/signals.ts';
import type { TemplatePreview, TemplateView } from './contracts/templates.ts';

// Business operations behind control-api, the stage functions and the CLI: one place, many transports.

const FEATURE_SET = new Set<string>(FEATURE_NAMES);
const featureColumns = (alias: string) => FEATURE_NAMES.map((n) => `${alias}.${n}`).join(', ');

function pickFeatures(row: Record<string, unknown>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const n of FEATURE_NAMES) out[n] = (row[n] as number | null | undefined) ?? null;
  return out;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Pipeline runs with their job counts and errors, newest first; `latest`: each universe's latest date
 * only. Backtest runs are listed with their backtests (GET /backtests), not here.
 */
export async function listRuns(
  ctx: PipelineContext,
  opts: { date?: string | undefined; ids?: number[]; latest?: boolean; limit?: number } = {},
): Promise<RunView[]> {
  const { sql } = ctx;
  type Row = Omit<RunRow, 'stage'> & {
    stage: Stage;
    queued: number;
    running: number;
    done: number;
    failed: number;
  };
  const runs = await sql<Row[]>`
    select r.*,
      count(j.id) filter (where j.status = 'queued') as queued,
      count(j.id) filter (where j.status = 'running') as running,
      count(j.id) filter (where j.status = 'done') as done,
      count(j.id) filter (where j.status = 'failed') as failed
    from pipeline_runs r left join pipeline_jobs j on j.run_id = r.id
    where r.stage <> 'backtest'
      and (${opts.date ?? null}::date is null or r.run_date = ${opts.date ?? null}::date)
      and (${opts.ids ?? null}::bigint[] is null or r.id = any(${opts.ids ?? null}::bigint[]))
      and (not ${opts.latest ?? false} or (r.universe, r.run_date) in (
        select universe, max(run_date) from pipeline_runs where stage <> 'backtest' group by universe))
    group by r.id
    order by r.run_date desc, r.id desc
    limit ${opts.limit ?? 50}`;
  if (runs.length === 0) return [];
  const ids = runs.map((r) => r.id);
  const errors = await sql<{ run_id: number; scope: string; error: string }[]>`
    select run_id, 'job ' || chunk as scope, last_error as error from pipeline_jobs
    where run_id = any(${ids}::bigint[]) and status = 'failed'
    union all
    select e.run_id, a.symbol, e.error from pipeline_asset_errors e join assets a on a.id = e.asset_id
    where e.run_id = any(${ids}::bigint[])
    order by 1, 2`;
  return runs.map((r) => ({
    id: r.id,
    stage: r.stage,
    run_date: r.run_date,
    universe: r.universe,
    status: r.status,
    jobs: { queued: r.queued, running: r.running, done: r.done, failed: r.failed },
    summary: r.summary,
    errors: [
      ...(typeof r.summary.error === 'string' ? [{ scope: 'run', error: r.summary.error }] : []),
      ...errors.filter((e) => e.run_id === r.id).map(({ scope, error }) => ({ scope, error })),
    ],
    created_at: r.created_at.toISOString(),
    finished_at: iso(r.finished_at),
    duration_ms: r.finished_at ? r.finished_at.getTime() - r.started_at.getTime() : null,
  }));
}

/** Database reachability and the runs of each universe's latest date. */
export async function health(ctx: PipelineContext): Promise<Health> {
  const t0 = performance.now();
  let ok = true;
  let latest: string | null = null;
  let runs: RunView[] = [];
  try {
    const [row] = await ctx.sql<
      { latest: string | null }[]
    >`select max(run_date)::text as latest from pipeline_runs`;
    latest = row?.latest ?? null;
    if (latest) runs = await listRuns(ctx, { date: latest });
  } catch {
    ok = false;
  }
  return {
    status: ok && runs.every((r) => r.status !== 'failed') ? 'ok' : 'degraded',
    database: { ok, latency_ms: Math.round((performance.now() - t0) * 10) / 10 },
    latest_date: latest,
    runs,
  };
}

/** The universes a stage request or trigger addresses: one, or both "all" universes. */
function targetUniverses(body: {
  asset_type?: AssetType | undefined;
  universe?: string | undefined;
}): string[] {
  if (body.universe) return [body.universe];
  if (body.asset_type) return [universeForAssetType(body.asset_type)];
  return ['crypto_all', 'equity_all'];
}

/**
 * The universes a request addresses, each with its date: the given one, or the newest date whose
 * bars are complete in that universe's market (crypto: yesterday UTC; equities: the last closed
 * session).
 */
export async function runTargets(
  ctx: PipelineContext,
  body: { date?: string | undefined; asset_type?: AssetType | undefined; universe?: string | undefined },
  now: Date = new Date(),
): Promise<{ universe: string; date: string }[]> {
  const ids = targetUniverses(body);
  const rows = await ctx.sql<{ id: string; asset_type: AssetType }[]>`
    select id, asset_type from universes where id = any(${ids})`;
  // A date after the market's latest complete day is refused here, before anything is written.
  return ids.map((id) => {
    const assetType = rows.find((r) => r.id === id)?.asset_type;
    if (!assetType) throw new AppError('not_found', `unknown universe "${id}"`);
    if (body.date) refuseFutureRunDate(body.date, assetType, now);
    return { universe: id, date: body.date ?? latestCompleteDay(assetType, now) };
  });
}

/**
 * Starts a stage (chaining on only when asked) or the whole pipeline (ingest, chained through
 * review) for a date (default: each universe's latest complete day). Finished runs are run again unless `rerun` is false; a run still in progress
 * is returned as it is.
 */
export async function triggerRun(
  ctx: PipelineContext,
  trigger: RunTrigger & { chain?: boolean; reviewHistory?: ReviewParams['review_history'] },
  opts: { rerun?: boolean; now?: Date } = {},
): Promise<RunView[]> {
  const pipeline = trigger.stage === 'pipeline';
  const ids: number[] = [];
  for (const { universe, date } of await runTargets(ctx, trigger, opts.now)) {
    const { run } = await startRun(ctx, {
      stage: trigger.stage === 'pipeline' ? 'ingest' : trigger.stage,
      date,
      universe,
      chain: pipeline || trigger.chain === true,
      params: {
        ...(trigger.limit ? { limit: trigger.limit } : {}),
        ...(trigger.from ? { from: trigger.from } : {}),
        ...(trigger.symbols ? { symbols: trigger.symbols.map((x) => x.toUpperCase()) } : {}),
        ...(trigger.retry_invalid ? { retry_invalid: true } : {}),
        ...(trigger.reviewHistory ? { review_history: trigger.reviewHistory } : {}),
      },
      rerun: opts.rerun ?? true,
      ...(opts.now ? { now: opts.now } : {}),
    });
    ids.push(run.id);
  }
  return listRuns(ctx, { ids });
}

/** Everything behind one asset: bars with aligned feature series, signals and review history. */
export async function assetDetail(
  ctx: PipelineContext,
  assetType: AssetType,
  symbol: string,
  range: { from?: string | undefined; to?: string | undefined; series?: string[] | undefined },
): Promise<AssetDetail> {
  const wanted = range.series ?? [...CHART_SERIES];
  const unknown = wanted.filter((n) => !FEATURE_SET.has(n));
  if (unknown.length > 0) {
    throw new AppError('invalid_input', `unknown feature(s) in series: ${unknown.join(', ')}`);
  }
  const { sql } = ctx;
  const [asset] = await sql<AssetDetail['asset'][]>`
    select id, symbol, name, asset_type, sector, exchange from assets
    where asset_type = ${assetType} and symbol = ${symbol.toUpperCase()}`;
  if (!asset) throw new AppError('not_found', `no ${assetType} asset "${symbol.toUpperCase()}"`);
  const rows = await sql<(Record<string, unknown> & { date: string })[]>`
    select * from (
      select b.date::text as date, b.open, b.high, b.low, b.close, b.volume, ${sql.unsafe(featureColumns('f'))}
      from daily_bars b left join daily_features f on f.asset_id = b.asset_id and f.date = b.date
      where b.asset_id = ${asset.id}
        and (${range.from ?? null}::date is null or b.date >= ${range.from ?? null}::date)
        and (${range.to ?? null}::date is null or b.date <= ${range.to ?? null}::date)
      order by b.date desc
      limit 1500
    ) recent order by date`;
  const series: Record<string, (number | null)[]> = {};
  for (const n of wanted) series[n] = rows.map((r) => (r[n] as number | null) ?? null);
  const signals = await sql<(SignalView & { date: string })[]>`
    select x.date::text as date, x.template, x.template_version, t.name, x.direction, x.strength, x.evidence
    from daily_signal_facts x
    join signal_templates t on t.id = x.template and t.version = x.template_version
    where x.asset_id = ${asset.id}
    order by x.date desc, x.strength desc
    limit 200`;
  const reviews = await sql<ReviewView[]>`
    select as_of_date::text as as_of_date, model, prompt_version, status, direction, attention_score,
      confidence, setup_type, summary, review, tokens_in, tokens_out, cost_usd::float8 as cost_usd,
      latency_ms, attempts
    from asset_ai_reviews where asset_id = ${asset.id}
    order by as_of_date desc, created_at desc
    limit 50`;
  const last = rows.at(-1);
  return {
    asset,
    bars: rows.map((r) => ({
      date: r.date,
      open: r.open as number,
      high: r.high as number,
      low: r.low as number,
      close: r.close as number,
      volume: r.volume as number,
    })),
    series,
    features: last ? pickFeatures(last) : {},
    signals,
    reviews,
    quality: await sql<AssetDetail['quality']>`
      select date, kind, source, reason, recorded_at::text as recorded_at from data_quality_ledger
      where asset_id = ${asset.id} order by recorded_at desc, id desc limit 100`,
  };
}

/**
 * Signal facts of a date; without one, of each market's latest date with facts (crypto and
 * equities close on different days).
 */
export async function signalsByDate(ctx: PipelineContext, date?: string) {
  const items = await ctx.sql<(SignalView & { symbol: string; asset_type: AssetType; date: string })[]>`
    select a.symbol, a.asset_type, x.date::text as date, x.template, x.template_version, t.name,
      x.direction, x.strength, x.evidence
    from daily_signal_facts x
    join assets a on a.id = x.asset_id
    join signal_templates t on t.id = x.template and t.version = x.template_version
    where ${date ?? null}::date is not null and x.date = ${date ?? null}::date
       or ${date ?? null}::date is null and (a.asset_type, x.date) in (
         select a2.asset_type, max(x2.date) from daily_signal_facts x2 join assets a2 on a2.id = x2.asset_id
         group by a2.asset_type)
    order by x.strength desc, a.symbol`;
  return { date: date ?? latestOf(items.map((i) => i.date)), items };
}

const latestOf = (dates: string[]): string | null =>
  dates.reduce<string | null>((m, d) => (m && m > d ? m : d), null);

/** The latest version of every template. */
export function listTemplates(ctx: PipelineContext): Promise<TemplateView[]> {
  return ctx.sql<TemplateView[]>`
    select distinct on (id) id, version, name, description, direction, enabled, definition
    from signal_templates order by id, version desc`;
}

/** The feature dictionary: every catalogue column, then the daily sentiment inputs, with their descriptions. */
export function featureDictionary() {
  return [...FEATURES.map((f) => ({ ...f })), ...SENTIMENT_DICTIONARY];
}

/**
 * Which assets a template definition would fire on, evaluated without writing anything: over a
 * universe (default: the template's `<type>_all` universes) on a date (default: each universe's
 * latest date with features).
 */
export async function previewTemplate(
  ctx: PipelineContext,
  json: unknown,
  opts: { date?: string | undefined; universe?: string | undefined } = {},
): Promise<TemplatePreview> {
  const template = parseTemplateInput(json);
  const ids = opts.universe ? [opts.universe] : template.asset_types.map(universeForAssetType);
  const items: TemplatePreview['items'] = [];
  const dates = new Set<string>();
  for (const id of ids) {
    const { universe, assets } = await resolveUniverse(ctx.sql, id);
    if (!template.asset_types.includes(universe.asset_type)) {
      const message = `template "${template.id}" does not apply to ${universe.asset_type} assets`;
      throw new AppError('invalid_input', message, { details: [{ path: 'universe', message }] });
    }
    const assetIds = assets.map((a) => a.id);
    const [latest] = await ctx.sql<{ date: string }[]>`
      select date from daily_features where asset_id = any(${assetIds}::bigint[]) order by date desc limit 1`;
    const date = opts.date ?? latest?.date;
    if (!date) continue;
    dates.add(date);
    const byId = new Map(assets.map((a) => [a.id, a]));
    const facts = await evaluateSignals(ctx, {
      templates: [template],
      universe: id,
      assetIds,
      from: date,
      to: date,
    });
    for (const f of facts) {
      const asset = byId.get(f.assetId)!;
      items.push({
        universe: id,
        date: f.date,
        asset_id: f.assetId,
        symbol: asset.symbol,
        asset_type: asset.asset_type,
        direction: f.direction,
        strength: f.strength,
        evidence: f.evidence,
      });
    }
  }
  items.sort((a, b) => b.strength - a.strength || a.symbol.localeCompare(b.symbol));
  return {
    template: template.id,
    date: dates.size === 1 ? [...dates][0]! : (opts.date ?? null),
    universe: ids.length === 1 ? ids[0]! : null,
    items,
  };
}
