import type { Sql } from '../db/client.ts';
import type { AssetType } from '../domain/market.ts';
import type { Metrics } from '../engine/metrics.ts';
import { summarize } from '../engine/report.ts';
import { strategyLookback } from '../engine/walk-forward.ts';
import type { WalkForwardPlan } from '../engine/walk-forward-report.ts';
import { AppError } from '../errors/index.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import type { SignalTemplate } from '../signals/schema.ts';
import { type BacktestKey, backtestSpec, templatesById } from '../stages/backtest/index.ts';
import { canonicalJson } from '../strategy/naming.ts';
import type { StrategySpec } from '../strategy/spec.ts';
import type { BacktestDetail, BacktestRequest, BacktestView } from './contracts/backtests.ts';

interface Row extends BacktestKey {
  data_fingerprint: string;
  status: BacktestView['status'];
  error: string | null;
  run_id: number | null;
  metrics: Record<string, number | null> | null;
  benchmark: BacktestDetail['benchmark'];
  timings: Record<string, number>;
  created_at: Date;
  finished_at: Date | null;
  final_equity: number | null;
}

const COLUMNS = (sql: Sql) => sql`
  b.id, b.strategy_id, b.strategy_version, b.overrides, b.universe, b.from_date::text as from_date,
  b.to_date::text as to_date, b.cash, b.data_fingerprint, b.status, b.error, b.run_id, b.metrics,
  b.benchmark, b.timings, b.walk_forward, b.created_at, b.finished_at,
  (select e.equity from backtest_equity e where e.backtest_id = b.id order by e.date desc limit 1) as final_equity`;

/** NaN went into storage as null; the summary reads it back as NaN. */
const metricOf = (m: Record<string, number | null>, k: string) => m[k] ?? Number.NaN;

function view(r: Row): BacktestView & { metrics: Row['metrics'] } {
  const m = r.metrics;
  return {
    id: r.id,
    strategy: r.strategy_id,
    strategy_version: r.strategy_version,
    overrides: r.overrides,
    universe: r.universe,
    from: r.from_date,
    to: r.to_date,
    cash: r.cash,
    data_fingerprint: r.data_fingerprint,
    status: r.status,
    error: r.error,
    run_id: r.run_id,
    summary:
      m && r.status === 'succeeded'
        ? summarize(
            Object.fromEntries(Object.keys(m).map((k) => [k, metricOf(m, k)])) as Metrics,
            r.final_equity ?? r.cash,
          )
        : null,
    walk_forward: r.walk_forward,
    timings: r.timings,
    created_at: r.created_at.toISOString(),
    finished_at: r.finished_at ? r.finished_at.toISOString() : null,
    metrics: m,
  };
}

/**
 * Fills in a walk-forward's defaults (step = test, embargo = the spec's lookback) and checks it against
 * the spec and the `days` trading days of the range: a shorter embargo than the lookback, or a range
 * holding no fold, is bad input naming the field.
 */
export function resolveWalkForward(
  spec: StrategySpec,
  req: NonNullable<BacktestRequest['walk_forward']>,
  days: number,
  templates: ReadonlyMap<string, SignalTemplate> = new Map(),
): WalkForwardPlan {
  const lookback = strategyLookback(spec, templates);
  const embargo = req.embargo ?? lookback;
  if (embargo < lookback)
    throw new AppError(
      'invalid_input',
      `walk_forward.embargo: ${embargo} is shorter than the ${lookback} days strategy "${spec.id}" reads back`,
      { retryable: false },
    );
  const plan: WalkForwardPlan = {
    mode: req.mode,
    train: req.train,
    test: req.test,
    step: req.step ?? req.test,
    embargo,
  };
  if (plan.train + plan.embargo + plan.test > days)
    throw new AppError(
      'invalid_input',
      `walk_forward: the range's ${days} trading days hold no fold of ${plan.train} train + ${plan.embargo} embargo + ${plan.test} test days`,
      { retryable: false },
    );
  return plan;
}

