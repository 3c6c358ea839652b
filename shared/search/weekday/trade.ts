// The weekday paper portfolio: each session trades the picks of the close before it through the strategy
// engine (the stored trade spec over a two-day panel, the picks' PICK_SIGNAL set on the decision close),
// exactly as a backtest of that spec over those two days would, and books the engine's fills in the
// portfolio ledger, whose own arithmetic must agree with the engine's equity. Every position is closed by
// the session's close (end-of-day exits), so each session starts from cash.

import { z } from 'zod';
import type { Sql } from '../../db/client.ts';
import type { AssetType } from '../../domain/market.ts';
import { IsoDate } from '../../domain/market.ts';
import { runBacktest } from '../../engine/backtest.ts';
import { emptyPanel } from '../../engine/panel.ts';
import { AppError } from '../../errors/index.ts';
import type { PipelineContext } from '../../pipeline/types.ts';
import { applyFill, ledgerEquity } from '../../portfolio/ledger/ledger.ts';
import {
  type DecisionRow,
  type FillRow,
  getPortfolio,
  type LedgerDay,
  loadLedger,
  type OrderRow,
  type PortfolioRow,
} from '../../portfolio/ledger/store.ts';
import type { StrategySpec } from '../../strategy/spec.ts';
import { loadWeekdayTrade, PICK_SIGNAL, runWeekday } from './run.ts';

/** What creating a weekday portfolio takes. */
export const WeekdayPortfolioInput = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'expected a snake_case id, e.g. weekday_paper'),
  name: z.string().min(1).max(200),
  universe: z.string().min(1).max(100),
  starting_cash: z.number().gt(0).max(1e12),
  start_date: IsoDate,
});
export type WeekdayPortfolioInput = z.infer<typeof WeekdayPortfolioInput>;

/**
 * Creates a paper portfolio that trades the weekday run's picks (kind `weekday`); the trade stage steps it
 * with the universe's other portfolios. An id already taken is a conflict.
 */
export async function createWeekdayPortfolio(sql: Sql, input: unknown): Promise<PortfolioRow> {
  const parsed = WeekdayPortfolioInput.safeParse(input);
  if (!parsed.success)
    throw new AppError(
      'invalid_input',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      { retryable: false },
    );
  const p = parsed.data;
  const [universe] = await sql`select id from universes where id = ${p.universe}`;
  if (!universe)
    throw new AppError('invalid_input', `unknown universe "${p.universe}"`, { retryable: false });
  const rows = await sql`
    insert into portfolios (id, name, kind, universe, starting_cash, start_date, cash)
    values (${p.id}, ${p.name}, 'weekday', ${p.universe}, ${p.starting_cash}, ${p.start_date}, ${p.starting_cash})
    on conflict (id) do nothing returning id`;
  if (rows.length === 0) throw new AppError('conflict', `portfolio "${p.id}" already exists`);
  return getPortfolio(sql, p.id);
}

