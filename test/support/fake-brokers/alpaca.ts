import { type BrokerReply, type BrokerRequest, type FakeBrokerServer, startBrokerServer } from './server.ts';

// A fake Alpaca Trading API v2 (docs.alpaca.markets, "Orders", "Positions", "Account", "Clock"): it
// keeps an account, positions and orders, fills marketable orders at once at the symbol's price and
// refuses orders as Alpaca does, with Alpaca's status codes and `{code, message}` bodies (numbers are
// decimal strings, as the API sends them).

/** The fake's starting state and which of Alpaca's protections are on. */
export interface FakeAlpacaBrokerOptions {
  keyId?: string;
  secret?: string;
  cash?: number;
  /** Prices the fake fills at and marks positions with, by symbol. */
  prices?: Record<string, number>;
  /** The account is flagged a pattern day trader under $25k: selling a position bought today is refused. */
  patternDayTrader?: boolean;
  marketOpen?: boolean;
}

/** The fake broker with handles a test uses to look inside and change the market. */
export interface FakeAlpacaBroker extends FakeBrokerServer {
  orders: AlpacaOrderRecord[];
  positions: Map<string, { qty: number; avgEntry: number; openedToday: boolean }>;
  account: { cash: number };
  setPrice(symbol: string, price: number): void;
}

// biome-ignore lint/suspicious/noExplicitAny: the record is the API's JSON order object.
type AlpacaOrderRecord = Record<string, any>;

const TIME = '2026-12-07T15:30:00.000Z';

const refuse = (status: number, code: number, message: string, extra: object = {}): BrokerReply => ({
  status,
  body: { code, message, ...extra },
});

const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value));
const dec = (value: number | null): string | null => (value === null ? null : String(value));