/**
 * Plans a backtest: checks the strategy, its parameters, the universe and that the range has bars
 * (400 otherwise, nothing stored), fingerprints the data, and queues a `backtest` run unless the same
 * strategy version, parameters, universe, range, cash and data already has a backtest (then that one
 * is returned; a failed one is queued again).
 */
export async function startBacktest(
  ctx: PipelineContext,
  req: BacktestRequest,
): Promise<BacktestView & { created: boolean }> {
  const { sql } = ctx;
  const overrides = req.set ?? {};
  const spec = await backtestSpec(sql, req.strategy, req.version, overrides);
  const [universe] = await sql<{ asset_type: AssetType; symbols: string[] | null }[]>`
    select asset_type, symbols from universes where id = ${req.universe}`;
  if (!universe) throw new AppError('not_found', `unknown universe "${req.universe}"`);
  if (!spec.asset_types.includes(universe.asset_type))
    throw new AppError(
      'invalid_input',
      `strategy "${spec.id}" trades ${spec.asset_types.join(' and ')}, not the ${universe.asset_type} of universe "${req.universe}"`,
    );
  // The fingerprint sums exact numerics, so it does not depend on scan order.
  const [data] = await sql<
    { n: number; days: number; first: string | null; last: string | null; digest: string | null }[]
  >`
    with members as (
      select id from assets
      where asset_type = ${universe.asset_type} and active
        and (${universe.symbols}::text[] is null or symbol = any(${universe.symbols}::text[]))
    )
    select count(*)::int as n, count(distinct b.date)::int as days, min(b.date)::text as first, max(b.date)::text as last,
      md5(count(*)::text || ':' || coalesce(sum(b.open::numeric + b.high::numeric + b.low::numeric
        + b.close::numeric), 0)::text || ':' || coalesce(sum(b.volume::numeric), 0)::text
        || ':' || coalesce(sum(b.asset_id * (b.date - date '2000-01-01')), 0)::text) as digest
    from daily_bars b join members m on m.id = b.asset_id
    where (${req.from ?? null}::date is null or b.date >= ${req.from ?? null}::date)
      and (${req.to ?? null}::date is null or b.date <= ${req.to ?? null}::date)`;
  if (!data || data.n === 0 || !data.first || !data.last)
    throw new AppError(
      'invalid_input',
      `universe "${req.universe}" has no bars${req.from || req.to ? ` between ${req.from ?? 'its start'} and ${req.to ?? 'its end'}` : ''}`,
    );
  const from = req.from ?? data.first;
  const to = req.to ?? data.last;
  const walk = req.walk_forward
    ? resolveWalkForward(spec, req.walk_forward, data.days, await templatesById(sql))
    : null;
  const overridesHash = canonicalJson(overrides);
  // '' without walk-forward, so backtests stored before it keep their key.
  const walkKey = walk ? canonicalJson(walk) : '';
  const created = await sql.begin(async (tx) => {
    const [inserted] = await tx<{ id: number }[]>`
      insert into backtests (strategy_id, strategy_version, overrides, overrides_hash, universe, from_date,
        to_date, cash, data_fingerprint, walk_forward, walk_forward_key)
      values (${spec.id}, ${spec.version}, ${tx.json(overrides)}, ${overridesHash}, ${req.universe}, ${from},
        ${to}, ${req.cash}, ${data.digest}, ${walk ? tx.json(walk as never) : null}, ${walkKey})
      on conflict (strategy_id, strategy_version, overrides_hash, universe, from_date, to_date, cash,
        data_fingerprint, walk_forward_key)
      do nothing
      returning id`;
    let id = inserted?.id;
    if (id === undefined) {
      // The same backtest exists: only a failed one is run again.
      const [again] = await tx<{ id: number }[]>`
        update backtests set status = 'queued', error = null, finished_at = null
        where strategy_id = ${spec.id} and strategy_version = ${spec.version} and overrides_hash = ${overridesHash}
          and universe = ${req.universe} and from_date = ${from} and to_date = ${to} and cash = ${req.cash}
          and data_fingerprint = ${data.digest} and walk_forward_key = ${walkKey} and status = 'failed'
        returning id`;
      if (!again) return null;
      id = again.id;
    }
    const [run] = await tx<{ id: number }[]>`
      insert into pipeline_runs (stage, run_date, universe, chain, params)
      values ('backtest', ${to}, ${req.universe}, false, ${tx.json({ backtest_id: id })})
      returning id`;
    await tx`insert into pipeline_jobs (run_id, chunk, payload) values (${run!.id}, 0, ${tx.json({ backtest_id: id })})`;
    await tx`update backtests set run_id = ${run!.id} where id = ${id}`;
    return id;
  });
  const id =
    created ??
    (
      await sql<{ id: number }[]>`
        select id from backtests
        where strategy_id = ${spec.id} and strategy_version = ${spec.version} and overrides_hash = ${overridesHash}
          and universe = ${req.universe} and from_date = ${from} and to_date = ${to} and cash = ${req.cash}
          and data_fingerprint = ${data.digest} and walk_forward_key = ${walkKey}`
    )[0]!.id;
  ctx.log(
    `backtest ${id}: ${spec.id} v${spec.version} over ${req.universe} ${from}..${to}${created ? ' queued' : ' exists'}`,
  );
  const { metrics: _m, ...shown } = await getBacktestView(sql, id);
  return { ...shown, created: created !== null };
}

