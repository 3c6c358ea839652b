import { addDays, isTradingDay } from '../../calendar/index.ts';
import type { AssetType } from '../../domain/market.ts';
import { orderFee, slipped, stopPrice, targetPrice } from '../../engine/fills.ts';
import type { Costs } from '../../strategy/spec.ts';
import {
  acceptedOrder,
  type Broker,
  type BrokerAccount,
  BrokerError,
  type BrokerOrder,
  type BrokerPosition,
  checkOrderRequest,
  FINAL_STATUSES,
  type MarketClock,
  type OrderRequest,
} from '../types.ts';

// The built-in broker: orders wait for the next daily bar and fill by the engine's fill contract
// (docs/FILL-CONTRACT.md) through the same functions (shared/engine/fills.ts): market orders at the open,
// limits and take-profits as targets (a gap beyond fills at the open), stops with gaps at the open, the
// stop before the target in one bar, trailing stops checked against the low before the high raises them,
// no exit leg on its entry bar, slippage against every fill and the fee per order. Long only: a sell
// beyond the position is refused. Its whole state is plain JSON, stored by the portfolio between days.

const NAME = 'paper';

/** One day's bar of a symbol, as the paper broker fills against it. */
export interface PaperBar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** An order with what the paper broker tracks beside the broker view. */
interface PaperOrder extends BrokerOrder {
  /** The date of the bar that filled the parent: a leg does not fire on that bar (fill contract rule 7). */
  armedAfter: string | null;
  /** A trailing stop's distance (fraction or price) and the best price since it started. */
  trailPercent: number | null;
  trailPrice: number | null;
  best: number | null;
  /** The parent of a bracket leg; legs work only once it filled. */
  parent: string | null;
  /** The date of the last bar this order saw (day orders expire after their first). */
  seenBar: string | null;
}

/** A fill the paper broker made, with the rule of the fill contract that priced it. */
export interface PaperFill {
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  price: number;
  fee: number;
  date: string;
  /** `open`, `limit`, `limit_gap_open`, `stop`, `stop_gap_open`, `trailing`, `trailing_gap_open`, `close`. */
  rule: string;
  /** The bar's range, so the ledger can refuse a fill outside it. */
  low: number;
  high: number;
}

/** Everything the paper broker carries between days: plain JSON. */
export interface PaperState {
  cash: number;
  /** The date of the last bar applied; null before the first. */
  date: string | null;
  seq: number;
  positions: Record<string, { qty: number; avgPrice: number; lastPrice: number }>;
  orders: PaperOrder[];
}

/** How the paper broker trades: costs, units per symbol, the market's calendar and the prices it knows. */
export interface PaperOptions {
  costs: Costs;
  assetType: AssetType;
  /** Whole units for equities, fractional for crypto (the engine's `units: auto`). */
  wholeUnits: boolean;
  /** The last known price of a symbol (to check buying power at submission); undefined when it is unknown. */
  price(symbol: string): number | undefined;
  now(): Date;
}

/** The paper broker: a Broker, plus the daily bar that fills its orders and its state to store. */
export interface PaperBroker extends Broker {
  /** Fills working orders against one day's bars (days in order), marks positions at the close. */
  applyBars(date: string, bars: ReadonlyMap<string, PaperBar>): PaperFill[];
  state(): PaperState;
}

/** A fresh paper account holding `cash`. */
export function newPaperState(cash: number): PaperState {
  if (!(cash > 0 && Number.isFinite(cash)))
    throw new RangeError(`starting cash must be positive, got ${cash}`);
  return { cash, date: null, seq: 0, positions: {}, orders: [] };
}

const isWorking = (o: PaperOrder) => !FINAL_STATUSES.has(o.status);
const publicView = (o: PaperOrder, legsOf: (id: string) => readonly PaperOrder[]): BrokerOrder => ({
  id: o.id,
  clientOrderId: o.clientOrderId,
  symbol: o.symbol,
  side: o.side,
  type: o.type,
  qty: o.qty,
  status: o.status,
  filledQty: o.filledQty,
  filledAvgPrice: o.filledAvgPrice,
  limitPrice: o.limitPrice,
  stopPrice: o.stopPrice,
  timeInForce: o.timeInForce,
  submittedAt: o.submittedAt,
  filledAt: o.filledAt,
  legs: legsOf(o.clientOrderId).map((l) => publicView(l, legsOf)),
});