/** Starts the fake Alpaca trading API. */
export async function startFakeAlpacaBroker(opts: FakeAlpacaBrokerOptions = {}): Promise<FakeAlpacaBroker> {
  const prices = new Map(Object.entries(opts.prices ?? { AAPL: 190, MSFT: 410, SPY: 600 }));
  const orders: AlpacaOrderRecord[] = [];
  const positions = new Map<string, { qty: number; avgEntry: number; openedToday: boolean }>();
  const account = { cash: opts.cash ?? 100_000 };
  let seq = 0;

  const open = (o: AlpacaOrderRecord) => ['new', 'accepted', 'held', 'partially_filled'].includes(o.status);
  const openOrders = () => orders.flatMap((o) => [o, ...(o.legs ?? [])]).filter(open);
  const reservedCash = () =>
    openOrders()
      .filter((o) => o.side === 'buy' && o.status !== 'held')
      .reduce((sum, o) => sum + num(o.qty) * num(o.limit_price ?? prices.get(o.symbol) ?? 0), 0);
  const heldQty = (symbol: string) =>
    openOrders()
      .filter((o) => o.symbol === symbol && o.side === 'sell' && o.status !== 'held')
      .reduce((sum, o) => sum + num(o.qty) - num(o.filled_qty), 0);
  const equity = () =>
    account.cash + [...positions].reduce((sum, [s, p]) => sum + p.qty * (prices.get(s) ?? p.avgEntry), 0);

  function fill(o: AlpacaOrderRecord, price: number): void {
    const qty = num(o.qty);
    const held = positions.get(o.symbol) ?? { qty: 0, avgEntry: 0, openedToday: true };
    if (o.side === 'buy') {
      const total = held.qty + qty;
      positions.set(o.symbol, {
        qty: total,
        avgEntry: (held.qty * held.avgEntry + qty * price) / total,
        openedToday: true,
      });
      account.cash -= qty * price;
    } else {
      const left = held.qty - qty;
      if (left === 0) positions.delete(o.symbol);
      else positions.set(o.symbol, { ...held, qty: left });
      account.cash += qty * price;
    }
    Object.assign(o, {
      status: 'filled',
      filled_qty: String(qty),
      filled_avg_price: String(price),
      filled_at: TIME,
      updated_at: TIME,
    });
    // A filled bracket parent activates its exit legs.
    for (const leg of o.legs ?? []) if (leg.status === 'held') leg.status = 'new';
  }

  /** Fills the order if it is marketable now (market, or a limit at or through the price). */
  function work(o: AlpacaOrderRecord): void {
    const price = prices.get(o.symbol);
    if (price === undefined || !(opts.marketOpen ?? true) || o.status === 'held') return;
    if (o.type === 'market') fill(o, price);
    else if (o.type === 'limit') {
      const limit = num(o.limit_price);
      if (o.side === 'buy' ? price <= limit : price >= limit) fill(o, price);
    }
  }

  function order(body: Record<string, unknown>, extra: Partial<AlpacaOrderRecord> = {}): AlpacaOrderRecord {
    seq++;
    return {
      id: `61e69015-8549-4bfd-b9c3-01e75843${String(seq).padStart(4, '0')}`,
      client_order_id: body.client_order_id ?? `auto-${seq}`,
      created_at: TIME,
      updated_at: TIME,
      submitted_at: TIME,
      filled_at: null,
      expired_at: null,
      canceled_at: null,
      failed_at: null,
      replaced_at: null,
      replaced_by: null,
      replaces: null,
      asset_id: 'b0b6dd9d-8b9b-48a9-ba46-b9d54906e415',
      symbol: body.symbol,
      asset_class: 'us_equity',
      notional: null,
      qty: String(body.qty),
      filled_qty: '0',
      filled_avg_price: null,
      order_class: body.order_class ?? '',
      order_type: body.type,
      type: body.type,
      side: body.side,
      position_intent: body.side === 'buy' ? 'buy_to_open' : 'sell_to_close',
      time_in_force: body.time_in_force,
      limit_price: dec(body.limit_price === undefined ? null : num(body.limit_price)),
      stop_price: dec(body.stop_price === undefined ? null : num(body.stop_price)),
      status: 'new',
      extended_hours: Boolean(body.extended_hours),
      legs: null,
      trail_percent: dec(body.trail_percent === undefined ? null : num(body.trail_percent)),
      trail_price: dec(body.trail_price === undefined ? null : num(body.trail_price)),
      hwm: null,
      commission: '0',
      source: null,
      ...extra,
    };
  }

  function submit(body: Record<string, unknown>): BrokerReply {
    const { symbol, side, type } = body as { symbol: string; side: string; type: string };
    const qty = num(body.qty);
    if (!Number.isFinite(qty) || qty <= 0) return refuse(422, 40010001, 'qty must be > 0');
    if (!['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'].includes(type))
      return refuse(422, 40010001, 'invalid order type');
    if (typeof body.client_order_id === 'string' && body.client_order_id.length > 128)
      return refuse(422, 40010001, 'client_order_id must be no more than 128 characters');
    if (orders.some((o) => o.client_order_id === body.client_order_id))
      return refuse(422, 40010001, 'client_order_id must be unique');
    const price = prices.get(symbol);
    if (price === undefined) return refuse(422, 40010001, `asset "${symbol}" not found`);
    if (type === 'trailing_stop' && (body.trail_price === undefined) === (body.trail_percent === undefined))
      return refuse(422, 40010001, 'exactly one of trail_price or trail_percent is required');
    // An opposite-side market or limit order this one could fill against is Alpaca's wash-trade
    // protection (stops and trailing stops do not count until triggered).
    const reach = (o: Record<string, unknown>) =>
      o.type === 'limit' ? num(o.limit_price) : o.side === 'buy' ? Number.POSITIVE_INFINITY : 0;
    const crossing =
      (type === 'market' || type === 'limit') &&
      openOrders().some(
        (o) =>
          o.symbol === symbol &&
          o.side !== side &&
          o.status !== 'held' &&
          (o.type === 'market' || o.type === 'limit') &&
          (side === 'buy' ? reach(body) >= reach(o) : reach(o) >= reach(body)),
      );
    if (crossing) return refuse(403, 40310000, 'potential wash trade detected. use complex orders');
    if (side === 'buy') {
      const cost = qty * (type === 'limit' ? num(body.limit_price) : price);
      const buyingPower = account.cash - reservedCash();
      if (cost > buyingPower) return refuse(403, 40310000, 'insufficient buying power');
    } else {
      const position = positions.get(symbol);
      if (opts.patternDayTrader && position?.openedToday)
        return refuse(403, 40310100, 'trade denied due to pattern day trading protection');
      const held = heldQty(symbol);
      const available = (position?.qty ?? 0) - held;
      if (qty > available) {
        return refuse(
          403,
          40310000,
          `insufficient qty available for order (requested: ${qty}, available: ${available})`,
          {
            symbol,
            existing_qty: String(position?.qty ?? 0),
            held_for_orders: String(held),
            available: String(available),
          },
        );
      }
    }
    const parent = order(body);
    if (type === 'trailing_stop') {
      const hwm = price;
      const trail =
        body.trail_price !== undefined ? num(body.trail_price) : (hwm * num(body.trail_percent)) / 100;
      Object.assign(parent, {
        hwm: String(hwm),
        stop_price: String(side === 'sell' ? hwm - trail : hwm + trail),
      });
    }
    if (body.order_class === 'bracket') {
      const tp = body.take_profit as { limit_price?: unknown } | undefined;
      const sl = body.stop_loss as { stop_price?: unknown; limit_price?: unknown } | undefined;
      if (tp?.limit_price === undefined || sl?.stop_price === undefined)
        return refuse(
          422,
          40010001,
          'bracket orders require take_profit.limit_price and stop_loss.stop_price',
        );
      const exitSide = side === 'buy' ? 'sell' : 'buy';
      const leg = (legType: string, prices: object) =>
        order(
          { symbol, qty, side: exitSide, type: legType, time_in_force: body.time_in_force, ...prices },
          { status: 'held', order_class: 'bracket', client_order_id: `${parent.client_order_id}-${legType}` },
        );
      parent.legs = [
        leg('limit', { limit_price: tp.limit_price }),
        leg('stop', {
          stop_price: sl.stop_price,
          ...(sl.limit_price ? { limit_price: sl.limit_price } : {}),
        }),
      ];
    }
    orders.push(parent);
    work(parent);
    return { status: 200, body: parent };
  }

  function position(symbol: string, p: { qty: number; avgEntry: number }) {
    const price = prices.get(symbol) ?? p.avgEntry;
    const held = heldQty(symbol);
    return {
      asset_id: 'b0b6dd9d-8b9b-48a9-ba46-b9d54906e415',
      symbol,
      exchange: 'NASDAQ',
      asset_class: 'us_equity',
      asset_marginable: true,
      avg_entry_price: String(p.avgEntry),
      qty: String(p.qty),
      qty_available: String(p.qty - held),
      side: 'long',
      market_value: String(p.qty * price),
      cost_basis: String(p.qty * p.avgEntry),
      unrealized_pl: String(p.qty * (price - p.avgEntry)),
      unrealized_plpc: String(price / p.avgEntry - 1),
      unrealized_intraday_pl: '0',
      unrealized_intraday_plpc: '0',
      current_price: String(price),
      lastday_price: String(price),
      change_today: '0',
    };
  }

  function handle(req: BrokerRequest): BrokerReply {
    if (
      opts.keyId &&
      (req.headers['apca-api-key-id'] !== opts.keyId || req.headers['apca-api-secret-key'] !== opts.secret)
    ) {
      return refuse(401, 40110000, 'request is not authorized');
    }
    const { method, path } = req;
    if (method === 'POST' && path === '/v2/orders') return submit(req.body ?? {});
    if (method === 'GET' && path === '/v2/orders:by_client_order_id') {
      const found = orders.find((o) => o.client_order_id === req.query.client_order_id);
      return found ? { status: 200, body: found } : refuse(404, 40410000, 'order not found');
    }
    if (method === 'GET' && path === '/v2/orders') {
      const status = req.query.status ?? 'open';
      // Nested, a bracket whose parent filled is still listed as open while a leg works.
      const working = (o: AlpacaOrderRecord) =>
        open(o) || (req.query.nested === 'true' && (o.legs ?? []).some(open));
      const list = orders.filter((o) => status === 'all' || (status === 'open') === working(o));
      return { status: 200, body: list };
    }
    const one = /^\/v2\/orders\/([^/]+)$/.exec(path);
    if (one) {
      const found = orders.find((o) => o.id === one[1]);
      if (!found) return refuse(404, 40410000, 'order not found');
      if (method === 'GET') return { status: 200, body: found };
      if (method === 'DELETE') {
        if (!open(found)) return refuse(422, 42210000, `order is already in "${found.status}" state`);
        for (const o of [found, ...(found.legs ?? [])])
          if (open(o)) Object.assign(o, { status: 'canceled', canceled_at: TIME });
        return { status: 204 };
      }
    }
    if (method === 'DELETE' && path === '/v2/orders') {
      const canceled = openOrders().map((o) => {
        Object.assign(o, { status: 'canceled', canceled_at: TIME });
        return { id: o.id, status: 200 };
      });
      return { status: 207, body: canceled };
    }
    if (method === 'GET' && path === '/v2/positions')
      return { status: 200, body: [...positions].map(([s, p]) => position(s, p)) };
    if (method === 'GET' && path === '/v2/account') {
      const value = equity();
      return {
        status: 200,
        body: {
          id: 'e6fe16f3-64a4-4921-8928-cadf02f92f98',
          account_number: 'PA3E2ETV4Z2X',
          status: 'ACTIVE',
          currency: 'USD',
          cash: String(account.cash),
          buying_power: String(account.cash - reservedCash()),
          regt_buying_power: String(account.cash - reservedCash()),
          daytrading_buying_power: '0',
          non_marginable_buying_power: String(account.cash - reservedCash()),
          portfolio_value: String(value),
          equity: String(value),
          last_equity: String(value),
          long_market_value: String(value - account.cash),
          short_market_value: '0',
          pattern_day_trader: Boolean(opts.patternDayTrader),
          trading_blocked: false,
          transfers_blocked: false,
          account_blocked: false,
          shorting_enabled: false,
          multiplier: '1',
          daytrade_count: 0,
          created_at: '2026-01-05T14:00:00Z',
        },
      };
    }
    if (method === 'GET' && path === '/v2/clock') {
      const isOpen = opts.marketOpen ?? true;
      return {
        status: 200,
        body: {
          timestamp: '2026-12-07T10:30:00.000-05:00',
          is_open: isOpen,
          next_open: '2026-12-08T09:30:00-05:00',
          next_close: '2026-12-07T16:00:00-05:00',
        },
      };
    }
    return refuse(404, 40410000, 'endpoint not found');
  }

  const server = await startBrokerServer({
    handle,
    errorBody: (status) =>
      status === 429
        ? { code: 42910000, message: 'rate limit exceeded' }
        : { code: 50010000, message: 'internal server error occurred' },
  });
  return {
    ...server,
    orders,
    positions,
    account,
    setPrice(symbol, price) {
      prices.set(symbol, price);
      for (const o of orders) if (open(o)) work(o);
    },
  };
}
