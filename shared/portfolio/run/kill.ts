import { createPaperBroker, type PaperState } from '../../brokers/paper/index.ts';
import { type BrokerEnv, createBroker } from '../../brokers/registry.ts';
import type { Sql } from '../../db/client.ts';
import { errorMessage } from '../../errors/index.ts';
import { type PortfolioRow, setKillSwitch } from '../ledger/store.ts';
import { FINAL_LEDGER } from './external.ts';

/** What the kill switch did at one external broker account. */
export interface BrokerKill {
  broker: string;
  live: boolean;
  /** Working orders the broker cancelled (all of the account's, Stratos's or not). */
  cancelled: number;
  /** Why the account could not be reached or refused: its working orders may still be live. */
  error: string | null;
}

/** What engaging the kill switch did. */
export interface KillOutcome {
  killed: true;
  /** Working orders cancelled, over every portfolio and broker account. */
  cancelled: number;
  portfolios: string[];
  /** Each Alpaca / IBKR account a portfolio trades through, and what cancelling there did. */
  brokers: BrokerKill[];
}

/**
 * The kill switch: engages the switch (no portfolio places an order while it is on) and cancels every
 * working order of every portfolio's paper broker, in one transaction; then, the switch being on
 * already, cancels every working order at each Alpaca / IBKR account a portfolio trades through and
 * marks the ledger's working orders there `pending_cancel` with the switch's cause (the next trade run
 * reads each one's final status and any fill made before the cancel). An account that cannot be reached
 * is reported with its error (the switch stays on; engaging it again retries). The trade stage keeps
 * marking positions while it is engaged; `releaseKillSwitch` lets trading resume.
 */
export async function engageKillSwitch(
  sql: Sql,
  reason: string,
  by: string,
  env: BrokerEnv,
): Promise<KillOutcome> {
  const paper = await sql.begin(async (t) => {
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
        update portfolio_orders set status = 'canceled', error = ${`kill switch: ${reason}`}, updated_at = now()
        where portfolio_id = ${p.id} and client_order_id = any(${open.map((o) => o.clientOrderId)}::text[])`;
    }
    return { cancelled, touched };
  });
  const brokers = await killAtBrokers(sql, reason, env);
  const touched = new Set(paper.touched);
  for (const b of brokers) for (const id of b.portfolios) touched.add(id);
  return {
    killed: true as const,
    cancelled: paper.cancelled + brokers.reduce((n, b) => n + b.cancelled, 0),
    portfolios: [...touched],
    brokers: brokers.map(({ portfolios: _, ...b }) => b),
  };
}

/** Cancels everything working at each external account (one call per account) and updates the ledger's orders. */
async function killAtBrokers(
  sql: Sql,
  reason: string,
  env: BrokerEnv,
): Promise<(BrokerKill & { portfolios: string[] })[]> {
  const rows = await sql<{ id: string; broker: string; mode: string }[]>`
    select id, broker, mode from portfolios where broker <> 'paper' order by broker, mode, id`;
  const accounts = new Map<string, { broker: string; live: boolean; ids: string[] }>();
  for (const r of rows) {
    const key = `${r.broker}|${r.mode}`;
    const a = accounts.get(key) ?? { broker: r.broker, live: r.mode === 'live', ids: [] };
    a.ids.push(r.id);
    accounts.set(key, a);
  }
  const out: (BrokerKill & { portfolios: string[] })[] = [];
  for (const a of accounts.values()) {
    const result = {
      broker: a.broker,
      live: a.live,
      cancelled: 0,
      error: null as string | null,
      portfolios: [] as string[],
    };
    out.push(result);
    try {
      // Cancelling moves no money into the market: a live account is reached even with live trading off.
      const build = createBroker(a.broker, { ...env, STRATOS_LIVE_TRADING: 'enabled' }, { live: a.live });
      if ('missing' in build) {
        result.error = build.missing;
        continue;
      }
      result.cancelled = await build.broker.cancelAll();
      // The next trade run looks each order up: its final status and any fill made before the cancel.
      const touched = await sql<{ portfolio_id: string }[]>`
        update portfolio_orders set status = 'pending_cancel', error = ${`kill switch: ${reason}`}, updated_at = now()
        where portfolio_id = any(${a.ids}::text[]) and status <> all(${FINAL_LEDGER}::text[])
        returning portfolio_id`;
      result.portfolios = [...new Set(touched.map((r) => r.portfolio_id))];
    } catch (err) {
      result.error = errorMessage(err);
    }
  }
  return out;
}

/** Releases the kill switch: portfolios trade again from their next trade run. */
export async function releaseKillSwitch(sql: Sql, by: string): Promise<void> {
  await setKillSwitch(sql, false, null, by);
}
