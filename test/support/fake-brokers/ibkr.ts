import { type BrokerReply, type BrokerRequest, type FakeBrokerServer, startBrokerServer } from './server.ts';

// A fake IBKR Client Portal Gateway (/v1/api, interactivebrokers.github.io/cpwebapi): session tickle,
// account lists, stock contracts, orders with IBKR's reply questions ("are you sure" messages answered
// through /iserver/reply/{id}), the live order list, cancels, portfolio positions and summary, and
// market-data snapshots whose first request per conid only subscribes (no fields), as the gateway does.
// It fills marketable orders at once at the contract's price; volume (field 7762) comes in lots of 100.

/** The fake's starting state. */
export interface FakeIbkrOptions {
  accountId?: string;
  cash?: number;
  prices?: Record<string, number>;
  /** Day's volume per symbol in lots of 100, as the tick-8 feed reports it. */
  volumeLots?: Record<string, number>;
  patternDayTrader?: boolean;
  authenticated?: boolean;
  /** Another session holds the brokerage login. */
  competing?: boolean;
}

/** The fake gateway with handles a test uses to look inside and script questions. */
export interface FakeIbkr extends FakeBrokerServer {
  orders: IbkrOrderRecord[];
  positions: Map<string, { qty: number; avgPrice: number; openedToday: boolean }>;
  /** The next order submission is asked this question first (several: asked in turn). */
  ask(messageId: string, text: string): void;
  /** A new brokerage session: orders no longer working leave the live order list (executions stay). */
  newSession(): void;
  /** Replies the fake received: question id and the answer. */
  answers: { id: string; confirmed: boolean; messageId: string }[];
  /** Moves a contract's price; working orders it makes marketable fill at it. */
  setPrice(symbol: string, price: number): void;
}

interface IbkrOrderRecord {
  orderId: number;
  conid: number;
  ticker: string;
  side: 'BUY' | 'SELL';
  orderType: string;
  totalSize: number;
  filledQuantity: number;
  avgPrice?: number;
  price?: number;
  auxPrice?: number;
  timeInForce: string;
  status: string;
  order_ref: string;
  parentRef?: string;
  lastExecutionTime_r: number;
}

const CONIDS: Record<string, number> = { AAPL: 265598, MSFT: 272093, SPY: 756733 };
const PRECAUTION = 0.03;

const error = (status: number, text: string): BrokerReply => ({ status, body: { error: text } });

