import { createPaperBroker, type PaperState } from '../../brokers/paper/index.ts';
import type { Sql } from '../../db/client.ts';
import { type PortfolioRow, setKillSwitch } from '../ledger/store.ts';

/** What engaging the kill switch did. */
export interface KillOutcome {
  killed: true;
  /** Working orders cancelled, over every portfolio. */
  cancelled: number;
  portfolios: string[];
}

/**
 * The kill switch: engages the switch (no portfolio places an order while it is on) and cancels every
 * working order of every portfolio's paper broker, in one transaction. The trade stage keeps marking
 * positions while it is engaged; `releaseKillSwitch` lets trading resume.
 */
export async function engageKillSwitch(sql: Sql, reason: string, by: string): Promise<KillOutcome> {
  return sql.begin(async (t) => {
    const tx = t as unknown as Sql;
    await setKillSwitch(tx, true, reason, by);
    const rows = await tx<Pick<PortfolioRow, 'id' | 'costs' | 'broker_state'>[]>`
      select id, costs, broker_state from portfolios where broker = 'paper' and broker_state is not null for update`;
    let cancelled = 0;
    const touched: string[] = [];
    for (const p of rows) {
      // Cancelling needs no prices and no clock: the broker only flips working orders to canceled.
      const broker = createPaperBroker(
        {
          costs: p.costs,
          assetType: 'equity',
          wholeUnits: false,
          price: () => undefined,
          now: () => new Date(),
        },
        p.broker_state as PaperState,
      );
      const open = await broker.openOrders();
      const n = await broker.cancelAll();
      if (n === 0) continue;
      cancelled += n;
      touched.push(p.id);
      await tx`update portfolios set broker_state = ${tx.json(broker.state() as never)} where id = ${p.id}`;
      await tx`
        update portfolio_orders set status = 'canceled', updated_at = now()
        where portfolio_id = ${p.id} and client_order_id = any(${open.map((o) => o.clientOrderId)}::text[])`;
    }
    return { killed: true as const, cancelled, portfolios: touched };
  });
}

/** Releases the kill switch: portfolios trade again from their next trade run. */
export async function releaseKillSwitch(sql: Sql, by: string): Promise<void> {
  await setKillSwitch(sql, false, null, by);
}
