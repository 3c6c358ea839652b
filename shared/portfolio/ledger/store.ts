import { z } from 'zod';
import type { Sql } from '../../db/client.ts';
import { AssetType, IsoDate } from '../../domain/market.ts';
import { AppError } from '../../errors/index.ts';
import { loadStrategy } from '../../strategy/store.ts';
import { type Ledger, newLedger } from './ledger.ts';

// The ledger in Postgres: portfolios, orders, fills, positions, daily equity, decisions, locks and the
// kill switch (migration 20261208000600). Every write is keyed by the portfolio and a natural key, so a
// day recorded twice converges to the same rows.

const Id = z.string().regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'expected a snake_case id, e.g. demo_sma');

/** Trading costs of a rebalance portfolio (a strategy portfolio trades at its spec's costs). */
export const PortfolioCosts = z.strictObject({
  fee_rate: z.number().min(0).max(0.1).default(0),
  fee_fixed: z.number().min(0).max(1000).default(0),
  slippage_rate: z.number().min(0).max(0.1).default(0),
});

/** A rebalance rule: when, how many names, how to weight, and the trade thresholds. */
export const RebalanceRule = z.strictObject({
  every: z.enum(['daily', 'weekly']).default('weekly'),
  /** ISO weekday of the weekly rebalance (1 Monday); a holiday moves it to the next trading day. */
  weekday: z.number().int().min(1).max(5).default(1),
  top_n: z.number().int().min(1).max(200).default(10),
  weighting: z.enum(['equal', 'inverse_vol', 'min_variance', 'vol_target']).default('equal'),
  max_weight: z.number().gt(0).lte(1).default(0.2),
  /** Weight differences below this are HOLD. */
  threshold: z.number().min(0).max(0.5).default(0.01),
  /** Trades worth less than this are HOLD. */
  min_trade_value: z.number().min(0).default(100),
  /** Positive sources (signals, review, sentiment, momentum) a new entry needs; abstentions do not count. */
  min_positive_sources: z.number().int().min(0).max(4).default(1),
});
export type RebalanceRule = z.infer<typeof RebalanceRule>;

/** What creating a portfolio takes: a strategy (id, optional version) or a rebalance rule, never both. */
export const PortfolioInput = z
  .strictObject({
    id: Id,
    name: z.string().min(1).max(200),
    strategy: Id.optional(),
    strategy_version: z.number().int().min(1).optional(),
    rule: RebalanceRule.optional(),
    universe: z.string().min(1).max(100),
    broker: z.enum(['paper', 'alpaca', 'ibkr']).default('paper'),
    starting_cash: z.number().gt(0).max(1e12),
    start_date: IsoDate,
    costs: PortfolioCosts.default({ fee_rate: 0, fee_fixed: 0, slippage_rate: 0 }),
  })
  .refine((p) => (p.strategy === undefined) !== (p.rule === undefined), {
    message: 'a portfolio follows either a strategy or a rebalance rule',
  })
  .refine((p) => p.strategy === undefined || p.broker === 'paper', {
    message:
      "a strategy portfolio trades on the paper broker (its fills are the engine's, to reconcile with its backtest)",
    path: ['broker'],
  });
export type PortfolioInput = z.input<typeof PortfolioInput>;

/** A portfolios row. */
export interface PortfolioRow {
  id: string;
  name: string;
  kind: 'strategy' | 'rebalance' | 'weekday';
  strategy_id: string | null;
  strategy_version: number | null;
  rule: RebalanceRule | null;
  universe: string;
  broker: string;
  mode: 'paper' | 'live';
  live_approved_by: string | null;
  live_approved_at: Date | null;
  starting_cash: number;
  costs: z.infer<typeof PortfolioCosts>;
  start_date: string;
  trading_enabled: boolean;
  cash: number;
  engine_state: unknown;
  broker_state: unknown;
  last_date: string | null;
  created_at: Date;
}

