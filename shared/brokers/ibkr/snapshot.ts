import { z } from 'zod';
import { type HttpClient, requestJson } from '../../providers/http/client.ts';

// Market-data snapshots from the Client Portal API (GET /iserver/marketdata/snapshot). Fields are
// named by number: 31 last price, 84 bid, 86 ask, 7762 the day's volume (unformatted; 87 is the same
// as text like "5.3M"). IBKR reports US-equity volume from the tick-8 feed in lots of 100 shares, so
// the original system multiplied it by 100: `volumeShares` does, for US stocks only.

/** The fields a snapshot asks for. */
export const SNAPSHOT_FIELDS = ['31', '84', '86', '7762'] as const;

const Row = z.record(z.string(), z.unknown());

/** One symbol's quote; null where IBKR sent nothing (no subscription, no trade yet today). */
export interface Quote {
  symbol: string;
  conid: number;
  last: number | null;
  bid: number | null;
  ask: number | null;
  /** Shares traded today (lots already multiplied out). */
  volume: number | null;
}

/** How a snapshot field's value reads: IBKR prefixes a closing price with "C" and a halted one with "H". */
function price(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const n = Number(value.replace(/^[CH]/, '').replace(/,/g, ''));
  return value.trim() !== '' && Number.isFinite(n) ? n : null;
}

/**
 * Volume in shares from IBKR's tick-8 volume (field 7762): US equities come in lots of 100, so the
 * number is multiplied by 100; other instruments (crypto, forex, non-US listings) are in units already.
 */
export function volumeShares(raw: unknown, usStock: boolean): number | null {
  const lots = price(raw);
  if (lots === null || lots < 0) return null;
  return usStock ? lots * 100 : lots;
}

/** A contract as the snapshot needs it: its conid, and whether it is a US stock (volume in lots). */
export interface SnapshotContract {
  symbol: string;
  conid: number;
  usStock: boolean;
}

/**
 * Quotes for contracts. The first request for a conid only subscribes it (IBKR answers with the
 * conid and no fields), so while fields are missing the snapshot asks again, up to `tries` times,
 * `waitMs` apart.
 */
export async function marketSnapshot(
  client: HttpClient,
  contracts: readonly SnapshotContract[],
  opts: { tries?: number; waitMs?: number } = {},
): Promise<Quote[]> {
  if (contracts.length === 0) return [];
  const query = { conids: contracts.map((c) => c.conid).join(','), fields: SNAPSHOT_FIELDS.join(',') };
  let rows: Map<number, Record<string, unknown>> = new Map();
  const tries = opts.tries ?? 4;
  for (let attempt = 0; attempt < tries; attempt++) {
    const body = await requestJson(client, '/iserver/marketdata/snapshot', { query, schema: Row.array() });
    rows = new Map(body.map((r) => [Number(r.conid), r]));
    const complete = contracts.every((c) =>
      SNAPSHOT_FIELDS.some((f) => rows.get(c.conid)?.[f] !== undefined),
    );
    if (complete || attempt === tries - 1) break;
    await client.clock.sleep(opts.waitMs ?? 250);
  }
  return contracts.map((c) => {
    const row = rows.get(c.conid) ?? {};
    return {
      symbol: c.symbol,
      conid: c.conid,
      last: price(row['31']),
      bid: price(row['84']),
      ask: price(row['86']),
      volume: volumeShares(row['7762'], c.usStock),
    };
  });
}
