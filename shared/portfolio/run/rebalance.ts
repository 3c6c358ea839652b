import {
  createPaperBroker,
  newPaperState,
  type PaperBar,
  type PaperBroker,
  type PaperState,
} from '../../brokers/paper/index.ts';
import type { BrokerEnv } from '../../brokers/registry.ts';
import { BrokerError } from '../../brokers/types.ts';
import { addDays, isTradingDay } from '../../calendar/index.ts';
import type { Sql } from '../../db/client.ts';
import type { AssetType, Direction } from '../../domain/market.ts';
import { AppError } from '../../errors/index.ts';
import { convictionBook, convictionSizing, DEFAULT_CONVICTION } from '../../risk/conviction.ts';
import {
  capExposure,
  evaluateRisk,
  gateTrades,
  type RiskResult,
  riskAdjustedTargets,
} from '../../risk/index.ts';
import { DAILY_PROFIT_CAP } from '../../risk/profit-cap.ts';
import { activeLocks, type Lock } from '../../risk/protections.ts';
import { marketRegime } from '../../risk/regime.ts';
import type { RiskDecision } from '../../risk/types.ts';
import {
  applyFill,
  type Ledger,
  type LedgerRules,
  ledgerEquity,
  markLedger,
  positionsValue,
} from '../ledger/ledger.ts';
import {
  type DecisionRow,
  type LedgerDay,
  loadLedger,
  type OrderRow,
  type PortfolioRow,
  RebalanceRule,
  type ScoreRow,
  splitKey,
} from '../ledger/store.ts';
import { closedTrades, isStopRule, type TradeFill } from '../ledger/trades.ts';
import { type DeltaTrade, deltaTrades } from '../orders/index.ts';
import {
  type CompositeScore,
  compositeScores,
  DEFAULT_SCORE_CONFIG,
  type ScoreInput,
} from '../score/index.ts';
import { type TargetResult, targetWeights } from '../targets/index.ts';
import {
  brokerBook,
  liveRefusal,
  portfolioBroker,
  reconcilePositions,
  sendThroughBroker,
  syncBrokerOrders,
  tradeOrder,
} from './external.ts';

// A rebalance portfolio, the original weekly flow: composite score → target weights → risk → delta
// trades → orders through a broker, sells before buys. Each trade run first lets the paper broker fill
// the previous close's orders on the day's bars (by the fill contract), records the fills in the ledger,
// reconciles the ledger with the broker's positions, and on a rebalance day decides and sends the next
// open's orders. Client order ids are `<portfolio>-<date>-<symbol>-<side>`, so a run redone sends nothing
// twice, and a rebalance on the same inputs after its trades filled finds every asset at its target.

/** Momentum horizons (bars) of the score, and the history the returns and the optimizer read. */
const HISTORY = 61;
const PROTECTIONS = {
  // Stop-outs are exits by a stop-loss rule (isStopRule): two within 30 days lock every entry for 5.
  stoplossGuard: { lookbackDays: 30, tradeLimit: 2, lockDays: 5 },
  maxDrawdown: { lookbackDays: 30, maxDrawdown: 0.15, lockDays: 5 },
  cooldown: { days: 5 },
};

/** One universe asset on the decision date: its bar, recent closes (newest first), score inputs. */
interface AssetDay {
  id: number;
  symbol: string;
  assetType: AssetType;
  bar: PaperBar | null;
  closes: number[];
}

/** What a rebalance decided, with every number behind it. */
export interface RebalancePlan {
  date: string;
  equity: number;
  scores: CompositeScore[];
  targets: TargetResult;
  risk: RiskResult;
  locks: Lock[];
  trades: DeltaTrade[];
  /** The book-wide sizing: the setup's conviction, and the exposure cap when it scaled the book back. */
  sizing: RiskDecision[];
}