/** The paper broker over a stored state (a fresh one from `newPaperState`). Mutates and exposes that state. */
export function createPaperBroker(opts: PaperOptions, initial: PaperState): PaperBroker {
  const s: PaperState = structuredClone(initial);
  const { costs } = opts;
  const byId = new Map(s.orders.map((o) => [o.clientOrderId, o]));
  // The orders still working, pruned as they finish: the stored list keeps every order for lookups, but
  // buying power, held quantities and each bar only scan these.
  let open = s.orders.filter((o) => isWorking(o));
  const legs = new Map<string, PaperOrder[]>();
  for (const o of s.orders) if (o.parent !== null) legs.set(o.parent, [...(legs.get(o.parent) ?? []), o]);
  const legsOf = (id: string): readonly PaperOrder[] => legs.get(id) ?? [];
  const live = () => {
    open = open.filter((o) => isWorking(o));
    return open;
  };

  const find = (clientOrderId: string): PaperOrder | undefined => byId.get(clientOrderId);

  /** Units working sells already hold (Alpaca's "held for orders"); a bracket's two legs hold its units once. */
  const heldBySells = (symbol: string) =>
    live()
      .filter(
        (o) =>
          o.symbol === symbol &&
          o.side === 'sell' &&
          isWorking(o) &&
          o.status !== 'new' &&
          !(o.parent !== null && o.type === 'limit'),
      )
      .reduce((q, o) => q + o.qty - o.filledQty, 0);
  /** What working market sells should bring in, net of slippage and fees: the paper buying power counts it. */
  const pendingSales = () =>
    live()
      .filter((o) => o.side === 'sell' && o.type === 'market' && isWorking(o) && o.parent === null)
      .reduce((v, o) => {
        const p = slipped(
          opts.price(o.symbol) ?? s.positions[o.symbol]?.lastPrice ?? 0,
          false,
          costs.slippage_rate,
        );
        const q = o.qty - o.filledQty;
        return v + q * p - orderFee(q, p, costs);
      }, 0);
  const committedToBuys = () =>
    live()
      .filter((o) => o.side === 'buy' && isWorking(o) && o.parent === null)
      .reduce((v, o) => v + estimate(o.symbol, o.qty - o.filledQty, o.limitPrice), 0);
  const estimate = (symbol: string, qty: number, limit: number | null) => {
    const p = slipped(
      limit ?? opts.price(symbol) ?? s.positions[symbol]?.lastPrice ?? 0,
      true,
      costs.slippage_rate,
    );
    return qty * p + orderFee(qty, p, costs);
  };

  const nowIso = () => opts.now().toISOString();

  function addOrder(req: OrderRequest, extra: Partial<PaperOrder> = {}): PaperOrder {
    const o: PaperOrder = {
      ...acceptedOrder(`paper-${++s.seq}`, req, nowIso()),
      armedAfter: null,
      trailPercent: req.trailPercent ?? null,
      trailPrice: req.trailPrice ?? null,
      best: null,
      parent: null,
      seenBar: null,
      ...extra,
    };
    s.orders.push(o);
    open.push(o);
    if (o.parent !== null) legs.set(o.parent, [...legsOf(o.parent), o]);
    byId.set(o.clientOrderId, o);
    return o;
  }

  async function submitOrder(req: OrderRequest): Promise<BrokerOrder> {
    checkOrderRequest(req, NAME);
    if (opts.wholeUnits && !Number.isInteger(req.qty))
      throw new BrokerError(
        'invalid_order',
        `order ${req.clientOrderId}: ${req.symbol} trades in whole units`,
        NAME,
      );
    if (
      byId.has(req.clientOrderId) ||
      (req.bracket && (byId.has(`${req.clientOrderId}-tp`) || byId.has(`${req.clientOrderId}-sl`)))
    )
      throw new BrokerError(
        'duplicate_client_order_id',
        `client order id ${req.clientOrderId} was already used`,
        NAME,
      );
    const price = opts.price(req.symbol) ?? s.positions[req.symbol]?.lastPrice;
    if (price === undefined) throw new BrokerError('rejected', `no price known for ${req.symbol}`, NAME);
    if (req.side === 'buy') {
      const need = estimate(req.symbol, req.qty, req.limitPrice ?? null) + committedToBuys();
      if (need > s.cash + pendingSales() + 1e-9)
        throw new BrokerError(
          'insufficient_buying_power',
          `buying ${req.qty} ${req.symbol} needs about ${need.toFixed(2)}, the buying power is ${(s.cash + pendingSales()).toFixed(2)}`,
          NAME,
        );
      if (
        req.bracket &&
        req.limitPrice === undefined &&
        !(req.bracket.stopLoss < price && price < req.bracket.takeProfit)
      )
        throw new BrokerError(
          'invalid_order',
          `order ${req.clientOrderId}: the price ${price} is outside the bracket`,
          NAME,
        );
    } else {
      if (req.bracket)
        throw new BrokerError('rejected', 'the paper broker does not open short positions', NAME);
      const held = s.positions[req.symbol]?.qty ?? 0;
      if (req.qty > held + 1e-9)
        throw new BrokerError(
          'insufficient_qty',
          `selling ${req.qty} ${req.symbol}, ${held} held (no shorting)`,
          NAME,
        );
      const free = held - heldBySells(req.symbol);
      if (req.qty > free + 1e-9)
        throw new BrokerError(
          'held_for_orders',
          `insufficient qty available for order (requested: ${req.qty}, available: ${Math.max(0, free)})`,
          NAME,
        );
    }
    const parent = addOrder(req, req.type === 'trailing_stop' ? { best: price } : {});
    if (req.bracket) {
      const leg = { symbol: req.symbol, side: 'sell' as const, qty: req.qty, timeInForce: 'gtc' as const };
      addOrder(
        {
          ...leg,
          clientOrderId: `${req.clientOrderId}-tp`,
          type: 'limit',
          limitPrice: req.bracket.takeProfit,
        },
        { parent: req.clientOrderId, status: 'new' },
      );
      addOrder(
        { ...leg, clientOrderId: `${req.clientOrderId}-sl`, type: 'market' },
        { parent: req.clientOrderId, status: 'new', type: 'stop', stopPrice: req.bracket.stopLoss },
      );
    }
    return publicView(parent, legsOf);
  }

  async function cancelOrder(clientOrderId: string): Promise<BrokerOrder> {
    const o = find(clientOrderId);
    if (!o) throw new BrokerError('not_found', `no order with client order id ${clientOrderId}`, NAME);
    cancel(o);
    return publicView(o, legsOf);
  }

  function cancel(o: PaperOrder) {
    if (!isWorking(o)) return;
    o.status = 'canceled';
    for (const leg of legsOf(o.clientOrderId)) cancel(leg);
  }

  /** Executes `qty` of an order at the raw price `raw` (slipped against it), updating cash and the position. */
  function execute(
    o: PaperOrder,
    qty: number,
    raw: number,
    date: string,
    rule: string,
    bar: PaperBar,
  ): PaperFill {
    const buying = o.side === 'buy';
    const price = slipped(raw, buying, costs.slippage_rate);
    const fee = orderFee(qty, price, costs);
    const pos = s.positions[o.symbol] ?? { qty: 0, avgPrice: 0, lastPrice: raw };
    if (buying) {
      pos.avgPrice = (pos.avgPrice * pos.qty + price * qty) / (pos.qty + qty);
      pos.qty += qty;
      s.cash -= qty * price + fee;
    } else {
      pos.qty -= qty;
      s.cash += qty * price - fee;
    }
    if (pos.qty <= 1e-12) delete s.positions[o.symbol];
    else s.positions[o.symbol] = pos;
    const filled = o.filledQty + qty;
    o.filledAvgPrice = ((o.filledAvgPrice ?? 0) * o.filledQty + price * qty) / filled;
    o.filledQty = filled;
    o.filledAt = `${date}T00:00:00.000Z`;
    o.status = filled >= o.qty - 1e-12 ? 'filled' : 'partially_filled';
    return {
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      qty,
      price,
      fee,
      date,
      rule,
      low: bar.low,
      high: bar.high,
    };
  }

  /** How much of an order can execute now: a sell at most the position, a buy at most what the cash pays. */
  function executable(o: PaperOrder, raw: number): number {
    const left = o.qty - o.filledQty;
    if (o.side === 'sell') return Math.min(left, s.positions[o.symbol]?.qty ?? 0);
    const price = slipped(raw, true, costs.slippage_rate);
    const affordable = (s.cash - costs.fee_fixed) / (price * (1 + costs.fee_rate));
    const q = Math.min(left, affordable);
    return opts.wholeUnits ? Math.floor(q + 1e-9) : q;
  }

  function fillAt(o: PaperOrder, raw: number, date: string, rule: string, bar: PaperBar, out: PaperFill[]) {
    const qty = executable(o, raw);
    if (qty > 0) out.push(execute(o, qty, raw, date, rule, bar));
    if (o.status === 'filled') {
      // A bracket's legs arm once their parent filled; one leg filling cancels its sibling.
      for (const leg of legsOf(o.clientOrderId))
        if (leg.status === 'new') {
          leg.status = 'accepted';
          leg.armedAfter = date;
        }
      if (o.parent !== null) for (const sib of legsOf(o.parent)) if (sib !== o) cancel(sib);
    }
  }

  function applyBars(date: string, bars: ReadonlyMap<string, PaperBar>): PaperFill[] {
    if (s.date !== null && date <= s.date)
      throw new RangeError(`paper bars must move forward: ${date} after ${s.date}`);
    const out: PaperFill[] = [];
    const working = () => live().filter((o) => o.status !== 'new' && bars.has(o.symbol));
    // The open: sells before buys (the exits free the cash), each in submission order.
    for (const side of ['sell', 'buy'] as const)
      for (const o of working())
        if (o.side === side && o.type === 'market' && o.timeInForce !== 'cls')
          fillAt(o, bars.get(o.symbol)!.open, date, 'open', bars.get(o.symbol)!, out);
    // Inside the bar: each order that was working before today: stop, then limit (target), then trailing.
    for (const kind of ['stop', 'limit', 'trailing_stop'] as const)
      for (const o of working()) {
        if (o.type !== kind || (o.armedAfter !== null && o.armedAfter >= date)) continue;
        const b = bars.get(o.symbol)!;
        const dir = o.side === 'sell' ? 1 : -1;
        if (kind === 'stop') {
          const at = stopPrice(dir, o.stopPrice!, b.open, b.high, b.low);
          if (!Number.isNaN(at)) fillAt(o, at, date, at === b.open ? 'stop_gap_open' : 'stop', b, out);
        } else if (kind === 'limit') {
          const at = targetPrice(dir, o.limitPrice!, b.open, b.high, b.low);
          if (!Number.isNaN(at)) fillAt(o, at, date, at === b.open ? 'limit_gap_open' : 'limit', b, out);
        } else {
          // Checked against the low with the best price as it stood before the bar; then the high raises it.
          const best = o.best!;
          const level =
            o.trailPercent !== null ? best * (1 - dir * o.trailPercent) : best - dir * o.trailPrice!;
          const at = stopPrice(dir, level, b.open, b.high, b.low);
          if (!Number.isNaN(at))
            fillAt(o, at, date, at === b.open ? 'trailing_gap_open' : 'trailing', b, out);
          else o.best = dir === 1 ? Math.max(best, b.high) : Math.min(best, b.low);
        }
      }
    for (const side of ['sell', 'buy'] as const)
      for (const o of working())
        if (o.side === side && o.type === 'market' && o.timeInForce === 'cls')
          fillAt(o, bars.get(o.symbol)!.close, date, 'close', bars.get(o.symbol)!, out);
    // Orders for the session end with it: what a day (or auction) order did not fill expires.
    for (const o of live())
      if (isWorking(o) && o.status !== 'new' && o.timeInForce !== 'gtc' && bars.has(o.symbol)) {
        o.status = 'expired';
        for (const leg of legsOf(o.clientOrderId)) cancel(leg);
      }
    for (const [symbol, p] of Object.entries(s.positions)) {
      const b = bars.get(symbol);
      if (b) p.lastPrice = b.close;
    }
    s.date = date;
    return out;
  }

  function account(): BrokerAccount {
    const value = Object.values(s.positions).reduce((v, p) => v + p.qty * p.lastPrice, 0);
    return {
      currency: 'USD',
      cash: s.cash,
      equity: s.cash + value,
      buyingPower: Math.max(0, s.cash + pendingSales() - committedToBuys()),
      patternDayTrader: false,
      tradingBlocked: false,
    };
  }

  function clock(): MarketClock {
    // Daily bars: orders placed now fill on the next trading day's bar, so the market counts as closed.
    const now = opts.now();
    let next = addDays(now.toISOString().slice(0, 10), 1);
    while (!isTradingDay(opts.assetType, next)) next = addDays(next, 1);
    const [open, close] = opts.assetType === 'crypto' ? ['00:00', '23:59'] : ['14:30', '21:00'];
    return {
      timestamp: now.toISOString(),
      isOpen: false,
      nextOpen: `${next}T${open}:00.000Z`,
      nextClose: `${next}T${close}:00.000Z`,
    };
  }

  return {
    name: NAME,
    paper: true,
    submitOrder,
    getOrder: async (id) => {
      const o = find(id);
      return o ? publicView(o, legsOf) : null;
    },
    openOrders: async () =>
      live()
        .filter((o) => o.parent === null)
        .map((o) => publicView(o, legsOf)),
    cancelOrder,
    cancelAll: async () => {
      const working = live().filter((o) => o.parent === null);
      for (const o of working) cancel(o);
      return working.length;
    },
    positions: async (): Promise<BrokerPosition[]> =>
      Object.entries(s.positions).map(([symbol, p]) => ({
        symbol,
        qty: p.qty,
        avgEntryPrice: p.avgPrice,
        marketPrice: p.lastPrice,
      })),
    account: async () => account(),
    clock: async () => clock(),
    applyBars,
    state: () => s,
  };
}
