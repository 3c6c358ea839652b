import type { PaperBar } from '../../brokers/paper/index.ts';
import { type BrokerEnv, createBroker } from '../../brokers/registry.ts';
import { type Broker, BrokerError, type BrokerOrder, type OrderRequest } from '../../brokers/types.ts';
import type { Sql } from '../../db/client.ts';
import type { AssetType } from '../../domain/market.ts';
import { AppError, errorMessage } from '../../errors/index.ts';
import { applyFill, type Ledger, type LedgerRules } from '../ledger/ledger.ts';
import { type FillRow, type OrderRow, type PortfolioRow, splitKey } from '../ledger/store.ts';
import type { DeltaTrade } from '../orders/index.ts';

// A rebalance portfolio whose orders go to Alpaca or Interactive Brokers (DESIGN Part 2, decision 6).
// The broker fills in real time, so a trade run learns the fills of the ledger's working orders from
// the broker (by client order id) instead of making them. An order is written to the ledger as
// `sending` and committed BEFORE it is sent: a run that stops after the broker took an order and before
// its ledger write leaves that row behind, and the next run looks the order up by its client order id
// instead of sending it again (the adapters do the same after a timeout, shared/brokers/http.ts).

/** Ledger statuses after which an order never changes (the broker's final statuses). */
export const FINAL_LEDGER = ['filled', 'canceled', 'expired', 'rejected'];

/** The request and the ledger row of one delta trade; the client order id is `<portfolio>-<date>-<symbol>-<side>`. */
export function tradeOrder(
  portfolio: string,
  assetType: AssetType,
  date: string,
  t: DeltaTrade,
): {
  req: OrderRequest;
  row: Omit<OrderRow, 'status' | 'filled_qty' | 'avg_price' | 'broker_order_id' | 'error'>;
} {
  const side = t.side === 'BUY' ? 'buy' : 'sell';
  const req: OrderRequest = {
    clientOrderId: `${portfolio}-${date}-${t.asset}-${side}`.slice(0, 48),
    symbol: t.asset,
    side,
    qty: t.quantity,
    type: 'market',
    timeInForce: 'day',
  };
  const row = {
    client_order_id: req.clientOrderId,
    date,
    symbol: t.asset,
    asset_type: assetType,
    side,
    qty: t.quantity,
    type: 'market',
    limit_price: null,
    rule: 'rebalance',
  } as const;
  return { req, row };
}

/**
 * Why a portfolio may not send orders to its broker now, or null when it may. A paper account always
 * may; a live (real-money) one needs both the server's switch (STRATOS_LIVE_TRADING=enabled) and the
 * portfolio's own admin approval, checked on every run so switching either off stops it at once.
 */
export function liveRefusal(p: PortfolioRow, env: BrokerEnv): string | null {
  if (p.mode !== 'live') return null;
  if (env.STRATOS_LIVE_TRADING?.trim() !== 'enabled')
    return `live trading is disabled on this server (STRATOS_LIVE_TRADING is not "enabled"): no order sent to ${p.broker}`;
  if (!p.live_approved_at) return `portfolio "${p.id}" has no admin approval for live trading: no order sent`;
  return null;
}

/** The portfolio's account at its broker, built from the environment; a key or account not set stops the run. */
export function portfolioBroker(p: PortfolioRow, env: BrokerEnv): Broker {
  const build = createBroker(p.broker, env, { live: p.mode === 'live' });
  if ('missing' in build)
    throw new AppError('invalid_input', `portfolio "${p.id}" trades through ${p.broker}: ${build.missing}`, {
      retryable: false,
    });
  return build.broker;
}

/**
 * What a run learns from the broker, kept in step with the ledger: an order row's `filled_qty` and
 * `avg_price` are always what the ledger has applied, so each look at an order applies only the
 * quantity filled since the last one, once, whether the look is the day's sync, a send's answer or the
 * look-up of an order an earlier run left `sending`.
 */
export interface BrokerBook {
  broker: Broker;
  /** The order rows learned this run, by client order id (written with the day). */
  orders: Map<string, OrderRow>;
  /** The fills applied to the ledger this run. */
  fills: FillRow[];
  /** Applies what the broker says of the order `row` (the ledger's view) and returns the updated row. */
  learn(row: OrderRow, b: BrokerOrder): OrderRow;
}

/** A book over `ledger` for the run of `date`; fills are dated the run date and numbered from `seq`. */
export function brokerBook(
  broker: Broker,
  ledger: Ledger,
  ctx: { date: string; bars: ReadonlyMap<string, PaperBar>; rules: LedgerRules; seq: number },
): BrokerBook {
  const book: BrokerBook = {
    broker,
    orders: new Map(),
    fills: [],
    learn(o, b) {
      const qty = b.filledQty - o.filled_qty;
      let row: OrderRow = {
        ...o,
        status: b.status,
        broker_order_id: b.id,
        error: b.status === 'canceled' ? o.error : null,
      };
      if (qty > 1e-9 && b.filledAvgPrice !== null) {
        // The broker reports the average over the whole order; the new part's price follows from it.
        const price = (b.filledAvgPrice * b.filledQty - (o.avg_price ?? 0) * o.filled_qty) / qty;
        const bar = ctx.bars.get(o.symbol);
        const inside = bar !== undefined && bar.low <= price && price <= bar.high;
        const low = bar ? Math.min(bar.low, price) : price;
        const high = bar ? Math.max(bar.high, price) : price;
        applyFill(
          ledger,
          { date: ctx.date, key: `${o.asset_type}:${o.symbol}`, side: o.side, qty, price, fee: 0, low, high },
          ctx.rules,
        );
        book.fills.push({
          seq: ctx.seq + book.fills.length,
          client_order_id: o.client_order_id,
          date: ctx.date,
          symbol: o.symbol,
          asset_type: o.asset_type,
          side: o.side,
          qty,
          price,
          fee: 0,
          rule: `rebalance:${broker.name}`,
          note: `${broker.name} reported the fill at ${b.filledAt ?? 'an unknown time'}${inside ? '' : bar ? ", outside the day's bar" : ', no bar that day'}`,
          bar_low: low,
          bar_high: high,
        });
        row = { ...row, filled_qty: b.filledQty, avg_price: b.filledAvgPrice };
      }
      book.orders.set(row.client_order_id, row);
      return row;
    },
  };
  return book;
}