const COLUMNS = `id, name, kind, strategy_id, strategy_version, rule, universe, broker, mode, live_approved_by,
  live_approved_at, starting_cash, costs, start_date::text as start_date, trading_enabled, cash, engine_state,
  broker_state, last_date::text as last_date, created_at`;

/**
 * One portfolio, or not_found. `lock` takes the row (inside a transaction) for no-key update: runs of the
 * portfolio take turns, while an order row written ahead of its send on another connection (its foreign
 * key takes a key-share lock) does not wait for the run that writes it.
 */
export async function getPortfolio(sql: Sql, id: string, lock = false): Promise<PortfolioRow> {
  const [row] = await sql<PortfolioRow[]>`
    select ${sql.unsafe(COLUMNS)} from portfolios where id = ${id} ${lock ? sql`for no key update` : sql``}`;
  if (!row) throw new AppError('not_found', `unknown portfolio "${id}"`);
  return row;
}

/** Every portfolio, newest first. */
export function listPortfolios(sql: Sql): Promise<PortfolioRow[]> {
  return sql<PortfolioRow[]>`select ${sql.unsafe(COLUMNS)} from portfolios order by created_at desc, id`;
}

/**
 * Creates a portfolio in paper mode (live is a separate admin action); a strategy portfolio pins the
 * strategy's version (the latest when none is given). An id already taken is a conflict.
 */
export async function createPortfolio(sql: Sql, input: unknown): Promise<PortfolioRow> {
  const parsed = PortfolioInput.safeParse(input);
  if (!parsed.success)
    throw new AppError(
      'invalid_input',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      {
        retryable: false,
      },
    );
  const p = parsed.data;
  const [universe] = await sql`select id from universes where id = ${p.universe}`;
  if (!universe)
    throw new AppError('invalid_input', `unknown universe "${p.universe}"`, { retryable: false });
  const version = p.strategy ? (await loadStrategy(sql, p.strategy, p.strategy_version)).version : null;
  const rows = await sql`
    insert into portfolios (id, name, kind, strategy_id, strategy_version, rule, universe, broker, starting_cash,
      costs, start_date, cash)
    values (${p.id}, ${p.name}, ${p.strategy ? 'strategy' : 'rebalance'}, ${p.strategy ?? null}, ${version},
      ${p.rule ? sql.json(p.rule) : null}, ${p.universe}, ${p.broker}, ${p.starting_cash}, ${sql.json(p.costs)},
      ${p.start_date}, ${p.starting_cash})
    on conflict (id) do nothing returning id`;
  if (rows.length === 0) throw new AppError('conflict', `portfolio "${p.id}" already exists`);
  return getPortfolio(sql, p.id);
}

/** The ledger as stored: cash and positions, keyed `<asset_type>:<symbol>`. */
export async function loadLedger(sql: Sql, p: PortfolioRow): Promise<Ledger> {
  const ledger = newLedger(p.cash);
  const rows = await sql<
    { symbol: string; asset_type: AssetType; qty: number; avg_price: number; mark: number }[]
  >`
    select symbol, asset_type, qty, avg_price, mark from portfolio_positions where portfolio_id = ${p.id}`;
  for (const r of rows)
    ledger.positions.set(`${r.asset_type}:${r.symbol}`, { qty: r.qty, avgPrice: r.avg_price, mark: r.mark });
  return ledger;
}

/** Splits a ledger key back into its asset type and symbol. */
export function splitKey(key: string): { assetType: AssetType; symbol: string } {
  const i = key.indexOf(':');
  return { assetType: AssetType.parse(key.slice(0, i)), symbol: key.slice(i + 1) };
}

/** A fill row as stored. */
export interface FillRow {
  seq: number;
  client_order_id: string | null;
  date: string;
  symbol: string;
  asset_type: AssetType;
  side: 'buy' | 'sell';
  qty: number;
  price: number;
  fee: number;
  rule: string;
  note: string | null;
  bar_low: number;
  bar_high: number;
}