/** Starts the fake gateway. */
export async function startFakeIbkr(opts: FakeIbkrOptions = {}): Promise<FakeIbkr> {
  const accountId = opts.accountId ?? 'DU1234567';
  const prices = new Map(Object.entries(opts.prices ?? { AAPL: 190, MSFT: 410, SPY: 600 }));
  const orders: IbkrOrderRecord[] = [];
  const positions = new Map<string, { qty: number; avgPrice: number; openedToday: boolean }>();
  const account = { cash: opts.cash ?? 100_000 };
  const scripted: { messageId: string; text: string }[] = [];
  type Pending = { orders: Record<string, unknown>[]; questions: { messageId: string; text: string }[] };
  const pending = new Map<string, Pending & { asked: string }>();
  const answers: FakeIbkr['answers'] = [];
  const subscribed = new Set<number>();
  const executions: Record<string, unknown>[] = [];
  let nextOrderId = 1_486_000_000;
  let nextReply = 0;

  const symbolOf = (conid: number) => Object.keys(CONIDS).find((s) => CONIDS[s] === conid);
  const working = (o: IbkrOrderRecord) => ['PreSubmitted', 'Submitted', 'PendingSubmit'].includes(o.status);
  const reserved = () =>
    orders
      .filter((o) => working(o) && o.side === 'BUY' && !o.parentRef)
      .reduce((sum, o) => sum + (o.totalSize - o.filledQuantity) * (o.price ?? prices.get(o.ticker) ?? 0), 0);
  const netLiq = () =>
    account.cash + [...positions].reduce((sum, [s, p]) => sum + p.qty * (prices.get(s) ?? p.avgPrice), 0);

  function fill(o: IbkrOrderRecord, price: number): void {
    const qty = o.totalSize - o.filledQuantity;
    const held = positions.get(o.ticker) ?? { qty: 0, avgPrice: 0, openedToday: true };
    const signed = o.side === 'BUY' ? qty : -qty;
    const total = held.qty + signed;
    if (total === 0) positions.delete(o.ticker);
    else
      positions.set(o.ticker, {
        qty: total,
        avgPrice: signed > 0 ? (held.qty * held.avgPrice + qty * price) / total : held.avgPrice,
        openedToday: true,
      });
    account.cash -= signed * price;
    Object.assign(o, {
      status: 'Filled',
      filledQuantity: o.totalSize,
      avgPrice: price,
      lastExecutionTime_r: Date.now(),
    });
    executions.push({
      execution_id: `0000e0d5.6576e0a1.01.${String(executions.length + 1).padStart(2, '0')}`,
      symbol: o.ticker,
      supports_tax_opt: '1',
      side: o.side === 'BUY' ? 'B' : 'S',
      order_description: `${o.side === 'BUY' ? 'Bot' : 'Sold'} ${qty} @ ${price} on ISLAND`,
      trade_time: '20261207-15:30:00',
      trade_time_r: Date.now(),
      size: qty,
      price: String(price),
      order_ref: o.order_ref,
      exchange: 'ISLAND',
      commission: '1.0',
      net_amount: qty * price,
      account: accountId,
      accountCode: accountId,
      sec_type: 'STK',
      conid: String(o.conid),
    });
    for (const child of orders)
      if (child.parentRef === o.order_ref && child.status === 'PreSubmitted') child.status = 'Submitted';
  }

  function work(o: IbkrOrderRecord): void {
    const price = prices.get(o.ticker);
    if (price === undefined || o.status !== 'Submitted') return;
    if (o.orderType === 'MKT' || o.orderType === 'MOC') fill(o, price);
    else if (o.orderType === 'LMT' && (o.side === 'BUY' ? price <= o.price! : price >= o.price!))
      fill(o, price);
  }

  /** Questions the gateway asks about these orders before placing them. */
  function questionsFor(list: Record<string, unknown>[]): { messageId: string; text: string }[] {
    const out = scripted.splice(0);
    for (const o of list) {
      const price = prices.get(symbolOf(Number(o.conid)) ?? '');
      if (o.orderType === 'LMT' && price && !o.parentId && Math.abs(Number(o.price) / price - 1) > PRECAUTION)
        out.push({
          messageId: 'o163',
          text: 'The following order exceeds the price percentage limit of 3%. Are you sure you want to submit this order?',
        });
      const opposite = orders.some(
        (w) =>
          working(w) &&
          w.conid === Number(o.conid) &&
          w.side !== o.side &&
          !w.parentRef &&
          (w.orderType === 'LMT' || w.orderType === 'MKT'),
      );
      if (opposite && (o.orderType === 'MKT' || o.orderType === 'LMT'))
        out.push({
          messageId: 'o2137',
          text: 'Cross side order warning: this order would cross an order of yours on the other side. Are you sure?',
        });
    }
    return out;
  }

  /** Places orders once every question was answered yes; refusals come back as IBKR's error text. */
  function place(list: Record<string, unknown>[]): BrokerReply {
    for (const o of list) {
      const ref = String(o.cOID);
      if (orders.some((x) => x.order_ref === ref))
        return error(400, `Local order ID=${ref} is already registered.`);
      const symbol = symbolOf(Number(o.conid));
      if (!symbol)
        return error(400, `No security definition has been found for the request (conid ${o.conid})`);
      const qty = Number(o.quantity);
      if (!(qty > 0)) return error(400, 'Order quantity must be positive');
    }
    const parent = list[0]!;
    const symbol = symbolOf(Number(parent.conid))!;
    const qty = Number(parent.quantity);
    const price = prices.get(symbol)!;
    const position = positions.get(symbol);
    if (parent.side === 'SELL' && opts.patternDayTrader && position?.openedToday)
      return error(
        400,
        'This order would result in a Pattern Day Trade and the account is below the $25,000 minimum.',
      );
    if (parent.side === 'BUY') {
      const cost = qty * (parent.orderType === 'LMT' ? Number(parent.price) : price);
      if (cost > account.cash - reserved())
        return error(
          400,
          `YOUR ORDER IS NOT ACCEPTED. YOUR AVAILABLE FUNDS [${(account.cash - reserved()).toFixed(2)} USD] ARE INSUFFICIENT`,
        );
    }
    const placed = list.map((o) => {
      const type = String(o.orderType);
      const trail =
        type === 'TRAIL'
          ? o.trailingType === '%'
            ? (price * Number(o.trailingAmt)) / 100
            : Number(o.trailingAmt)
          : 0;
      const record: IbkrOrderRecord = {
        orderId: nextOrderId++,
        conid: Number(o.conid),
        ticker: symbol,
        side: o.side === 'SELL' ? 'SELL' : 'BUY',
        orderType: type,
        totalSize: Number(o.quantity),
        filledQuantity: 0,
        ...(type === 'LMT' || type === 'STP' ? { price: Number(o.price) } : {}),
        ...(type === 'STP' ? { auxPrice: Number(o.price) } : {}),
        ...(type === 'TRAIL' ? { auxPrice: o.side === 'SELL' ? price - trail : price + trail } : {}),
        timeInForce: String(o.tif ?? 'DAY'),
        status: o.parentId ? 'PreSubmitted' : 'Submitted',
        order_ref: String(o.cOID),
        ...(o.parentId ? { parentRef: String(o.parentId) } : {}),
        lastExecutionTime_r: Date.now(),
      };
      orders.push(record);
      return record;
    });
    for (const o of placed) work(o);
    return {
      status: 200,
      body: placed.map((o) => ({
        order_id: String(o.orderId),
        order_status: o.status,
        encrypt_message: '1',
      })),
    };
  }

  /** Asks the next question about the pending orders, or places them. */
  function proceed(entry: Pending): BrokerReply {
    const q = entry.questions.shift();
    if (!q) return place(entry.orders);
    const id = `a1b2c3d4-${String(nextReply++).padStart(4, '0')}`;
    pending.set(id, { ...entry, asked: q.messageId });
    return {
      status: 200,
      body: [{ id, message: [q.text], isSuppressed: false, messageIds: [q.messageId] }],
    };
  }

  function liveOrder(o: IbkrOrderRecord) {
    const { parentRef: _parent, ...row } = o;
    return {
      acct: accountId,
      conidex: String(o.conid),
      cashCcy: 'USD',
      sizeAndFills: `${o.filledQuantity}/${o.totalSize}`,
      orderDesc: `${o.side === 'BUY' ? 'Buy' : 'Sell'} ${o.totalSize} ${o.ticker} ${o.orderType}`,
      description1: o.ticker,
      secType: 'STK',
      listingExchange: 'NASDAQ.NMS',
      remainingQuantity: o.totalSize - o.filledQuantity,
      companyName: o.ticker,
      origOrderType: o.orderType,
      bgColor: '#FFFFFF',
      fgColor: '#000000',
      ...row,
    };
  }

  function handle(req: BrokerRequest): BrokerReply {
    const { method, path } = req;
    const authenticated = (opts.authenticated ?? true) && !opts.competing;
    if (method === 'POST' && path === '/tickle') {
      return {
        status: 200,
        body: {
          session: '6bd3e1b3a0f5c1a2a0c9e3c7c1d2f3e4',
          ssoExpires: 554_000,
          collission: false,
          userId: 12345678,
          iserver: {
            authStatus: { authenticated, competing: Boolean(opts.competing), connected: true, message: '' },
          },
        },
      };
    }
    if (!authenticated) return error(401, 'not authenticated');
    if (method === 'GET' && path === '/iserver/accounts')
      return {
        status: 200,
        body: { accounts: [accountId], selectedAccount: accountId, isPaper: accountId.startsWith('D') },
      };
    if (method === 'GET' && path === '/portfolio/accounts')
      return {
        status: 200,
        body: [{ id: accountId, accountId, currency: 'USD', type: 'DEMO', tradingType: 'STKCASH' }],
      };
    if (method === 'GET' && path === '/trsrv/stocks') {
      const body: Record<string, unknown> = {};
      for (const symbol of (req.query.symbols ?? '').split(',')) {
        const conid = CONIDS[symbol];
        if (conid)
          body[symbol] = [
            {
              name: `${symbol} INC`,
              chineseName: null,
              assetClass: 'STK',
              contracts: [{ conid, exchange: 'NASDAQ', isUS: true }],
            },
          ];
      }
      return { status: 200, body };
    }
    if (method === 'POST' && path === `/iserver/account/${accountId}/orders`) {
      const list = (req.body?.orders ?? []) as Record<string, unknown>[];
      if (list.length === 0) return error(400, 'Orders list is empty');
      return proceed({ orders: list, questions: questionsFor(list) });
    }
    const reply = /^\/iserver\/reply\/([^/]+)$/.exec(path);
    if (method === 'POST' && reply) {
      const entry = pending.get(reply[1]!);
      if (!entry) return error(400, 'Reply id is not valid or has expired');
      pending.delete(reply[1]!);
      const confirmed = req.body?.confirmed === true;
      answers.push({ id: reply[1]!, confirmed, messageId: entry.asked });
      if (!confirmed)
        return { status: 200, body: [{ error: 'Order was not confirmed and has been discarded' }] };
      return proceed(entry);
    }
    if (method === 'GET' && path === '/iserver/account/trades') return { status: 200, body: executions };
    if (method === 'GET' && path === '/iserver/account/orders')
      return { status: 200, body: { orders: orders.map(liveOrder), snapshot: true } };
    const del = new RegExp(`^/iserver/account/${accountId}/order/(\\d+)$`).exec(path);
    if (method === 'DELETE' && del) {
      const o = orders.find((x) => x.orderId === Number(del[1]));
      if (!o) return error(404, `OrderID ${del[1]} doesn't exist`);
      if (!working(o)) return error(400, `OrderID ${o.orderId} cannot be cancelled (status ${o.status})`);
      o.status = 'Cancelled';
      for (const child of orders)
        if (child.parentRef === o.order_ref && working(child)) child.status = 'Cancelled';
      return {
        status: 200,
        body: { msg: 'Request was submitted', order_id: o.orderId, conid: o.conid, account: accountId },
      };
    }
    const page = new RegExp(`^/portfolio/${accountId}/positions/(\\d+)$`).exec(path);
    if (method === 'GET' && page) {
      const rows = [...positions].map(([symbol, p]) => {
        const mkt = prices.get(symbol) ?? p.avgPrice;
        return {
          acctId: accountId,
          conid: CONIDS[symbol],
          contractDesc: symbol,
          position: p.qty,
          mktPrice: mkt,
          mktValue: p.qty * mkt,
          currency: 'USD',
          avgCost: p.avgPrice,
          avgPrice: p.avgPrice,
          realizedPnl: 0,
          unrealizedPnl: p.qty * (mkt - p.avgPrice),
          assetClass: 'STK',
          ticker: symbol,
        };
      });
      return { status: 200, body: rows.slice(Number(page[1]) * 100, Number(page[1]) * 100 + 100) };
    }
    if (method === 'GET' && path === `/portfolio/${accountId}/summary`) {
      const amount = (value: number) => ({
        amount: value,
        currency: 'USD',
        isNull: false,
        timestamp: Date.now(),
        value: null,
        severity: 0,
      });
      return {
        status: 200,
        body: {
          accountcode: {
            amount: 0,
            currency: null,
            isNull: false,
            timestamp: Date.now(),
            value: accountId,
            severity: 0,
          },
          totalcashvalue: amount(account.cash),
          netliquidation: amount(netLiq()),
          buyingpower: amount(account.cash - reserved()),
          availablefunds: amount(account.cash - reserved()),
          daytradesremaining: amount(opts.patternDayTrader ? 0 : -1),
        },
      };
    }
    if (method === 'GET' && path === '/iserver/marketdata/snapshot') {
      const conids = (req.query.conids ?? '').split(',').map(Number);
      const body = conids.map((conid) => {
        const symbol = symbolOf(conid);
        const first = !subscribed.has(conid);
        subscribed.add(conid);
        if (first || !symbol) return { conid, conidEx: String(conid), server_id: 'q0', _updated: Date.now() };
        const p = prices.get(symbol)!;
        const lots = opts.volumeLots?.[symbol] ?? 531_200;
        return {
          conid,
          conidEx: String(conid),
          server_id: 'q0',
          _updated: Date.now(),
          '31': p.toFixed(2),
          '84': (p - 0.01).toFixed(2),
          '86': (p + 0.01).toFixed(2),
          '7762': String(lots),
          '87': `${(lots / 10_000).toFixed(2)}M`,
          '6509': 'RpB',
        };
      });
      return { status: 200, body };
    }
    return error(404, `no route ${method} ${path}`);
  }

  const server = await startBrokerServer({
    prefix: '/v1/api',
    handle,
    errorBody: (status) =>
      status === 429 ? { error: 'Too many requests' } : { error: 'Service Unavailable' },
  });
  return {
    ...server,
    orders,
    positions,
    answers,
    ask: (messageId, text) => scripted.push({ messageId, text }),
    setPrice(symbol, price) {
      prices.set(symbol, price);
      for (const o of orders) if (o.ticker === symbol) work(o);
    },
    newSession() {
      const keep = orders.filter(working);
      orders.splice(0, orders.length, ...keep);
    },
  };
}
