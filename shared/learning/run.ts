// The daily learning run after the close: paper trades closed in the ledger join the experience buffer
// (with the market as their decision day saw it), the shadows walk their ghosts over the stored bars,
// and attribution proposes filter rules from every closed trade the buffer holds. Idempotent: each step
// writes under natural keys, so a rerun on the same data changes nothing.
import type { Sql } from '../db/client.ts';
import type { AssetType } from '../domain/market.ts';
import { closedTrades, type TradeFill } from '../portfolio/ledger/trades.ts';
import { type AttributionOptions, DEFAULT_ATTRIBUTION, proposeRules } from './attribution.ts';
import type { Experience, LearnedTrade, Snapshot } from './experience.ts';
import {
  type GhostBar,
  ghostExit,
  liveExits,
  SHADOWS,
  type ShadowReport,
  shadowExits,
  shadowReports,
} from './shadows.ts';
import {
  DEFAULT_BUFFER_SIZE,
  type GhostTrade,
  loadGhostResults,
  loadLearnedTrades,
  recordExperience,
  saveGhostTrades,
  saveProposals,
} from './store.ts';

/** What a learning run did. */
export interface LearningSummary {
  /** Buffer events new from the ledger. */
  harvested: number;
  /** Closed trades in the buffer. */
  trades: number;
  /** Ghost trades closed (all shadows). */
  ghosts: number;
  proposed: number;
  dropped: number;
  active: number;
  shadows: ShadowReport[];
}

/** Options of a run: the buffer size, the benchmarks the regime reads, attribution's thresholds. */
export interface LearningOptions {
  keep?: number;
  benchmarks: Record<AssetType, string>;
  attribution?: AttributionOptions;
}

/** Runs the whole loop once, evidence dated `at`. */
export async function runLearning(sql: Sql, at: string, options: LearningOptions): Promise<LearningSummary> {
  const harvested = await recordExperience(
    sql,
    await ledgerExperiences(sql, options.benchmarks),
    options.keep ?? DEFAULT_BUFFER_SIZE,
  );
  const trades = await loadLearnedTrades(sql);
  const ghosts = await walkGhosts(sql, trades);
  await saveGhostTrades(sql, ghosts);
  const saved = await saveProposals(
    sql,
    proposeRules(trades, options.attribution ?? DEFAULT_ATTRIBUTION),
    trades,
    at,
  );
  return {
    harvested,
    trades: trades.length,
    ghosts: ghosts.length,
    ...saved,
    shadows: shadowReports(await loadGhostResults(sql)),
  };
}

interface LedgerFill extends TradeFill {
  portfolio_id: string;
  setup: string;
}

/**
 * Every closed paper trade of every portfolio as an entry and an exit. The setup is the portfolio's
 * strategy (or its kind and id); the snapshot is the asset's stored features on the last bar before the
 * entry (the decision day: fills happen at the next open) plus the regime flag.
 */
async function ledgerExperiences(sql: Sql, benchmarks: Record<AssetType, string>): Promise<Experience[]> {
  const fills = await sql<LedgerFill[]>`
    select f.portfolio_id, coalesce(p.strategy_id, p.kind || ':' || p.id) as setup, f.date::text as date,
      f.symbol, f.asset_type, f.side, f.qty, f.price, f.fee, f.rule
    from portfolio_fills f join portfolios p on p.id = f.portfolio_id
    where p.mode = 'paper'
    order by f.portfolio_id, f.seq`;
  const byPortfolio = new Map<string, LedgerFill[]>();
  for (const f of fills) {
    const own = byPortfolio.get(f.portfolio_id);
    if (own) own.push(f);
    else byPortfolio.set(f.portfolio_id, [f]);
  }
  const trades = [...byPortfolio].flatMap(([portfolio, own]) =>
    closedTrades(own).map((t) => ({ ...t, portfolio, setup: own[0]!.setup })),
  );
  const snapshots = await entrySnapshots(
    sql,
    trades.map((t) => ({ assetType: t.assetType, symbol: t.symbol, date: t.entryDate })),
    benchmarks,
  );
  return trades.flatMap((t, i): Experience[] => {
    const base = {
      tradeKey: `${t.portfolio}:${t.assetType}:${t.symbol}:${t.entryDate}`,
      source: 'paper' as const,
      setup: t.setup,
      symbol: t.symbol,
      assetType: t.assetType,
      side: t.side,
    };
    return [
      {
        ...base,
        kind: 'entry',
        at: `${t.entryDate}T00:00:00.000Z`,
        price: t.entryPrice,
        snapshot: snapshots[i]!,
      },
      {
        ...base,
        kind: 'exit',
        at: `${t.exitDate}T00:00:00.000Z`,
        price: t.exitPrice,
        pnl: t.returnPct,
        outcome: t.outcome,
        snapshot: {},
      },
    ];
  });
}