/** An order row as stored. */
export interface OrderRow {
  client_order_id: string;
  date: string;
  symbol: string;
  asset_type: AssetType;
  side: 'buy' | 'sell';
  qty: number;
  type: string;
  limit_price: number | null;
  status: string;
  filled_qty: number;
  avg_price: number | null;
  broker_order_id: string | null;
  rule: string;
  error: string | null;
}

/** A decision row: BUY / SELL / HOLD / REFUSED with the rule and the reason. */
export interface DecisionRow {
  date: string;
  symbol: string;
  action: 'BUY' | 'SELL' | 'HOLD' | 'REFUSED';
  qty: number;
  target_weight: number | null;
  current_weight: number | null;
  score: number | null;
  rule: string;
  reason: string;
}

/** A protection lock as stored: the rule, the symbol it locks (`*`: every symbol) and its days. */
export interface LockRow {
  rule: string;
  symbol: string;
  from_date: string;
  until_date: string;
  reason: string;
}

/** A rebalance's composite score of one symbol as stored: its rank and the components that had an opinion. */
export interface ScoreRow {
  date: string;
  symbol: string;
  score: number | null;
  rank: number;
  components: Record<string, number>;
}

/** An equity row as stored. */
export interface EquityRow {
  date: string;
  cash: number;
  positions_value: number;
  equity: number;
  benchmark_close: number | null;
}

/** What one trade run adds to a portfolio's ledger, written in one transaction. */
export interface LedgerDay {
  fills: FillRow[];
  orders: OrderRow[];
  equity: EquityRow[];
  decisions: DecisionRow[];
  /** Protection locks the day's decisions found active (a rerun finds the same ones). */
  locks?: LockRow[];
  /** The composite scores a rebalance ranked, with their components. */
  scores?: ScoreRow[];
  ledger: Ledger;
  lastDate: string;
  engineState?: unknown;
  brokerState?: unknown;
}

/**
 * Records a trade run: new fills (by sequence), orders (by client order id: a status update on a
 * replay), the day's decisions (replacing that day's), its scores with their components, the equity snapshots, the positions as the ledger
 * holds them, and the portfolio's cash, state and last date. Run inside the caller's transaction.
 */