interface BarRow {
  symbol: string;
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** One session's trade of the picks decided at `decided`, as the engine runs it. */
interface SessionTrade {
  fills: FillRow[];
  orders: OrderRow[];
  refusals: DecisionRow[];
  /** The engine's equity at the session's close. */
  equity: number;
}

/**
 * Trades `picks` (decided at the close of `decided`) in the session `session` with `cash`: a backtest of
 * the spec over the two days, the picks' signal set on the first. Fills are numbered from `seq`.
 */
async function tradeSession(
  sql: Sql,
  portfolio: string,
  spec: StrategySpec,
  picks: readonly { asset_id: number; symbol: string }[],
  decided: string,
  session: string,
  cash: number,
  seq: number,
): Promise<SessionTrade> {
  const bars = await sql<BarRow[]>`
    select a.symbol, b.date::text as date, b.open, b.high, b.low, b.close, b.volume
    from daily_bars b join assets a on a.id = b.asset_id
    where b.asset_id = any(${picks.map((p) => p.asset_id)}::bigint[]) and b.date = any(${[decided, session]}::date[])`;
  const assets = [...picks]
    .sort((a, b) => (a.symbol < b.symbol ? -1 : 1))
    .map((p) => ({ symbol: p.symbol, assetType: 'equity' as AssetType }));
  const panel = emptyPanel([decided, session], assets, { signals: [PICK_SIGNAL] });
  const index = new Map(assets.map((a, i) => [a.symbol, i]));
  for (const b of bars) {
    const i = index.get(b.symbol)! * 2 + (b.date === decided ? 0 : 1);
    panel.open[i] = b.open;
    panel.high[i] = b.high;
    panel.low[i] = b.low;
    panel.close[i] = b.close;
    panel.volume[i] = b.volume;
  }
  const signal = panel.signals.get(PICK_SIGNAL)!;
  for (let a = 0; a < assets.length; a++) signal[a * 2] = 1;
  const result = runBacktest(spec, panel, { cash });
  if (result.state.open > 0)
    throw new AppError(
      'internal',
      `weekday trade of ${session}: a position is still open at the close (no closing price stored)`,
    );
  const fills: FillRow[] = [];
  const orders: OrderRow[] = [];
  result.fills.forEach((f, k) => {
    const { symbol } = assets[f.asset]!;
    const i = f.asset * 2 + f.day;
    const clientOrderId = `${portfolio}-${session}-${k}`;
    fills.push({
      seq: seq + k,
      client_order_id: clientOrderId,
      date: session,
      symbol,
      asset_type: 'equity',
      side: f.side,
      qty: f.qty,
      price: f.price,
      fee: f.fee,
      rule: f.rule,
      note: f.note ?? null,
      bar_low: panel.low[i]!,
      bar_high: panel.high[i]!,
    });
    orders.push({
      client_order_id: clientOrderId,
      date: f.side === 'buy' ? decided : session,
      symbol,
      asset_type: 'equity',
      side: f.side,
      qty: f.qty,
      type: 'market',
      limit_price: null,
      status: 'filled',
      filled_qty: f.qty,
      avg_price: f.price,
      broker_order_id: `engine-${session}-${k}`,
      rule: f.rule,
      error: null,
    });
  });
  const refusals = result.refusals.map(
    (r): DecisionRow => ({
      date: session,
      symbol: assets[r.asset]!.symbol,
      action: 'REFUSED',
      qty: 0,
      target_weight: null,
      current_weight: null,
      score: null,
      rule: r.rule,
      reason: `refused at the open: ${r.reason}`,
    }),
  );
  return { fills, orders, refusals, equity: result.state.equity };
}

/** The close's decisions: a BUY per pick with its reason, or one HOLD saying why there is none. */
async function closeDecisions(ctx: PipelineContext, date: string, trading: boolean): Promise<DecisionRow[]> {
  const hold = (rule: string, reason: string): DecisionRow[] => [
    {
      date,
      symbol: '*',
      action: 'HOLD',
      qty: 0,
      target_weight: null,
      current_weight: null,
      score: null,
      rule,
      reason,
    },
  ];
  const [stored] = await ctx.sql`select 1 from search_weekday_runs where as_of_date = ${date}`;
  try {
    if (!stored) await runWeekday(ctx, date);
  } catch (err) {
    // A close the weekday run cannot use (too little history) holds cash with the reason on record.
    if (err instanceof AppError && err.code === 'invalid_input') return hold('weekday:no_run', err.message);
    throw err;
  }
  if (!trading)
    return hold('trading_disabled', 'the kill switch is engaged or the portfolio is paused: no new orders');
  const [run] = await ctx.sql<{ status: string; reason: string; top_n: number }[]>`
    select status, reason, top_n from search_weekday_runs where as_of_date = ${date}`;
  const picks = await ctx.sql<{ symbol: string; news_score: number | null; reason: string }[]>`
    select symbol, news_score, reason from search_weekday_candidates
    where as_of_date = ${date} and pick_rank is not null order by pick_rank`;
  if (picks.length === 0) return hold(`weekday:${run!.status}`, run!.reason);
  return picks.map((p) => ({
    date,
    symbol: p.symbol,
    action: 'BUY',
    qty: 0,
    target_weight: 1 / run!.top_n,
    current_weight: null,
    score: p.news_score,
    rule: 'weekday:pick',
    reason: `${p.reason}; bought at the next open with 1/${run!.top_n} of equity`,
  }));
}

/**
 * Brings a weekday portfolio to `date`, session by session after its last day: the previous close's picks
 * are traded (unless `trading` is off), equity is recorded at the close, and the close's weekday run (run
 * now when none is stored) decides the next session's picks. Returns what to record, or null when there
 * is no new session.
 */
export async function stepWeekdayPortfolio(
  ctx: PipelineContext,
  p: PortfolioRow,
  date: string,
  opts: { trading: boolean; benchmarks: Record<AssetType, string> },
): Promise<LedgerDay | null> {
  const { sql } = ctx;
  if (p.last_date !== null && p.last_date >= date) return null;
  const days = await sql<{ date: string; benchmark: number | null }[]>`
    select d.date::text as date, (
      select b.close from daily_bars b join assets a on a.id = b.asset_id
      where a.asset_type = 'equity' and a.symbol = ${opts.benchmarks.equity} and b.date = d.date) as benchmark
    from (
      select distinct b.date from daily_bars b join assets a on a.id = b.asset_id
      where a.asset_type = 'equity' and b.date >= ${p.start_date}::date
        and (${p.last_date}::date is null or b.date > ${p.last_date}::date)
        and b.date <= ${date}::date
    ) d order by 1`;
  if (days.length === 0) return null;
  const ledger = await loadLedger(sql, p);
  if (ledger.positions.size > 0)
    throw new AppError('conflict', `weekday portfolio "${p.id}" holds positions overnight; it must be flat`);
  const [next] = await sql<{ seq: number }[]>`
    select coalesce(max(seq) + 1, 0)::int as seq from portfolio_fills where portfolio_id = ${p.id}`;
  let seq = next!.seq;
  const out: LedgerDay = { fills: [], orders: [], equity: [], decisions: [], ledger, lastDate: '' };
  let decided = p.last_date;
  for (const { date: session, benchmark } of days) {
    const trade = decided !== null && opts.trading ? await loadWeekdayTrade(sql, decided) : null;
    if (trade && decided !== null && trade.picks.length > 0) {
      const s = await tradeSession(sql, p.id, trade.spec, trade.picks, decided, session, ledger.cash, seq);
      for (const f of s.fills)
        applyFill(
          ledger,
          {
            date: session,
            key: `equity:${f.symbol}`,
            side: f.side,
            qty: f.qty,
            price: f.price,
            fee: f.fee,
            low: f.bar_low,
            high: f.bar_high,
          },
          { allowShort: false, margin: false, slippageRate: trade.spec.costs.slippage_rate },
        );
      const equity = ledgerEquity(ledger);
      if (Math.abs(equity - s.equity) > 1e-6 * Math.max(1, Math.abs(s.equity)))
        throw new AppError(
          'internal',
          `weekday portfolio "${p.id}" ${session}: ledger equity ${equity} but engine equity ${s.equity}`,
        );
      seq += s.fills.length;
      out.fills.push(...s.fills);
      out.orders.push(...s.orders);
      out.decisions.push(...s.refusals);
    }
    out.equity.push({
      date: session,
      cash: ledger.cash,
      positions_value: 0,
      equity: ledger.cash,
      benchmark_close: benchmark,
    });
    out.decisions.push(...(await closeDecisions(ctx, session, opts.trading)));
    out.lastDate = session;
    decided = session;
  }
  return out;
}
