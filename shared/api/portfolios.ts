import type { z } from 'zod';
import { sentimentSeries } from '../news/sentiment/inputs.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import { ledgerEquity } from '../portfolio/ledger/ledger.ts';
import {
  createPortfolio,
  type DecisionRow,
  getPortfolio,
  killSwitch,
  listPortfolios,
  loadLedger,
  type PortfolioRow,
  splitKey,
} from '../portfolio/ledger/store.ts';
import { engageKillSwitch, releaseKillSwitch } from '../portfolio/run/kill.ts';
import { reconcilePortfolio } from '../portfolio/run/reconcile.ts';
import type {
  DecisionList,
  EquityCurve,
  FillList,
  KillSwitchResult,
  KillSwitchView,
  LockList,
  OrderList,
  PortfolioDetail,
  PortfolioList,
  PortfolioView,
} from './contracts/portfolios.ts';

// The operations behind control-api's /portfolios and /kill-switch routes (reads for readers, writes for
// admins): thin reads of the ledger tables and the portfolio run's functions.

type Out<T extends z.ZodType> = z.input<T>;

async function view(ctx: PipelineContext, p: PortfolioRow): Promise<Out<typeof PortfolioView>> {
  const [e] = await ctx.sql<{ equity: number }[]>`
    select equity from portfolio_equity where portfolio_id = ${p.id} order by date desc limit 1`;
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    strategy_id: p.strategy_id,
    strategy_version: p.strategy_version,
    rule: p.rule as Record<string, unknown> | null,
    universe: p.universe,
    broker: p.broker,
    mode: p.mode,
    starting_cash: p.starting_cash,
    start_date: p.start_date,
    trading_enabled: p.trading_enabled,
    cash: p.cash,
    equity: e?.equity ?? null,
    last_date: p.last_date,
  };
}

/** Every portfolio with its latest equity. */
export async function portfolioList(ctx: PipelineContext): Promise<Out<typeof PortfolioList>> {
  const rows = await listPortfolios(ctx.sql);
  return { items: await Promise.all(rows.map((p) => view(ctx, p))) };
}

async function switchView(ctx: PipelineContext): Promise<Out<typeof KillSwitchView>> {
  const k = await killSwitch(ctx.sql);
  return { killed: k.killed, reason: k.reason, changed_at: k.changed_at.toISOString() };
}

async function latestDecisions(
  ctx: PipelineContext,
  id: string,
  date?: string,
): Promise<Out<typeof DecisionList>> {
  const items = await ctx.sql<DecisionRow[]>`
    select date::text as date, symbol, action, qty, target_weight, current_weight, score, rule, reason
    from portfolio_decisions where portfolio_id = ${id}
      and date = coalesce(${date ?? null}::date, (select max(date) from portfolio_decisions where portfolio_id = ${id}))
    order by case action when 'SELL' then 0 when 'BUY' then 1 when 'HOLD' then 2 else 3 end, symbol`;
  return { date: items[0]?.date ?? date ?? null, items };
}

/** One portfolio: holdings with actual and target weights, the latest decisions, active locks, the switch. */
export async function portfolioDetail(
  ctx: PipelineContext,
  id: string,
): Promise<Out<typeof PortfolioDetail>> {
  const p = await getPortfolio(ctx.sql, id);
  const ledger = await loadLedger(ctx.sql, p);
  const equity = ledgerEquity(ledger);
  const decisions = await latestDecisions(ctx, id);
  const target = new Map(
    decisions.items.filter((d) => d.target_weight !== null).map((d) => [d.symbol, d.target_weight]),
  );
  const positions = [...ledger.positions].map(([key, pos]) => {
    const { assetType, symbol } = splitKey(key);
    const value = pos.qty * pos.mark;
    return {
      symbol,
      asset_type: assetType,
      qty: pos.qty,
      avg_price: pos.avgPrice,
      mark: pos.mark,
      value,
      weight: equity > 0 ? value / equity : 0,
      target_weight: target.get(symbol) ?? null,
    };
  });
  // Targets of names not held yet (bought at the next open) show with a zero actual weight.
  for (const [symbol, w] of target)
    if (!positions.some((x) => x.symbol === symbol) && w !== null && w > 0)
      positions.push({
        symbol,
        asset_type: 'equity',
        qty: 0,
        avg_price: 0,
        mark: 0,
        value: 0,
        weight: 0,
        target_weight: w,
      });
  const [u] = await ctx.sql<
    { asset_type: 'crypto' | 'equity' }[]
  >`select asset_type from universes where id = ${p.universe}`;
  for (const x of positions) if (x.qty === 0 && u) x.asset_type = u.asset_type;
  return {
    ...(await view(ctx, p)),
    positions,
    decisions: decisions.items,
    locks: (await portfolioLocks(ctx, id)).items,
    kill_switch: await switchView(ctx),
  };
}