async function universeDay(
  sql: Sql,
  universe: string,
  date: string,
): Promise<{ assetType: AssetType; assets: AssetDay[] }> {
  const [u] = await sql<{ asset_type: AssetType; symbols: string[] | null }[]>`
    select asset_type, symbols from universes where id = ${universe}`;
  if (!u) throw new AppError('not_found', `unknown universe "${universe}"`);
  const rows = await sql<
    {
      id: number;
      symbol: string;
      dates: string[];
      closes: number[];
      open: number;
      high: number;
      low: number;
      volume: number;
    }[]
  >`
    select a.id, a.symbol, h.dates, h.closes, b.open, b.high, b.low, b.volume
    from assets a
    cross join lateral (
      select array_agg(x.date::text order by x.date desc) as dates, array_agg(x.close order by x.date desc) as closes
      from (select date, close from daily_bars where asset_id = a.id and date <= ${date}::date order by date desc limit ${HISTORY}) x
    ) h
    left join daily_bars b on b.asset_id = a.id and b.date = ${date}::date
    where a.asset_type = ${u.asset_type} and a.active
      and (${u.symbols}::text[] is null or a.symbol = any(${u.symbols}::text[]))
    order by a.symbol`;
  return {
    assetType: u.asset_type,
    assets: rows.map((r) => ({
      id: r.id,
      symbol: r.symbol,
      assetType: u.asset_type,
      bar:
        r.dates?.[0] === date
          ? { open: r.open, high: r.high, low: r.low, close: r.closes[0]!, volume: r.volume }
          : null,
      closes: r.dates?.[0] === date ? r.closes : [],
    })),
  };
}

/** The score's inputs on `date`, every one known at that close; sentiment only where its table exists. */
async function scoreInputs(
  sql: Sql,
  assets: readonly AssetDay[],
  date: string,
  series: string,
): Promise<ScoreInput[]> {
  const ids = assets.map((a) => a.id);
  const facts = await sql<{ asset_id: number; direction: Direction; strength: number }[]>`
    select asset_id, direction, strength from daily_signal_facts where date = ${date}::date and asset_id = any(${ids}::bigint[])`;
  const reviews = await sql<{ asset_id: number; direction: Direction; confidence: number }[]>`
    select distinct on (asset_id) asset_id, direction, confidence from asset_ai_reviews
    where as_of_date = ${date}::date and status = 'valid' and asset_id = any(${ids}::bigint[])
    order by asset_id, created_at desc`;
  const [has] = await sql<
    { present: boolean }[]
  >`select to_regclass('public.daily_sentiment') is not null as present`;
  const sentiment = has?.present
    ? await sql<{ asset_id: number; value: number | null }[]>`
        select asset_id, weighted_mean as value from daily_sentiment
        where date = ${date}::date and scorer_version = ${series} and asset_id = any(${ids}::bigint[])`
    : [];
  const byAsset = <T extends { asset_id: number }>(rows: readonly T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) m.set(r.asset_id, [...(m.get(r.asset_id) ?? []), r]);
    return m;
  };
  const f = byAsset(facts);
  const rv = byAsset(reviews);
  const st = byAsset(sentiment);
  return assets
    .filter((a) => a.bar !== null)
    .map((a) => {
      const ret = (n: number) => (a.closes.length > n ? a.closes[0]! / a.closes[n]! - 1 : null);
      const review = rv.get(a.id)?.[0];
      return {
        asset: a.symbol,
        date,
        momentum: Object.fromEntries(DEFAULT_SCORE_CONFIG.momentumHorizons.map((h) => [h, ret(h)])),
        sentiment: st.get(a.id)?.[0]?.value ?? null,
        signals: (f.get(a.id) ?? []).map((x) => ({ direction: x.direction, strength: x.strength / 100 })),
        review:
          review && review.confidence !== null
            ? { direction: review.direction, confidence: review.confidence }
            : null,
      };
    });
}

