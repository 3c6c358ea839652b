// The learning tables: the experience buffer, learned rules and ghost trades. Every write converges on
// a rerun (natural keys), and the buffer and each shadow keep only their latest rows.
import type { Sql } from '../db/client.ts';
import type { AssetType } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';
import type { TradeOutcome } from '../risk/conviction.ts';
import type { ProposedRule } from './attribution.ts';
import type { Experience, LearnedTrade, Snapshot } from './experience.ts';
import { conditionsKey, type LearnedRule, type RuleCondition, ruleEvidence } from './rules.ts';
import type { GhostExit, ShadowName } from './shadows.ts';

/** The buffer's default size: the latest 20,000 events. */
export const DEFAULT_BUFFER_SIZE = 20_000;

/** Ghost trades kept per shadow. */
const GHOSTS_KEPT = 1_000;

/**
 * Appends entries and exits to the buffer (an event already held is left as it was) and trims it to the
 * latest `keep` by time; returns how many events were new.
 */
export async function recordExperience(
  sql: Sql,
  events: readonly Experience[],
  keep = DEFAULT_BUFFER_SIZE,
): Promise<number> {
  if (!(Number.isInteger(keep) && keep > 0))
    throw new RangeError(`buffer size must be a positive integer, got ${keep}`);
  const rows = events.map((e) => ({
    event_key: `${e.source}:${e.tradeKey}:${e.kind}`,
    trade_key: e.tradeKey,
    kind: e.kind,
    source: e.source,
    setup: e.setup,
    symbol: e.symbol,
    asset_type: e.assetType,
    side: e.side,
    at: e.at,
    price: e.price,
    pnl: e.kind === 'exit' ? (e.pnl ?? null) : null,
    outcome: e.kind === 'exit' ? (e.outcome ?? null) : null,
    exit_reason: e.kind === 'exit' ? (e.exitReason ?? null) : null,
    snapshot: sql.json(e.snapshot as never),
  }));
  return sql.begin(async (tx) => {
    // A full buffer takes nothing older than what it keeps: a harvest of the whole ledger would otherwise
    // re-add the events the last trim dropped.
    const [floor] = await tx<{ at: Date }[]>`
      select at from learning_experiences order by at desc, id desc offset ${keep - 1} limit 1`;
    const fresh = floor ? rows.filter((r) => Date.parse(r.at) >= floor.at.getTime()) : rows;
    let added = 0;
    // Chunked: one statement's parameters stay under Postgres' 65,535.
    for (let i = 0; i < fresh.length; i += 2_000) {
      const chunk = fresh.slice(i, i + 2_000);
      const inserted =
        await tx`insert into learning_experiences ${tx(chunk)} on conflict (event_key) do nothing`;
      added += inserted.count;
    }
    await tx`
      delete from learning_experiences where id in (
        select id from learning_experiences order by at desc, id desc offset ${keep})`;
    return added;
  });
}

/** The buffer's closed trades: each entry with its exit's result, oldest entry first. */
export async function loadLearnedTrades(sql: Sql): Promise<LearnedTrade[]> {
  const rows = await sql<
    {
      trade_key: string;
      setup: string;
      symbol: string;
      asset_type: AssetType;
      side: 'long' | 'short';
      at: Date;
      price: number;
      exit_at: Date;
      exit_price: number;
      pnl: number;
      outcome: TradeOutcome;
      snapshot: Snapshot;
    }[]
  >`
    select e.trade_key, e.setup, e.symbol, e.asset_type, e.side, e.at, e.price, x.at as exit_at,
      x.price as exit_price, x.pnl, x.outcome, e.snapshot
    from learning_experiences e
    join learning_experiences x on x.trade_key = e.trade_key and x.source = e.source and x.kind = 'exit'
    where e.kind = 'entry'
    order by e.at, e.id`;
  return rows.map((r) => ({
    tradeKey: r.trade_key,
    setup: r.setup,
    symbol: r.symbol,
    assetType: r.asset_type,
    side: r.side,
    entryAt: r.at.toISOString(),
    entryPrice: r.price,
    exitAt: r.exit_at.toISOString(),
    exitPrice: r.exit_price,
    pnl: r.pnl,
    outcome: r.outcome,
    snapshot: r.snapshot,
  }));
}

/** What the buffer holds, for the Learning page. */
export interface BufferStats {
  events: number;
  entries: number;
  exits: number;
  setups: { setup: string; trades: number; wins: number; stops: number; meanPnl: number | null }[];
}

/** Counts of the buffer and each setup's closed-trade record. */
export async function bufferStats(sql: Sql): Promise<BufferStats> {
  const [totals] = await sql<{ events: number; entries: number; exits: number }[]>`
    select count(*)::int as events,
      count(*) filter (where kind = 'entry')::int as entries,
      count(*) filter (where kind = 'exit')::int as exits
    from learning_experiences`;
  const setups = await sql<BufferStats['setups']>`
    select setup, count(*)::int as trades,
      count(*) filter (where outcome = 'win')::int as wins,
      count(*) filter (where outcome = 'stop')::int as stops,
      avg(pnl) as "meanPnl"
    from learning_experiences where kind = 'exit'
    group by setup order by count(*) desc, setup`;
  return { ...totals!, setups: [...setups] };
}

interface RuleRow {
  id: string;
  setup: string;
  conditions: RuleCondition[];
  status: LearnedRule['status'];
  support: number;
  successes: number;
  success_rate: number | null;
  base_rate: number | null;
  lift: number | null;
}

const toRule = (r: RuleRow): LearnedRule => ({
  id: Number(r.id),
  setup: r.setup,
  conditions: r.conditions,
  status: r.status,
  support: r.support,
  successes: r.successes,
  successRate: r.success_rate ?? Number.NaN,
  baseRate: r.base_rate ?? Number.NaN,
  lift: r.lift ?? Number.NaN,
});