export async function writeLedgerDay(tx: Sql, p: PortfolioRow, day: LedgerDay): Promise<void> {
  const id = p.id;
  const batch = <T>(rows: T[], size = 2000) => {
    const out: T[][] = [];
    for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
    return out;
  };
  for (const rows of batch(day.fills.map((f) => ({ portfolio_id: id, ...f }))))
    await tx`insert into portfolio_fills ${tx(rows)} on conflict (portfolio_id, seq) do nothing`;
  // One row per client order id: a run may look an order up and then find it again when sending.
  const orders = [...new Map(day.orders.map((o) => [o.client_order_id, o])).values()];
  for (const rows of batch(orders.map((o) => ({ portfolio_id: id, ...o }))))
    await tx`
      insert into portfolio_orders ${tx(rows)}
      on conflict (portfolio_id, client_order_id) do update set status = excluded.status,
        filled_qty = excluded.filled_qty, avg_price = excluded.avg_price, broker_order_id = excluded.broker_order_id,
        error = excluded.error, updated_at = now()`;
  const dates = [...new Set(day.decisions.map((d) => d.date))];
  if (dates.length)
    await tx`delete from portfolio_decisions where portfolio_id = ${id} and date = any(${dates}::date[])`;
  // One row per symbol, action and rule a day: a second refusal of the same symbol by the same rule adds nothing new.
  const decisions = [
    ...new Map(day.decisions.map((d) => [`${d.date}|${d.symbol}|${d.action}|${d.rule}`, d])).values(),
  ];
  for (const rows of batch(decisions.map((d) => ({ portfolio_id: id, ...d }))))
    await tx`insert into portfolio_decisions ${tx(rows)}`;
  for (const rows of batch((day.locks ?? []).map((l) => ({ portfolio_id: id, ...l }))))
    await tx`
      insert into portfolio_locks ${tx(rows)}
      on conflict (portfolio_id, rule, symbol, from_date) do update set until_date = excluded.until_date,
        reason = excluded.reason`;
  for (const rows of batch(
    (day.scores ?? []).map((r) => ({ portfolio_id: id, ...r, components: tx.json(r.components) })),
  ))
    await tx`
      insert into portfolio_scores ${tx(rows)}
      on conflict (portfolio_id, date, symbol) do update set score = excluded.score, rank = excluded.rank,
        components = excluded.components`;
  for (const rows of batch(day.equity.map((e) => ({ portfolio_id: id, ...e }))))
    await tx`
      insert into portfolio_equity ${tx(rows)}
      on conflict (portfolio_id, date) do update set cash = excluded.cash,
        positions_value = excluded.positions_value, equity = excluded.equity, benchmark_close = excluded.benchmark_close`;
  await tx`delete from portfolio_positions where portfolio_id = ${id}`;
  const positions = [...day.ledger.positions].map(([key, pos]) => {
    const { assetType, symbol } = splitKey(key);
    return {
      portfolio_id: id,
      symbol,
      asset_type: assetType,
      qty: pos.qty,
      avg_price: pos.avgPrice,
      mark: pos.mark,
    };
  });
  for (const rows of batch(positions)) await tx`insert into portfolio_positions ${tx(rows)}`;
  await tx`
    update portfolios set cash = ${day.ledger.cash}, last_date = ${day.lastDate},
      engine_state = ${day.engineState === undefined ? tx`engine_state` : tx.json(day.engineState as never)},
      broker_state = ${day.brokerState === undefined ? tx`broker_state` : tx.json(day.brokerState as never)}
    where id = ${id}`;
}

/** Whether the kill switch is engaged, and why. */
export async function killSwitch(
  sql: Sql,
): Promise<{ killed: boolean; reason: string | null; changed_at: Date }> {
  const [row] = await sql<{ killed: boolean; reason: string | null; changed_at: Date }[]>`
    select killed, reason, changed_at from trading_switch where id`;
  return row ?? { killed: false, reason: null, changed_at: new Date(0) };
}

/** Engages (with a reason) or releases the kill switch. */
export async function setKillSwitch(
  sql: Sql,
  killed: boolean,
  reason: string | null,
  by: string,
): Promise<void> {
  await sql`
    insert into trading_switch (id, killed, reason, changed_by, changed_at) values (true, ${killed}, ${reason}, ${by}, now())
    on conflict (id) do update set killed = excluded.killed, reason = excluded.reason, changed_by = excluded.changed_by,
      changed_at = excluded.changed_at`;
}

/**
 * An admin's approval of real-money trading for one portfolio: refused unless the server allows live
 * trading (STRATOS_LIVE_TRADING=enabled) and the portfolio names a real broker (the paper broker has no
 * money to move). The approval is recorded with who gave it.
 */
export async function approveLive(
  sql: Sql,
  id: string,
  by: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<PortfolioRow> {
  if (env.STRATOS_LIVE_TRADING !== 'enabled')
    throw new AppError(
      'forbidden',
      'live trading is disabled on this server (set STRATOS_LIVE_TRADING=enabled)',
    );
  const p = await getPortfolio(sql, id);
  if (p.broker === 'paper')
    throw new AppError(
      'invalid_input',
      `portfolio "${id}" trades with the paper broker: it has no real money to move`,
      {
        retryable: false,
      },
    );
  await sql`update portfolios set mode = 'live', live_approved_by = ${by}, live_approved_at = now() where id = ${id}`;
  return getPortfolio(sql, id);
}