/** Daily simple returns, oldest first, aligned on the last HISTORY-1 days (NaN where short). */
function returnsOf(assets: readonly AssetDay[]): Record<string, Float64Array> {
  const n = HISTORY - 1;
  const out: Record<string, Float64Array> = {};
  for (const a of assets) {
    const r = new Float64Array(n).fill(Number.NaN);
    for (let k = 0; k < n && k + 1 < a.closes.length; k++) r[n - 1 - k] = a.closes[k]! / a.closes[k + 1]! - 1;
    out[a.symbol] = r;
  }
  return out;
}

/** Whether `date` is the portfolio's rebalance day: every day, or the first trading day of the week from the rule's weekday. */
export function isRebalanceDay(rule: RebalanceRule, assetType: AssetType, date: string): boolean {
  if (rule.every === 'daily') return true;
  const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  if (weekday < rule.weekday) return false;
  for (let d = weekday - 1; d >= rule.weekday; d--)
    if (isTradingDay(assetType, addDays(date, d - weekday))) return false;
  return true;
}

/**
 * Decides a rebalance at `date`'s close from the ledger: scores, targets by the rule's weighting,
 * the risk layer (profit cap, consensus, regime of the benchmark, locks, max positions), delta trades.
 */
export async function planRebalance(
  sql: Sql,
  p: PortfolioRow,
  ledger: Ledger,
  date: string,
  benchmarks: Record<AssetType, string>,
  sentiment: string,
): Promise<RebalancePlan> {
  const rule = RebalanceRule.parse(p.rule);
  const { assetType, assets } = await universeDay(sql, p.universe, date);
  const inputs = await scoreInputs(sql, assets, date, sentiment);
  if (inputs.length === 0)
    throw new AppError('invalid_input', `universe "${p.universe}" has no bars on ${date}`, {
      retryable: false,
    });
  const scores = compositeScores(inputs, DEFAULT_SCORE_CONFIG);
  const equity = ledgerEquity(ledger);
  const held = [...ledger.positions.keys()].map((k) => splitKey(k).symbol);
  const currentQty = new Map([...ledger.positions].map(([k, pos]) => [splitKey(k).symbol, pos.qty]));
  const prices: Record<string, number> = {};
  for (const a of assets) if (a.bar) prices[a.symbol] = a.bar.close;
  for (const [k, pos] of ledger.positions) prices[splitKey(k).symbol] ??= pos.mark;
  const current: Record<string, number> = {};
  for (const [s, q] of currentQty) current[s] = (q * prices[s]!) / equity;
  const targets = targetWeights(
    scores.map((s) => ({ asset: s.asset, score: s.score })),
    rule.weighting,
    {
      topN: rule.top_n,
      maxWeight: rule.max_weight,
      minScore: 0,
      returns: returnsOf(assets),
      current,
      targetVol: 0.15,
      periodsPerYear: assetType === 'crypto' ? 365 : 252,
    },
  );
  // The regime of the market benchmark, the locks from the ledger's own history.
  const [bench] = await sql<{ close: number | null; sma200: number | null }[]>`
    select b.close, f.sma_200 as sma200 from assets a
    join daily_bars b on b.asset_id = a.id and b.date = ${date}::date
    left join daily_features f on f.asset_id = a.id and f.date = b.date
    where a.asset_type = ${assetType} and a.symbol = ${benchmarks[assetType]}`;
  const regime = marketRegime({
    symbol: benchmarks[assetType],
    close: bench?.close ?? null,
    sma200: bench?.sma200 ?? null,
  });
  const history = await sql<{ date: string; equity: number }[]>`
    select date::text as date, equity from portfolio_equity where portfolio_id = ${p.id} and date <= ${date}::date order by date`;
  // The fills known at this close (a rebalance redone after its orders filled reads the same ones).
  const fills = await sql<TradeFill[]>`
    select date::text as date, symbol, asset_type, side, qty, price, fee, rule from portfolio_fills
    where portfolio_id = ${p.id} and date <= ${date}::date order by seq`;
  const locks = activeLocks(
    {
      date,
      trades: fills
        .filter((f) => f.side === 'sell')
        .map((f) => ({ asset: f.symbol, exitDate: f.date, stoppedOut: isStopRule(f.rule) })),
      equity: history,
    },
    PROTECTIONS,
  );
  // Conviction from the ledger's closed trades: +1 a win, -2 a stop-out, per setup (here `rebalance`).
  const conviction = convictionBook(closedTrades(fills), DEFAULT_CONVICTION);
  const previous = history.length > 1 ? history[history.length - 2]!.equity : p.starting_cash;
  const byAsset = new Map(scores.map((s) => [s.asset, s]));
  const risk = evaluateRisk(
    targets.weights.map((t) => {
      const s = byAsset.get(t.asset)!;
      return { asset: t.asset, score: s.score, components: s.components, setup: 'rebalance' };
    }),
    { day: { startEquity: previous, equity }, held, regime, locks, conviction },
    {
      profitCap: DAILY_PROFIT_CAP,
      minPositiveSources: rule.min_positive_sources,
      maxPositions: rule.top_n,
      conviction: DEFAULT_CONVICTION,
    },
  );
  const exposure = capExposure(riskAdjustedTargets(targets.weights, risk));
  const adjusted = exposure.weights;
  const trades = gateTrades(
    deltaTrades(
      [...currentQty].map(([asset, quantity]) => ({ asset, quantity })),
      adjusted,
      prices,
      equity,
      {
        minTradeValue: rule.min_trade_value,
        threshold: rule.threshold,
        isFractional: () => assetType === 'crypto',
      },
    ),
    risk,
  );
  return {
    date,
    equity,
    scores,
    targets,
    risk,
    locks,
    trades,
    sizing: [
      convictionSizing(conviction, 'rebalance', DEFAULT_CONVICTION),
      ...(exposure.decision ? [exposure.decision] : []),
    ],
  };
}

