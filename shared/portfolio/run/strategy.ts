import type { Sql } from '../../db/client.ts';
import type { AssetType } from '../../domain/market.ts';
import { compileStrategy, decide } from '../../engine/decide.ts';
import { type LoadedPanel, loadPanel } from '../../engine/load.ts';
import type { Panel } from '../../engine/panel.ts';
import { loadState, storeState } from '../../engine/state.ts';
import { createState, type Decisions, type EngineState, NO_DECISIONS, step } from '../../engine/step.ts';
import { AppError } from '../../errors/index.ts';
import type { StrategySpec } from '../../strategy/spec.ts';
import { loadStrategy } from '../../strategy/store.ts';
import { applyFill, type LedgerRules, ledgerEquity, markLedger, positionsValue } from '../ledger/ledger.ts';
import {
  type DecisionRow,
  type FillRow,
  type LedgerDay,
  loadLedger,
  type PortfolioRow,
} from '../ledger/store.ts';

// Paper trading a strategy: the engine's `step`, one trading day at a time, with its state stored in
// Postgres between days (DESIGN Part 2, decision 1). Each day executes the decisions of the previous
// close exactly as the backtest loop does (step, then decide), so the paper ledger and a backtest of the
// same spec over the same days must agree line by line (reconcile.ts checks it). Every engine fill also
// goes through the ledger's own arithmetic, which refuses impossible states, and the two equities must
// agree each day.

/** The engine state as stored in `portfolios.engine_state`: the panel's asset order pins the state's arrays. */
interface StoredEngine {
  assets: string[];
  state: unknown;
}

/** The ledger rules a spec trades under: shorts when it has a short side, margin when it borrows. */
export function strategyLedgerRules(spec: StrategySpec): LedgerRules {
  return {
    allowShort: spec.entry.short !== undefined,
    margin: spec.leverage > 1,
    slippageRate: spec.costs.slippage_rate,
  };
}

/** The spec a strategy portfolio runs (its pinned version). */
export async function portfolioSpec(sql: Sql, p: PortfolioRow): Promise<StrategySpec> {
  if (p.kind !== 'strategy')
    throw new AppError('invalid_input', `portfolio "${p.id}" follows a rebalance rule`);
  return (await loadStrategy(sql, p.strategy_id!, p.strategy_version!)).spec;
}

/** The panel of a strategy portfolio from its start to `to`: the same request its backtest makes. */
export function portfolioPanel(
  sql: Sql,
  p: PortfolioRow,
  spec: StrategySpec,
  to: string,
  benchmarks: Record<AssetType, string>,
  sentiment: string,
): Promise<LoadedPanel> {
  return loadPanel(sql, { spec, universe: p.universe, from: p.start_date, to }, { benchmarks, sentiment });
}

const keyOf = (panel: Panel, a: number) => `${panel.assets[a]!.assetType}:${panel.assets[a]!.symbol}`;

/** One engine decision as BUY / SELL rows (an exit of a short is a BUY), sized at the next open. */
function decisionRows(panel: Panel, state: EngineState, date: string, d: Decisions): DecisionRow[] {
  const rows = new Map<string, DecisionRow>();
  for (const x of d.exits) {
    const { symbol } = panel.assets[x.asset]!;
    const short = state.qty[x.asset]! < 0;
    rows.set(symbol, {
      date,
      symbol,
      action: short ? 'BUY' : 'SELL',
      qty: Math.abs(state.qty[x.asset]!),
      target_weight: 0,
      current_weight: null,
      score: null,
      rule: x.rule,
      reason: `${x.rule}: close the whole position at the next open`,
    });
  }
  for (const e of d.entries) {
    const { symbol } = panel.assets[e.asset]!;
    if (rows.has(symbol) && state.qty[e.asset] === 0) continue;
    const key = rows.has(symbol) ? `${symbol}#reverse` : symbol;
    rows.set(key, {
      date,
      symbol: key === symbol ? symbol : `${symbol} (reverse)`,
      action: e.side === 'long' ? 'BUY' : 'SELL',
      qty: 0,
      target_weight: null,
      current_weight: null,
      score: null,
      rule: e.rule,
      reason: `${e.rule}: open ${e.side} at the next open, sized by ${state.spec.sizing.mode} there`,
    });
  }
  return [...rows.values()];
}

/**
 * Steps a strategy portfolio through every panel day after its last one up to `date`, recording fills,
 * orders (one per fill, client order id `<portfolio>-<seq>`), refusals, the next open's decisions and the
 * daily equity. `trading` false (kill switch, paused portfolio) steps with no new decisions: held
 * positions keep their stops and targets and are marked, nothing new is bought or sold on a decision.
 * Returns what to record, or null when there is no new day.
 */