/** Orders, newest first. */
export async function portfolioOrders(
  ctx: PipelineContext,
  id: string,
  limit: number,
): Promise<Out<typeof OrderList>> {
  await getPortfolio(ctx.sql, id);
  const items = await ctx.sql<Out<typeof OrderList>['items']>`
    select client_order_id, date::text as date, symbol, side, qty, type, status, filled_qty, avg_price, rule, error
    from portfolio_orders where portfolio_id = ${id} order by date desc, client_order_id desc limit ${limit}`;
  return { items };
}

/** Fills, newest first. */
export async function portfolioFills(
  ctx: PipelineContext,
  id: string,
  limit: number,
): Promise<Out<typeof FillList>> {
  await getPortfolio(ctx.sql, id);
  const items = await ctx.sql<Out<typeof FillList>['items']>`
    select seq, client_order_id, date::text as date, symbol, side, qty, price, fee, rule
    from portfolio_fills where portfolio_id = ${id} order by seq desc limit ${limit}`;
  return { items };
}

/** The decisions of one date (default: the latest); a list, so an unknown portfolio has none. */
export function portfolioDecisions(
  ctx: PipelineContext,
  id: string,
  date?: string,
): Promise<Out<typeof DecisionList>> {
  return latestDecisions(ctx, id, date);
}

/** Locks still active at the portfolio's last date. */
export async function portfolioLocks(ctx: PipelineContext, id: string): Promise<Out<typeof LockList>> {
  const items = await ctx.sql<Out<typeof LockList>['items']>`
    select l.rule, l.symbol, l.from_date::text as from_date, l.until_date::text as until_date, l.reason
    from portfolio_locks l join portfolios p on p.id = l.portfolio_id
    where l.portfolio_id = ${id} and (p.last_date is null or l.until_date > p.last_date)
    order by l.from_date desc`;
  return { items };
}

/** The daily equity with the benchmark's close and, for a strategy, its backtest over the same days. */
export async function portfolioEquity(ctx: PipelineContext, id: string): Promise<Out<typeof EquityCurve>> {
  const p = await getPortfolio(ctx.sql, id);
  const rows = await ctx.sql<
    { date: string; cash: number; equity: number; benchmark_close: number | null }[]
  >`
    select date::text as date, cash, equity, benchmark_close from portfolio_equity where portfolio_id = ${id} order by date`;
  const backtest =
    p.kind === 'strategy' && rows.length > 0
      ? new Map(
          (await reconcilePortfolio(ctx.sql, id, ctx.benchmarks, sentimentSeries(ctx))).backtestCurve.map(
            (x) => [x.date, x.equity],
          ),
        )
      : new Map<string, number>();
  return { items: rows.map((r) => ({ ...r, backtest_equity: backtest.get(r.date) ?? null })) };
}

/** The reconciliation of a strategy portfolio with its backtest, without the curve. */
export async function portfolioReconciliation(ctx: PipelineContext, id: string) {
  const { backtestCurve: _, ...rest } = await reconcilePortfolio(
    ctx.sql,
    id,
    ctx.benchmarks,
    sentimentSeries(ctx),
  );
  return rest;
}

/** Creates a paper portfolio (admin). */
export async function portfolioCreate(
  ctx: PipelineContext,
  body: unknown,
): Promise<Out<typeof PortfolioView>> {
  return view(ctx, await createPortfolio(ctx.sql, body));
}

/** Pauses or resumes one portfolio (admin). */
export async function portfolioPatch(
  ctx: PipelineContext,
  id: string,
  tradingEnabled: boolean,
): Promise<Out<typeof PortfolioView>> {
  await getPortfolio(ctx.sql, id);
  await ctx.sql`update portfolios set trading_enabled = ${tradingEnabled} where id = ${id}`;
  return view(ctx, await getPortfolio(ctx.sql, id));
}

/** The kill switch's state. */
export function killSwitchState(ctx: PipelineContext): Promise<Out<typeof KillSwitchView>> {
  return switchView(ctx);
}

/** Engages (cancelling every working order) or releases the kill switch (admin). */
export async function killSwitchSet(
  ctx: PipelineContext,
  killed: boolean,
  reason: string | undefined,
): Promise<Out<typeof KillSwitchResult>> {
  const out = killed
    ? await engageKillSwitch(ctx.sql, reason ?? 'kill switch from control-api', 'admin', ctx.brokerEnv ?? {})
    : { cancelled: 0, brokers: [] };
  if (!killed) await releaseKillSwitch(ctx.sql, 'admin');
  return { ...(await switchView(ctx)), cancelled: out.cancelled, brokers: out.brokers };
}