/** The plan as decision rows: each BUY / SELL / HOLD with its weights, score and reason, and refused entries. */
export function planRows(plan: RebalancePlan): DecisionRow[] {
  const score = new Map(plan.scores.map((s) => [s.asset, s.score]));
  const rows: DecisionRow[] = plan.trades.map((t) => ({
    date: plan.date,
    symbol: t.asset,
    action: t.side,
    qty: t.quantity,
    target_weight: t.targetWeight,
    current_weight: Number.isNaN(t.currentWeight) ? null : t.currentWeight,
    score: score.get(t.asset) ?? null,
    rule: 'rebalance',
    reason: t.reason,
  }));
  for (const e of plan.risk.entries)
    if (!e.allow)
      rows.push({
        date: plan.date,
        symbol: e.asset,
        action: 'REFUSED',
        qty: 0,
        target_weight: null,
        current_weight: null,
        score: score.get(e.asset) ?? null,
        rule: e.decisions.find((d) => !d.allow)?.rule ?? 'risk',
        reason: e.reason,
      });
  for (const d of plan.sizing)
    rows.push({
      date: plan.date,
      symbol: '*',
      action: 'HOLD',
      qty: 0,
      target_weight: null,
      current_weight: null,
      score: null,
      rule: d.rule,
      reason: d.reason,
    });
  if (plan.targets.fallback)
    rows.push({
      date: plan.date,
      symbol: '*',
      action: 'HOLD',
      qty: 0,
      target_weight: null,
      current_weight: null,
      score: null,
      rule: 'weighting_fallback',
      reason: plan.targets.fallback,
    });
  return rows;
}

/** The paper broker of a portfolio, over its stored state, pricing at the given closes. */
function paperBroker(
  p: PortfolioRow,
  assetType: AssetType,
  closes: Map<string, number>,
  now: () => Date,
): PaperBroker {
  return createPaperBroker(
    { costs: p.costs, assetType, wholeUnits: assetType === 'equity', price: (s) => closes.get(s), now },
    (p.broker_state as PaperState | null) ?? newPaperState(p.starting_cash),
  );
}

