import { describe, expect, it } from 'vitest';
import { AlpacaOrder, toBrokerOrder as fromAlpaca } from '../../shared/brokers/alpaca/schema.ts';
import {
  Execution,
  toBrokerOrder as fromIbkr,
  LiveOrder,
  orderFromExecutions,
} from '../../shared/brokers/ibkr/schema.ts';

// How each broker's own order states read as the interface's: the states the fakes never reach.

const alpaca = (over: Record<string, unknown>) =>
  AlpacaOrder.parse({
    id: 'a1',
    client_order_id: 'c1',
    symbol: 'AAPL',
    side: 'buy',
    type: 'limit',
    qty: '10',
    filled_qty: '0',
    filled_avg_price: null,
    limit_price: '180.5',
    stop_price: null,
    status: 'new',
    time_in_force: 'gtc',
    submitted_at: '2026-12-07T15:00:00Z',
    created_at: '2026-12-07T15:00:00Z',
    filled_at: null,
    legs: null,
    ...over,
  });

const ibkr = (over: Record<string, unknown>) =>
  LiveOrder.parse({
    orderId: 1486000001,
    conid: 265598,
    ticker: 'AAPL',
    side: 'SELL',
    status: 'Submitted',
    totalSize: 10,
    filledQuantity: 0,
    orderType: 'Limit',
    price: '195.25',
    timeInForce: 'GTC',
    order_ref: 'c1',
    lastExecutionTime_r: Date.parse('2026-12-07T15:00:00Z'),
    ...over,
  });

describe('Alpaca order states', () => {
  it('reads decimal strings and maps every status to the interface', () => {
    const partial = fromAlpaca(
      alpaca({ status: 'partially_filled', filled_qty: '4', filled_avg_price: '180.4' }),
    );
    expect([partial.status, partial.filledQty, partial.filledAvgPrice, partial.limitPrice]).toEqual([
      'partially_filled',
      4,
      180.4,
      180.5,
    ]);
    const cases: [string, string][] = [
      ['pending_new', 'accepted'],
      ['held', 'accepted'],
      ['pending_cancel', 'accepted'],
      ['done_for_day', 'accepted'],
      ['replaced', 'canceled'],
      ['expired', 'expired'],
      ['rejected', 'rejected'],
      ['some_future_state', 'accepted'],
    ];
    for (const [status, want] of cases) expect(fromAlpaca(alpaca({ status })).status).toBe(want);
    expect(fromAlpaca(alpaca({ type: 'stop_limit' })).type).toBe('stop');
  });

  it('refuses a number that is not one instead of reading it as zero', () => {
    expect(() => alpaca({ filled_qty: 'abc' })).toThrow(/not a number/);
    expect(() => alpaca({ qty: '' })).toThrow(/not a number/);
  });
});

describe('IBKR order states', () => {
  it('maps IBKR statuses, a partial fill and the order type names', () => {
    expect(fromIbkr(ibkr({}), [], 'now').status).toBe('new');
    const partial = fromIbkr(ibkr({ filledQuantity: 3, avgPrice: '195.3' }), [], 'now');
    expect([partial.status, partial.filledQty, partial.filledAvgPrice]).toEqual([
      'partially_filled',
      3,
      195.3,
    ]);
    const cases: [string, string][] = [
      ['PreSubmitted', 'accepted'],
      ['PendingSubmit', 'accepted'],
      ['PendingCancel', 'accepted'],
      ['Filled', 'filled'],
      ['Cancelled', 'canceled'],
      ['Inactive', 'rejected'],
    ];
    for (const [status, want] of cases) expect(fromIbkr(ibkr({ status }), [], 'now').status).toBe(want);
    const stop = fromIbkr(ibkr({ orderType: 'Stop', price: undefined, auxPrice: 180 }), [], 'now');
    expect([stop.type, stop.stopPrice, stop.limitPrice]).toEqual(['stop', 180, null]);
    expect(fromIbkr(ibkr({ orderType: 'TRAIL', auxPrice: 185 }), [], 'now').type).toBe('trailing_stop');
    expect(fromIbkr(ibkr({ orderType: 'Market', timeInForce: 'CLOSE' }), [], 'now').timeInForce).toBe('cls');
  });

  it('rebuilds an order from its executions at the size-weighted price', () => {
    const fill = (size: number, price: string, t: string) =>
      Execution.parse({
        execution_id: `e.${t}`,
        symbol: 'AAPL',
        side: 'S',
        size,
        price,
        order_ref: 'c1',
        trade_time_r: Date.parse(t),
      });
    const order = orderFromExecutions('c1', [
      fill(6, '190.00', '2026-12-04T14:31:00Z'),
      fill(4, '191.00', '2026-12-04T14:32:00Z'),
    ]);
    expect(order).toMatchObject({
      clientOrderId: 'c1',
      side: 'sell',
      qty: 10,
      filledQty: 10,
      status: 'filled',
      submittedAt: '2026-12-04T14:31:00.000Z',
      filledAt: '2026-12-04T14:32:00.000Z',
    });
    expect(order?.filledAvgPrice).toBeCloseTo(190.4, 10);
    expect(orderFromExecutions('c1', [])).toBeNull();
  });
});