const ORDER_COLUMNS = `client_order_id, date::text as date, symbol, asset_type, side, qty, type, limit_price, status,
  filled_qty, avg_price, broker_order_id, rule, error`;

/**
 * Brings the ledger's working orders (and those an earlier run left `sending`) up to date from the
 * broker, sells first as they were sent. A broker fill is a fact: when its price lies outside the day's
 * bar (a late look, a revised bar) the ledger still takes it and the fill's note says so. An order the
 * broker does not know under its client order id never reached it.
 */
export async function syncBrokerOrders(sql: Sql, book: BrokerBook, portfolio: string): Promise<void> {
  const open = await sql<OrderRow[]>`
    select ${sql.unsafe(ORDER_COLUMNS)} from portfolio_orders
    where portfolio_id = ${portfolio} and status <> all(${FINAL_LEDGER}::text[])
    order by date, (side = 'buy'), client_order_id`;
  for (const o of open) {
    const b = await book.broker.getOrder(o.client_order_id);
    if (b) book.learn(o, b);
    else
      book.orders.set(o.client_order_id, {
        ...o,
        status: 'rejected',
        error: `${book.broker.name} has no order ${o.client_order_id}: the run stopped before sending it`,
      });
  }
}

/**
 * The ledger's positions must be the broker's before a rebalance, any difference stops it. Portfolios
 * sharing one account (same broker and mode) are compared by their sum: this run's ledger plus the
 * others' stored positions. The account's cash is not compared (it may hold more than the portfolios').
 */
export async function reconcilePositions(
  sql: Sql,
  p: PortfolioRow,
  ledger: Ledger,
  broker: Broker,
): Promise<void> {
  const others = await sql<{ symbol: string; qty: number }[]>`
    select pp.symbol, sum(pp.qty)::float8 as qty from portfolio_positions pp join portfolios o on o.id = pp.portfolio_id
    where o.broker = ${p.broker} and o.mode = ${p.mode} and o.id <> ${p.id} group by pp.symbol`;
  const held = new Map(others.map((r) => [r.symbol, r.qty]));
  for (const [k, pos] of ledger.positions) {
    const { symbol } = splitKey(k);
    held.set(symbol, (held.get(symbol) ?? 0) + pos.qty);
  }
  const differences: string[] = [];
  for (const bp of await broker.positions()) {
    const qty = held.get(bp.symbol) ?? 0;
    held.delete(bp.symbol);
    if (Math.abs(qty - bp.qty) > 1e-9)
      differences.push(`${bp.symbol}: ${broker.name} ${bp.qty}, ledger ${qty}`);
  }
  for (const [symbol, qty] of held)
    if (Math.abs(qty) > 1e-9) differences.push(`${symbol}: ${broker.name} 0, ledger ${qty}`);
  if (differences.length)
    throw new AppError(
      'conflict',
      `portfolio "${p.id}": the ledger and ${broker.name} disagree, not rebalancing: ${differences.join('; ')}`,
      { retryable: false, details: { differences } },
    );
}

/**
 * Sends the plan's orders to the broker, sells before buys. Each is first written as `sending` (its own
 * commit); an id the ledger already holds is looked up at the broker and sent only if the broker has
 * none. A refusal is recorded on the order, not thrown; a failure whose outcome is unknown (the broker
 * unreachable even for the look-up) stops the run with the row left `sending`, for the next run to
 * resolve. What the broker answers (a fill at once, an order found) goes through the book.
 */
export async function sendThroughBroker(
  sql: Sql,
  book: BrokerBook,
  portfolio: string,
  assetType: AssetType,
  date: string,
  trades: readonly DeltaTrade[],
): Promise<void> {
  for (const t of trades) {
    if (t.side === 'HOLD') continue;
    const { req, row } = tradeOrder(portfolio, assetType, date, t);
    const fresh: OrderRow = {
      ...row,
      status: 'sending',
      filled_qty: 0,
      avg_price: null,
      broker_order_id: null,
      error: null,
    };
    const [stored] = await sql<OrderRow[]>`
      select ${sql.unsafe(ORDER_COLUMNS)} from portfolio_orders
      where portfolio_id = ${portfolio} and client_order_id = ${req.clientOrderId}`;
    const known = book.orders.get(req.clientOrderId) ?? stored;
    if (known) {
      const found = await book.broker.getOrder(req.clientOrderId);
      if (found) {
        book.learn(known, found);
        continue;
      }
    } else
      await sql`insert into portfolio_orders ${sql({ portfolio_id: portfolio, ...fresh })} on conflict do nothing`;
    const base = known ?? fresh;
    try {
      book.learn(base, await book.broker.submitOrder(req));
    } catch (err) {
      // Not refused, but not known to be placed either (the broker stayed unreachable): the next run resolves it.
      if (!(err instanceof BrokerError) || err.retryable) throw err;
      const found =
        err.kind === 'duplicate_client_order_id' ? await book.broker.getOrder(req.clientOrderId) : null;
      if (found) book.learn(base, found);
      else
        book.orders.set(req.clientOrderId, {
          ...base,
          status: 'rejected',
          error: `${err.kind}: ${errorMessage(err)}`,
        });
    }
  }
}