/** How a trade run may act: whether new orders are allowed (and why not), the benchmarks, the clock, the brokers' environment. */
export interface StepOptions {
  trading: boolean;
  /** The daily_sentiment series the score reads: the configured scorer's (sentimentSeries). */
  sentiment: string;
  /** Why trading is off (the kill switch's reason, a paused portfolio), recorded on the day's decision. */
  halt?: string;
  benchmarks: Record<AssetType, string>;
  now: () => Date;
  brokerEnv: BrokerEnv;
}

/**
 * A rebalance portfolio's trade run for `date`: the day's fills enter the ledger (the paper broker
 * makes them from the previous close's orders by the fill contract; Alpaca and IBKR report them), the
 * ledger, refusing impossible states, reconciles with the broker's positions and marks at the close,
 * and on a rebalance day (or the first day) the plan's orders are sent, sells first. Returns what to
 * record, or null when the ledger already holds `date`.
 */
export async function stepRebalancePortfolio(
  sql: Sql,
  p: PortfolioRow,
  date: string,
  opts: StepOptions,
): Promise<LedgerDay | null> {
  if (p.last_date !== null && p.last_date >= date) return null;
  if (date < p.start_date) return null;
  if (p.broker !== 'paper') return stepBrokerPortfolio(sql, p, date, opts);
  const rule = RebalanceRule.parse(p.rule);
  const { assetType, assets } = await universeDay(sql, p.universe, date);
  const closes = new Map(assets.filter((a) => a.bar).map((a) => [a.symbol, a.bar!.close]));
  const broker = paperBroker(p, assetType, closes, opts.now);
  const ledger = await loadLedger(sql, p);
  const rules: LedgerRules = { allowShort: false, margin: false, slippageRate: p.costs.slippage_rate };
  const bars = new Map(assets.filter((a) => a.bar).map((a) => [a.symbol, a.bar!]));
  const paperFills = broker.applyBars(date, bars);
  const seq = await fillCount(sql, p.id);
  const out: LedgerDay = { fills: [], orders: [], equity: [], decisions: [], ledger, lastDate: date };
  paperFills.forEach((f, k) => {
    applyFill(
      ledger,
      {
        date,
        key: `${assetType}:${f.symbol}`,
        side: f.side,
        qty: f.qty,
        price: f.price,
        fee: f.fee,
        low: f.low,
        high: f.high,
      },
      rules,
    );
    out.fills.push({
      seq: seq + k,
      client_order_id: f.clientOrderId,
      date,
      symbol: f.symbol,
      asset_type: assetType,
      side: f.side,
      qty: f.qty,
      price: f.price,
      fee: f.fee,
      rule: `rebalance:${f.rule}`,
      note: null,
      bar_low: f.low,
      bar_high: f.high,
    });
  });
  // Orders the broker finished today (filled, expired) get their final status in the ledger.
  const open = await sql<OrderRow[]>`
    select client_order_id, date::text as date, symbol, asset_type, side, qty, type, limit_price, status, filled_qty,
      avg_price, broker_order_id, rule, error
    from portfolio_orders where portfolio_id = ${p.id} and status in ('new', 'accepted', 'partially_filled')`;
  for (const o of open) {
    const b = await broker.getOrder(o.client_order_id);
    if (b) out.orders.push({ ...o, status: b.status, filled_qty: b.filledQty, avg_price: b.filledAvgPrice });
  }
  markLedger(ledger, new Map([...closes].map(([s, c]) => [`${assetType}:${s}`, c])));
  await reconcileWithBroker(p.id, ledger, broker);
  pushEquity(out, ledger, date, closes.get(opts.benchmarks[assetType]) ?? null);
  if (p.last_date === null || isRebalanceDay(rule, assetType, date))
    await rebalanceDay(sql, p, out, date, opts, null, (trades) =>
      sendOrders(broker, p.id, assetType, date, trades),
    );
  out.brokerState = broker.state();
  return out;
}