/**
 * For each (asset, entry date): the asset's features on its last stored day before the entry, and
 * `regime_risk_off` (1 when the market's benchmark closed below its 200-day average that day, 0 above,
 * null unknown), the rule the portfolio layer's regime reads.
 */
async function entrySnapshots(
  sql: Sql,
  keys: readonly { assetType: AssetType; symbol: string; date: string }[],
  benchmarks: Record<AssetType, string>,
): Promise<Snapshot[]> {
  if (keys.length === 0) return [];
  const rows = await sql<
    { i: number; features: Record<string, number | string | null> | null; regime: number | null }[]
  >`
    select w.i::int as i, f.features, b.regime
    from unnest(${keys.map((k) => k.assetType)}::text[], ${keys.map((k) => k.symbol)}::text[],
      ${keys.map((k) => k.date)}::date[], ${keys.map((k) => benchmarks[k.assetType])}::text[])
      with ordinality as w(asset_type, symbol, entry_date, benchmark, i)
    left join assets a on a.asset_type = w.asset_type and a.symbol = w.symbol
    left join lateral (
      select to_jsonb(d) - 'asset_id' - 'date' - 'computed_at' as features
      from daily_features d where d.asset_id = a.id and d.date < w.entry_date
      order by d.date desc limit 1) f on true
    left join lateral (
      select case when d.dist_sma_200 is null then null when d.dist_sma_200 < 0 then 1 else 0 end as regime
      from daily_features d join assets ba on ba.id = d.asset_id
      where ba.asset_type = w.asset_type and ba.symbol = w.benchmark and d.date < w.entry_date
      order by d.date desc limit 1) b on true
    order by w.i`;
  return rows.map((r) => {
    const snapshot: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(r.features ?? {})) snapshot[k] = typeof v === 'number' ? v : null;
    snapshot.regime_risk_off = r.regime;
    return snapshot;
  });
}

/**
 * Each shadow's ghost of each closed trade over the asset's stored daily bars from the entry day on; a
 * ghost whose bars end before any exit is left for a later run.
 */
async function walkGhosts(sql: Sql, trades: readonly LearnedTrade[]): Promise<GhostTrade[]> {
  if (trades.length === 0) return [];
  const assets = new Map<string, { assetType: AssetType; symbol: string; from: string }>();
  for (const t of trades) {
    const key = `${t.assetType}:${t.symbol}`;
    const from = t.entryAt.slice(0, 10);
    const seen = assets.get(key);
    if (!seen || from < seen.from) assets.set(key, { assetType: t.assetType, symbol: t.symbol, from });
  }
  const list = [...assets.values()];
  const rows = await sql<(GhostBar & { key: string })[]>`
    select w.asset_type || ':' || w.symbol as key, d.date::text as at, d.open, d.high, d.low, d.close
    from unnest(${list.map((a) => a.assetType)}::text[], ${list.map((a) => a.symbol)}::text[],
      ${list.map((a) => a.from)}::date[]) as w(asset_type, symbol, from_date)
    join assets a on a.asset_type = w.asset_type and a.symbol = w.symbol
    join daily_bars d on d.asset_id = a.id and d.date >= w.from_date
    order by key, d.date`;
  const bars = new Map<string, GhostBar[]>();
  for (const { key, ...bar } of rows) {
    const own = bars.get(key);
    if (own) own.push(bar);
    else bars.set(key, [bar]);
  }
  const out: GhostTrade[] = [];
  for (const trade of trades) {
    const series = bars.get(`${trade.assetType}:${trade.symbol}`) ?? [];
    const start = series.findIndex((b) => b.at === trade.entryAt.slice(0, 10));
    if (start < 0) continue;
    const live = liveExits(trade.snapshot);
    const dir = trade.side === 'long' ? 1 : -1;
    for (const shadow of SHADOWS) {
      const plan = shadowExits(shadow, live);
      const exit = ghostExit(
        trade.side,
        trade.entryPrice,
        series.slice(start, start + plan.maxBars + 1),
        plan,
      );
      if (exit) out.push({ ...exit, shadow, trade, livePnl: dir * (trade.exitPrice / trade.entryPrice - 1) });
    }
  }
  return out;
}