async function getBacktestView(sql: Sql, id: number): Promise<ReturnType<typeof view>> {
  const [row] = await sql<Row[]>`select ${COLUMNS(sql)} from backtests b where b.id = ${id}`;
  if (!row) throw new AppError('not_found', `no backtest ${id}`);
  return view(row);
}

/** Backtests newest first, optionally of one strategy. */
export async function listBacktests(
  sql: Sql,
  opts: { strategy?: string | undefined; limit: number },
): Promise<BacktestView[]> {
  const rows = await sql<Row[]>`
    select ${COLUMNS(sql)} from backtests b
    where (${opts.strategy ?? null}::text is null or b.strategy_id = ${opts.strategy ?? null}::text)
    order by b.created_at desc, b.id desc limit ${opts.limit}`;
  return rows.map((r) => {
    const { metrics: _m, ...shown } = view(r);
    return shown;
  });
}

/** One backtest with every metric, the benchmark, the equity curve, the trades and any walk-forward folds. */
export async function backtestDetail(sql: Sql, id: number): Promise<BacktestDetail> {
  const shown = await getBacktestView(sql, id);
  const equity = await sql<BacktestDetail['equity']>`
    select date::text as date, equity, drawdown, benchmark_equity
    from backtest_equity where backtest_id = ${id} order by date`;
  const trades = await sql<BacktestDetail['trades']>`
    select symbol, asset_type, side, entry_date::text as entry_date, exit_date::text as exit_date, qty,
      entry_price, exit_price, pnl, return_pct, bars, entry_rule, exit_rule
    from backtest_trades where backtest_id = ${id} order by seq`;
  const [row] = await sql<
    {
      benchmark: BacktestDetail['benchmark'];
      folds: BacktestDetail['folds'] | null;
      oos: BacktestDetail['oos'];
    }[]
  >`select benchmark, folds, oos from backtests where id = ${id}`;
  return {
    ...shown,
    benchmark: row?.benchmark ?? null,
    equity,
    trades,
    folds: row?.folds ?? [],
    oos: row?.oos ?? null,
  };
}

/** Two backtests side by side, with b's metric minus a's (null where either is undefined). */
export async function compareBacktests(sql: Sql, a: number, b: number) {
  const x = await getBacktestView(sql, a);
  const y = await getBacktestView(sql, b);
  const keys = new Set([...Object.keys(x.metrics ?? {}), ...Object.keys(y.metrics ?? {})]);
  const difference: Record<string, number | null> = {};
  for (const k of keys) {
    const u = x.metrics?.[k];
    const v = y.metrics?.[k];
    difference[k] = typeof u === 'number' && typeof v === 'number' ? v - u : null;
  }
  return { a: x, b: y, difference };
}