/**
 * The same run for a portfolio at Alpaca or IBKR: the ledger's working orders are looked up at the
 * broker and their new fills applied, the ledger's positions checked against the broker's, and the
 * plan's orders sent through `sendThroughBroker` (written before they are sent). A live portfolio the
 * server or its approval does not allow to trade reaches no broker: it is marked at the close and its
 * rebalance is recorded as refused with the reason.
 */
async function stepBrokerPortfolio(
  sql: Sql,
  p: PortfolioRow,
  date: string,
  opts: StepOptions,
): Promise<LedgerDay> {
  const rule = RebalanceRule.parse(p.rule);
  const { assetType, assets } = await universeDay(sql, p.universe, date);
  const closes = new Map(assets.filter((a) => a.bar).map((a) => [a.symbol, a.bar!.close]));
  const bars = new Map(assets.filter((a) => a.bar).map((a) => [a.symbol, a.bar!]));
  const ledger = await loadLedger(sql, p);
  const out: LedgerDay = { fills: [], orders: [], equity: [], decisions: [], ledger, lastDate: date };
  const refusal = liveRefusal(p, opts.brokerEnv);
  // The broker's fills are facts and its buying power the limit: a fill above the planned price may take
  // the ledger's cash below zero, which the ledger records rather than refuses.
  const rules: LedgerRules = { allowShort: false, margin: true, slippageRate: 0 };
  const book = refusal
    ? null
    : brokerBook(portfolioBroker(p, opts.brokerEnv), ledger, {
        date,
        bars,
        rules,
        seq: await fillCount(sql, p.id),
      });
  if (book) await syncBrokerOrders(sql, book, p.id);
  const marks = new Map([...closes].map(([s, c]) => [`${assetType}:${s}`, c]));
  markLedger(ledger, marks);
  if (p.last_date === null || isRebalanceDay(rule, assetType, date)) {
    if (book && opts.trading) await reconcilePositions(sql, p, ledger, book.broker);
    await rebalanceDay(sql, p, out, date, opts, refusal, async (trades) => {
      await sendThroughBroker(sql, book!, p.id, assetType, date, trades);
      return [];
    });
    // An order the broker filled at once is in the ledger already: mark it at the close too.
    markLedger(ledger, marks);
  }
  if (book) {
    out.fills.push(...book.fills);
    out.orders.push(...book.orders.values());
  }
  pushEquity(out, ledger, date, closes.get(opts.benchmarks[assetType]) ?? null);
  return out;
}

const fillCount = async (sql: Sql, id: string): Promise<number> =>
  (await sql<{ n: number }[]>`select count(*)::int as n from portfolio_fills where portfolio_id = ${id}`)[0]
    ?.n ?? 0;

function pushEquity(out: LedgerDay, ledger: Ledger, date: string, benchClose: number | null): void {
  out.equity.push({
    date,
    cash: ledger.cash,
    positions_value: positionsValue(ledger),
    equity: ledgerEquity(ledger),
    benchmark_close: benchClose,
  });
}