export async function stepStrategyPortfolio(
  sql: Sql,
  p: PortfolioRow,
  date: string,
  opts: { trading: boolean; benchmarks: Record<AssetType, string>; sentiment: string },
): Promise<LedgerDay | null> {
  if (p.last_date !== null && p.last_date >= date) return null;
  const spec = await portfolioSpec(sql, p);
  const loaded = await portfolioPanel(sql, p, spec, date, opts.benchmarks, opts.sentiment);
  const { panel } = loaded;
  const symbols = panel.assets.map((a) => a.symbol);
  const stored = p.engine_state as StoredEngine | null;
  let state: EngineState;
  if (stored) {
    if (stored.assets.join(',') !== symbols.join(','))
      throw new AppError(
        'conflict',
        `portfolio "${p.id}": the universe's assets changed since it started (${stored.assets.length} then, ${symbols.length} now); create a new portfolio`,
        { retryable: false },
      );
    state = loadState(JSON.stringify(stored.state));
  } else {
    state = createState(spec, panel, p.starting_cash);
    state.day = loaded.from - 1;
  }
  const lastIndex = p.last_date === null ? loaded.from - 1 : panel.dates.indexOf(p.last_date);
  if (lastIndex < loaded.from - 1 || state.day !== lastIndex)
    throw new AppError(
      'conflict',
      `portfolio "${p.id}": its state is at day ${state.day}, the panel puts ${p.last_date} at ${lastIndex}`,
    );
  if (lastIndex >= loaded.to) return null;

  const compiled = compileStrategy(spec, panel);
  const rules = strategyLedgerRules(spec);
  const ledger = await loadLedger(sql, p);
  const out: LedgerDay = {
    fills: [],
    orders: [],
    equity: [],
    decisions: [],
    ledger,
    lastDate: p.last_date ?? '',
  };
  const { nDays } = panel;
  for (let d = lastIndex + 1; d <= loaded.to; d++) {
    const today = panel.dates[d]!;
    // The decisions of the previous close, recomputed from the stored state (decide reads only data up
    // to that close), as the backtest loop made them.
    const pending = d > loaded.from && opts.trading ? decide(compiled, state, panel, d - 1) : NO_DECISIONS;
    const firstFill = state.fills.length;
    const firstRefusal = state.refusals.length;
    step(state, panel, d, pending);
    for (let k = firstFill; k < state.fills.length; k++) {
      const f = state.fills[k]!;
      const i = f.asset * nDays + d;
      const { symbol, assetType } = panel.assets[f.asset]!;
      const row: FillRow = {
        seq: k,
        client_order_id: `${p.id}-${k}`,
        date: today,
        symbol,
        asset_type: assetType,
        side: f.side,
        qty: f.qty,
        price: f.price,
        fee: f.fee,
        rule: f.rule,
        note: f.note ?? null,
        bar_low: panel.low[i]!,
        bar_high: panel.high[i]!,
      };
      applyFill(
        ledger,
        {
          date: today,
          key: keyOf(panel, f.asset),
          side: f.side,
          qty: f.qty,
          price: f.price,
          fee: f.fee,
          low: row.bar_low,
          high: row.bar_high,
        },
        rules,
      );
      out.fills.push(row);
      out.orders.push({
        client_order_id: row.client_order_id!,
        date: panel.dates[d - 1] ?? today,
        symbol,
        asset_type: assetType,
        side: f.side,
        qty: f.qty,
        type: 'market',
        limit_price: null,
        status: 'filled',
        filled_qty: f.qty,
        avg_price: f.price,
        broker_order_id: `engine-${k}`,
        rule: f.rule,
        error: null,
      });
    }
    for (let k = firstRefusal; k < state.refusals.length; k++) {
      const r = state.refusals[k]!;
      out.decisions.push({
        date: today,
        symbol: panel.assets[r.asset]!.symbol,
        action: 'REFUSED',
        qty: 0,
        target_weight: null,
        current_weight: null,
        score: null,
        rule: r.rule,
        reason: `refused at the open: ${r.reason}`,
      });
    }
    // Mark at the close (the last known close where the asset has no bar today), as the engine does.
    const marks = new Map<string, number>();
    for (const [key] of ledger.positions) {
      const a = symbols.indexOf(key.slice(key.indexOf(':') + 1));
      const close = state.lastClose[a]!;
      if (close > 0) marks.set(key, close);
    }
    markLedger(ledger, marks);
    const equity = ledgerEquity(ledger);
    if (Math.abs(equity - state.equity) > 1e-6 * Math.max(1, Math.abs(state.equity)))
      throw new AppError(
        'internal',
        `portfolio "${p.id}" ${today}: ledger equity ${equity} but engine equity ${state.equity}`,
      );
    const bench = loaded.benchmark === null ? NaN : panel.close[loaded.benchmark * nDays + d]!;
    out.equity.push({
      date: today,
      cash: ledger.cash,
      positions_value: positionsValue(ledger),
      equity,
      benchmark_close: Number.isNaN(bench) ? null : bench,
    });
    out.lastDate = today;
  }
  // Today's close decides tomorrow's orders: recorded now, executed by the next trade run.
  const next = opts.trading ? decide(compiled, state, panel, loaded.to) : NO_DECISIONS;
  out.decisions.push(...decisionRows(panel, state, panel.dates[loaded.to]!, next));
  if (!opts.trading)
    out.decisions.push({
      date: panel.dates[loaded.to]!,
      symbol: '*',
      action: 'HOLD',
      qty: 0,
      target_weight: null,
      current_weight: null,
      score: null,
      rule: 'trading_disabled',
      reason: 'the kill switch is engaged or the portfolio is paused: no new orders',
    });
  out.engineState = { assets: symbols, state: JSON.parse(storeState(state)) } satisfies StoredEngine;
  return out;
}