/** Learned rules, optionally of one status; active first, then by failure lift. */
export async function loadRules(sql: Sql, status?: LearnedRule['status']): Promise<LearnedRule[]> {
  const rows = await sql<RuleRow[]>`
    select id, setup, conditions, status, support, successes, success_rate, base_rate, lift
    from learning_rules where ${status ?? null}::text is null or status = ${status ?? null}
    order by status = 'active' desc, lift desc nulls last, id`;
  return rows.map(toRule);
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * Stores a run's proposals: new ones as proposed, known ones with fresh evidence (an admin's activation or
 * retirement stands); proposals the model no longer makes are dropped unless an admin decided on them;
 * active rules get their evidence recounted on today's trades. Returns the counts.
 */
export async function saveProposals(
  sql: Sql,
  proposals: readonly ProposedRule[],
  trades: readonly LearnedTrade[],
  at: string,
): Promise<{ proposed: number; dropped: number; active: number }> {
  return sql.begin(async (tx) => {
    const keys = proposals.map((p) => conditionsKey(p.conditions));
    for (const [i, p] of proposals.entries()) {
      const key = keys[i]!;
      await tx`
        insert into learning_rules (setup, conditions, conditions_key, support, successes, success_rate,
          base_rate, lift, evidence_at)
        values (${p.setup}, ${tx.json(p.conditions as never)}, ${key}, ${p.support},
          ${p.successes}, ${finiteOrNull(p.successRate)}, ${finiteOrNull(p.baseRate)}, ${finiteOrNull(p.lift)}, ${at})
        on conflict (setup, conditions_key) do update set support = excluded.support,
          successes = excluded.successes, success_rate = excluded.success_rate, base_rate = excluded.base_rate,
          lift = excluded.lift, evidence_at = excluded.evidence_at`;
    }
    const dropped = await tx`
      delete from learning_rules where status = 'proposed' and decided_at is null
        and (setup, conditions_key) not in (
          select * from unnest(${proposals.map((p) => p.setup)}::text[], ${keys}::text[]))`;
    const active = (
      await tx<RuleRow[]>`
      select id, setup, conditions, status, support, successes, success_rate, base_rate, lift
      from learning_rules where status = 'active'`
    ).map(toRule);
    for (const rule of active) {
      const own = trades.filter((t) => t.setup === rule.setup);
      if (own.length === 0) continue;
      const e = ruleEvidence(rule.conditions, own);
      await tx`
        update learning_rules set support = ${e.support}, successes = ${e.successes},
          success_rate = ${finiteOrNull(e.successRate)}, base_rate = ${finiteOrNull(e.baseRate)},
          lift = ${finiteOrNull(e.lift)}, evidence_at = ${at}
        where id = ${rule.id}`;
    }
    return { proposed: proposals.length, dropped: dropped.count, active: active.length };
  });
}

/** An admin activates or retires a rule, with a reason; 404 for an unknown rule. */
export async function decideRule(
  sql: Sql,
  id: number,
  status: 'active' | 'retired',
  actor: string,
  reason: string,
): Promise<LearnedRule> {
  const [row] = await sql<RuleRow[]>`
    update learning_rules set status = ${status}, decided_at = now(), decided_by = ${actor}, reason = ${reason}
    where id = ${id}
    returning id, setup, conditions, status, support, successes, success_rate, base_rate, lift`;
  if (!row) throw new AppError('not_found', `no learned rule ${id}`);
  return toRule(row);
}

/** One ghost trade of a shadow on a closed live trade. */
export interface GhostTrade extends GhostExit {
  shadow: ShadowName;
  trade: LearnedTrade;
  /** The live exits' return on the same trade, before costs. */
  livePnl: number;
}

/** Stores ghost trades (a rerun rewrites the same rows) and keeps the latest 1,000 per shadow. */
export async function saveGhostTrades(sql: Sql, ghosts: readonly GhostTrade[]): Promise<void> {
  const rows = ghosts.map((g) => ({
    shadow: g.shadow,
    trade_key: g.trade.tradeKey,
    setup: g.trade.setup,
    symbol: g.trade.symbol,
    asset_type: g.trade.assetType,
    side: g.trade.side,
    entry_at: g.trade.entryAt,
    entry_price: g.trade.entryPrice,
    exit_at: g.at,
    exit_price: g.price,
    pnl: g.pnl,
    exit_reason: g.reason,
    live_pnl: g.livePnl,
  }));
  await sql.begin(async (tx) => {
    for (let i = 0; i < rows.length; i += 2_000) {
      await tx`
        insert into learning_ghost_trades ${tx(rows.slice(i, i + 2_000))}
        on conflict (shadow, trade_key) do update set exit_at = excluded.exit_at,
          exit_price = excluded.exit_price, pnl = excluded.pnl, exit_reason = excluded.exit_reason,
          live_pnl = excluded.live_pnl`;
    }
    await tx`
      delete from learning_ghost_trades g using (
        select shadow, trade_key, row_number() over (partition by shadow order by entry_at desc, trade_key desc) as n
        from learning_ghost_trades) old
      where old.n > ${GHOSTS_KEPT} and g.shadow = old.shadow and g.trade_key = old.trade_key`;
  });
}

/** Every stored ghost's return against the live one, for the shadow reports. */
export async function loadGhostResults(
  sql: Sql,
): Promise<{ shadow: ShadowName; pnl: number; livePnl: number }[]> {
  return sql<{ shadow: ShadowName; pnl: number; livePnl: number }[]>`
    select shadow, pnl, live_pnl as "livePnl" from learning_ghost_trades order by shadow, entry_at`;
}