/** A rebalance day: no new orders while trading is off or refused (one HOLD saying why), else the plan, its locks and its orders. */
async function rebalanceDay(
  sql: Sql,
  p: PortfolioRow,
  out: LedgerDay,
  date: string,
  opts: StepOptions,
  refusal: string | null,
  send: (trades: readonly DeltaTrade[]) => Promise<OrderRow[]>,
): Promise<void> {
  const stop = !opts.trading
    ? {
        rule: 'trading_disabled',
        reason: `no new orders: ${opts.halt ?? 'the kill switch is engaged or the portfolio is paused'}`,
      }
    : refusal
      ? { rule: 'live_trading_refused', reason: refusal }
      : null;
  if (stop) {
    out.decisions.push({
      date,
      symbol: '*',
      action: 'HOLD',
      qty: 0,
      target_weight: null,
      current_weight: null,
      score: null,
      ...stop,
    });
    return;
  }
  const plan = await planRebalance(
    sql,
    { ...p, last_date: date },
    out.ledger,
    date,
    opts.benchmarks,
    opts.sentiment,
  );
  out.decisions.push(...planRows(plan));
  out.locks = plan.locks.map((l) => ({
    rule: l.rule,
    symbol: l.asset ?? '*',
    from_date: l.from,
    until_date: l.until,
    reason: l.reason,
  }));
  out.scores = scoreRows(plan);
  out.orders.push(...(await send(plan.trades)));
}

/** The plan's composite scores ranked best first (an all-abstaining asset last), each with the components that had an opinion. */
function scoreRows(plan: RebalancePlan): ScoreRow[] {
  const ranked = [...plan.scores].sort(
    (a, b) =>
      (b.score ?? Number.NEGATIVE_INFINITY) - (a.score ?? Number.NEGATIVE_INFINITY) ||
      a.asset.localeCompare(b.asset),
  );
  return ranked.map((s, k) => ({
    date: plan.date,
    symbol: s.asset,
    score: s.score,
    rank: k + 1,
    components: Object.fromEntries(
      Object.entries(s.components).filter((e): e is [string, number] => e[1] !== null),
    ),
  }));
}

/** The ledger and the broker must hold the same positions before a rebalance; any difference stops it. */
async function reconcileWithBroker(id: string, ledger: Ledger, broker: PaperBroker): Promise<void> {
  const positions = await broker.positions();
  const differences: string[] = [];
  const held = new Map([...ledger.positions].map(([k, pos]) => [splitKey(k).symbol, pos.qty]));
  for (const bp of positions) {
    const qty = held.get(bp.symbol);
    held.delete(bp.symbol);
    if (qty === undefined || Math.abs(qty - bp.qty) > 1e-9)
      differences.push(`${bp.symbol}: broker ${bp.qty}, ledger ${qty ?? 0}`);
  }
  for (const [symbol, qty] of held) differences.push(`${symbol}: broker 0, ledger ${qty}`);
  const { cash } = await broker.account();
  if (Math.abs(cash - ledger.cash) > 1e-6 * Math.max(1, Math.abs(cash)))
    differences.push(`cash: broker ${cash}, ledger ${ledger.cash}`);
  if (differences.length)
    throw new AppError(
      'conflict',
      `portfolio "${id}": the ledger and the broker disagree, not rebalancing: ${differences.join('; ')}`,
      {
        retryable: false,
        details: { differences },
      },
    );
}

/** Sends the plan's orders to the paper broker, sells before buys (the list is in that order); a refusal is recorded, not thrown. */
async function sendOrders(
  broker: PaperBroker,
  id: string,
  assetType: AssetType,
  date: string,
  trades: readonly DeltaTrade[],
): Promise<OrderRow[]> {
  const rows: OrderRow[] = [];
  for (const t of trades) {
    if (t.side === 'HOLD') continue;
    const { req, row } = tradeOrder(id, assetType, date, t);
    try {
      const o = await broker.submitOrder(req);
      rows.push({
        ...row,
        status: o.status,
        filled_qty: o.filledQty,
        avg_price: o.filledAvgPrice,
        broker_order_id: o.id,
        error: null,
      });
    } catch (err) {
      if (!(err instanceof BrokerError)) throw err;
      // Already sent by an earlier run of the same day: the broker keeps the first, nothing is sent twice.
      if (err.kind === 'duplicate_client_order_id') continue;
      rows.push({
        ...row,
        status: 'rejected',
        filled_qty: 0,
        avg_price: null,
        broker_order_id: null,
        error: `${err.kind}: ${err.message}`,
      });
    }
  }
  return rows;
}
