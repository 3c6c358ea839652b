// The live decision path: events in, decisions out. Decisions are made only for the symbols of the active
// opportunity pool plus open positions, and only their state is kept (a pool change prunes the rest, so
// memory stays flat however long the stream runs). An entry needs a technical setup on a closed minute bar
// (MACD histogram crossing above zero, or RSI leaving oversold), then the portfolio layer's risk rules
// (consensus of technicals, momentum and news sentiment; the profit cap; max positions; conviction sizing;
// shared/risk) and the optional microstructure gates; it is placed through the paper broker as a bracket
// (stop-loss and take-profit legs) that fills by the engine's fill contract at the next bar's open. Every
// decision carries its reason and the rules that made it; client order ids are derived from the event id.
// The whole state is plain JSON (`LiveBrain.state()`), so a consumer can snapshot it with its acknowledgements.

import {
  createPaperBroker,
  newPaperState,
  type PaperBroker,
  type PaperFill,
  type PaperState,
} from '../brokers/paper/index.ts';
import { BrokerError } from '../brokers/types.ts';
import type { AssetType } from '../domain/market.ts';
import type { Experience } from '../learning/experience.ts';
import { blockingRule, type LearnedRule } from '../learning/rules.ts';
import { scoreLexicon } from '../news/score/lexicon.ts';
import { type ConvictionBook, recordOutcome } from '../risk/conviction.ts';
import { DEFAULT_RISK, evaluateRisk, type RiskConfig } from '../risk/index.ts';
import { marketRegime, type Regime } from '../risk/regime.ts';
import type { RiskDecision } from '../risk/types.ts';
import type { Costs } from '../strategy/spec.ts';
import type { BarEvent, LiveEvent, QuoteEvent, TradeEvent } from './events.ts';
import {
  type AtrState,
  classifyTrade,
  type FlowState,
  flowImbalance,
  type MacdState,
  newAtr,
  newFlow,
  newMacd,
  newRsi,
  newWindow,
  pushWindow,
  type RsiState,
  stepAtr,
  stepFlow,
  stepMacd,
  stepRsi,
  type Window,
  windowAt,
  windowZscore,
} from './indicators.ts';

/** The optional microstructure inputs; each is off (null) by default. */
export interface Microstructure {
  /** Wait for mean reversion: no entry while the price is more than `maxStretch` (0.01 = 1%) above the session VWAP. */
  vwap: { maxStretch: number } | null;
  /** Stop-loss at entry price − `multiple` × ATR(14) of the minute bars instead of the fixed `stopPct`. */
  atrStop: { multiple: number } | null;
  /** z-score mean reversion: no entry while the close's 20-bar z-score is above `maxZ` (stretched, expected to revert). */
  zscore: { maxZ: number } | null;
  /** No entry while the order-flow imbalance (see FlowState) is below `min` (net selling). */
  orderFlow: { min: number } | null;
}

/** How the live brain trades. */
export interface LiveConfig {
  assetType: AssetType;
  cash: number;
  costs: Costs;
  /** Fraction of equity an entry buys before the risk layer's size multiplier. */
  positionFraction: number;
  /** Fixed stop-loss and take-profit distances from the entry price. */
  stopPct: number;
  targetPct: number;
  /** Bars of the momentum (rate of change) input. */
  momentumBars: number;
  /** News sentiment decays with this half-life (event time). */
  newsHalfLifeMs: number;
  risk: RiskConfig;
  regime: Regime;
  micro: Microstructure;
  /** Learned filter rules (shared/learning); the active ones of a setup block its matching buys. */
  rules: readonly LearnedRule[];
}

/** No microstructure input. */
export const NO_MICROSTRUCTURE: Microstructure = { vwap: null, atrStop: null, zscore: null, orderFlow: null };

/** Defaults: 100,000 paper cash, 4% of equity per entry (20 positions stay within the cash), 1% stop, 2% target, 10-bar momentum, 2 h news half-life. */
export const DEFAULT_LIVE: LiveConfig = {
  assetType: 'equity',
  cash: 100_000,
  costs: { fee_rate: 0, fee_fixed: 0, slippage_rate: 0.0005 },
  positionFraction: 0.04,
  stopPct: 0.01,
  targetPct: 0.02,
  momentumBars: 10,
  newsHalfLifeMs: 2 * 3_600_000,
  risk: DEFAULT_RISK,
  regime: marketRegime({ symbol: 'SPY', close: null, sma200: null }),
  micro: NO_MICROSTRUCTURE,
  rules: [],
};

const Z_WINDOW = 20;

/** What the brain knows of one symbol. */
interface SymbolState {
  rsi: RsiState;
  macd: MacdState;
  atr: AtrState;
  closes: Window;
  prevHist: number | null;
  prevRsi: number | null;
  flow: FlowState;
  bid: number | null;
  ask: number | null;
  last: number | null;
  lastTs: number;
  vwapDay: number;
  vwapPv: number;
  vwapVolume: number;
  /** Decayed sum of news sentiment and of its weights, as of `newsTs`. */
  newsSum: number;
  newsWeight: number;
  newsTs: number;
  burst: boolean;
}

/** The inputs a decision saw: its market snapshot (recorded with every entry and exit). */
export interface Snapshot {
  price: number;
  rsi: number | null;
  macdHist: number | null;
  momentum: number | null;
  sentiment: number | null;
  vwapDistance: number | null;
  zscore: number | null;
  orderFlow: number | null;
  atr: number | null;
  volatilityBurst: boolean;
  riskOff: boolean;
}

/** One decision: an entry placed or refused, or an exit placed or filled, with the rules that made it. */
export interface LiveDecision {
  /** `<event id>/<n>`: the n-th decision of that event, so replaying the event gives the same ids. */
  id: string;
  eventId: string;
  ts: number;
  symbol: string;
  action: 'buy' | 'skip' | 'sell' | 'exit_filled' | 'entry_filled';
  setup: string;
  qty: number;
  price: number;
  clientOrderId: string | null;
  reason: string;
  rules: RiskDecision[];
  snapshot: Snapshot;
}

/** An entry or exit with its snapshot, for the experience buffer. */
export interface LiveExperience {
  kind: 'entry' | 'exit';
  /** The entry order's client order id: an entry and its exit share it. */
  tradeKey: string;
  symbol: string;
  setup: string;
  ts: number;
  clientOrderId: string;
  price: number;
  qty: number;
  /** For exits: how it ended (shared/risk/conviction's outcome) and the return net of costs. */
  outcome: 'win' | 'loss' | 'stop' | null;
  returnPct: number | null;
  snapshot: Snapshot;
}

interface Position {
  setup: string;
  clientOrderId: string;
  entryPrice: number;
  stop: number;
  target: number;
  snapshot: Snapshot;
  /** True once the signal exit (a market sell) was placed. */
  exiting: boolean;
}

interface PendingEntry {
  clientOrderId: string;
  setup: string;
  stop: number;
  target: number;
  snapshot: Snapshot;
}

/** Everything the brain carries: plain JSON. */
export interface LiveState {
  pool: string[];
  symbols: Record<string, SymbolState>;
  positions: Record<string, Position>;
  pending: Record<string, PendingEntry>;
  broker: PaperState;
  conviction: ConvictionBook;
  day: string | null;
  dayStartEquity: number;
  /** The paper broker's bar clock (bars are applied in order; see applyBar). */
  barTs: number;
  barSeq: number;
  counts: { events: number; ignored: number; decisions: number; fills: number; pruned: number };
}

/** What one event produced. */
export interface LiveOutput {
  decisions: LiveDecision[];
  experiences: LiveExperience[];
}

// Finished orders kept in the paper state for lookups; older ones are dropped so it does not grow.
const KEPT_FINISHED_ORDERS = 50;

const newSymbol = (): SymbolState => ({
  rsi: newRsi(14),
  macd: newMacd(12, 26, 9),
  atr: newAtr(14),
  closes: newWindow(Z_WINDOW + 1),
  prevHist: null,
  prevRsi: null,
  flow: newFlow(50),
  bid: null,
  ask: null,
  last: null,
  lastTs: 0,
  vwapDay: -1,
  vwapPv: 0,
  vwapVolume: 0,
  newsSum: 0,
  newsWeight: 0,
  newsTs: 0,
  burst: false,
});

/** A fresh state with the configured paper cash and an empty pool. */
export function newLiveState(config: LiveConfig): LiveState {
  return {
    pool: [],
    symbols: {},
    positions: {},
    pending: {},
    broker: newPaperState(config.cash),
    conviction: {},
    day: null,
    dayStartEquity: config.cash,
    barTs: 0,
    barSeq: 0,
    counts: { events: 0, ignored: 0, decisions: 0, fills: 0, pruned: 0 },
  };
}

const round = (v: number) => Math.round(v * 1e8) / 1e8;

/** The decision path over a state (a fresh one, or one restored from a snapshot). */
export class LiveBrain {
  private s: LiveState;
  private broker: PaperBroker;
  private pool: Set<string>;

  constructor(
    private readonly config: LiveConfig = DEFAULT_LIVE,
    state: LiveState = newLiveState(config),
  ) {
    this.s = state;
    this.pool = new Set(state.pool);
    this.broker = this.openBroker(state.broker);
  }

  /** The state to snapshot (the paper broker's included). */
  state(): LiveState {
    this.s.broker = this.broker.state();
    return this.s;
  }

  /** The symbols decisions are made for: the pool plus open positions and entries in flight. */
  tracked(): string[] {
    return Object.keys(this.s.symbols).sort();
  }

  /** The decisions and experiences of one event. Events of untracked symbols only count. */
  async handle(e: LiveEvent): Promise<LiveOutput> {
    const out: LiveOutput = { decisions: [], experiences: [] };
    this.s.counts.events++;
    if (e.kind === 'pool') {
      this.setPool(e.symbols);
      return out;
    }
    const st = this.s.symbols[e.symbol];
    if (st === undefined) {
      this.s.counts.ignored++;
      return out;
    }
    switch (e.kind) {
      case 'quote':
        this.onQuote(st, e);
        break;
      case 'trade':
        this.onTrade(st, e);
        break;
      case 'news': {
        const score = e.sentiment ?? scoreLexicon(e.headline).score;
        this.decayNews(st, e.ts);
        st.newsSum += score;
        st.newsWeight += 1;
        break;
      }
      case 'volatility':
        st.burst = e.state === 'burst';
        break;
      case 'bar':
        await this.onBar(st, e, out);
        break;
    }
    this.s.counts.decisions += out.decisions.length;
    return out;
  }

  /** Replaces the pool; the state of symbols neither in it nor held (nor being entered) is dropped. */
  private setPool(symbols: readonly string[]): void {
    this.pool = new Set(symbols);
    this.s.pool = [...this.pool].sort();
    for (const sym of this.pool) this.s.symbols[sym] ??= newSymbol();
    for (const sym of Object.keys(this.s.symbols))
      if (!this.pool.has(sym) && !this.s.positions[sym] && !this.s.pending[sym]) {
        delete this.s.symbols[sym];
        this.s.counts.pruned++;
      }
  }

  private onQuote(st: SymbolState, q: QuoteEvent): void {
    st.bid = q.bid;
    st.ask = q.ask;
  }

  private onTrade(st: SymbolState, t: TradeEvent): void {
    const side =
      t.side === 'buy'
        ? 1
        : t.side === 'sell'
          ? -1
          : classifyTrade(t.price, st.bid, st.ask, st.flow.lastPrice, st.flow.lastSide);
    stepFlow(st.flow, t.price, t.size, side);
    // The session VWAP restarts each UTC day.
    const day = Math.floor(t.ts / 86_400_000);
    if (day !== st.vwapDay) {
      st.vwapDay = day;
      st.vwapPv = 0;
      st.vwapVolume = 0;
    }
    st.vwapPv += t.price * t.size;
    st.vwapVolume += t.size;
    st.last = t.price;
    st.lastTs = t.ts;
  }

  private decayNews(st: SymbolState, ts: number): void {
    if (st.newsWeight > 0 && ts > st.newsTs) {
      const keep = 0.5 ** ((ts - st.newsTs) / this.config.newsHalfLifeMs);
      st.newsSum *= keep;
      st.newsWeight *= keep;
    }
    if (ts > st.newsTs) st.newsTs = ts;
  }

  private snapshot(st: SymbolState, price: number, ts: number): Snapshot {
    this.decayNews(st, ts);
    const back = windowAt(st.closes, this.config.momentumBars);
    const vwap = st.vwapVolume > 0 ? st.vwapPv / st.vwapVolume : null;
    // Sentiment counts while the decayed weight is at least a quarter of one fresh item.
    const sentiment = st.newsWeight >= 0.25 ? st.newsSum / st.newsWeight : null;
    return {
      price,
      rsi: st.rsi.value,
      macdHist: st.macd.hist,
      momentum: back === null ? null : round(price / back - 1),
      sentiment: sentiment === null ? null : round(sentiment),
      vwapDistance: vwap === null ? null : round(price / vwap - 1),
      zscore: this.zscore(st),
      orderFlow: flowImbalance(st.flow),
      atr: st.atr.value,
      volatilityBurst: st.burst,
      riskOff: this.config.regime.riskOff,
    };
  }

  private zscore(st: SymbolState): number | null {
    // The window holds Z_WINDOW + 1 closes (momentum needs one more); the z-score uses the last Z_WINDOW.
    if (st.closes.values.length <= Z_WINDOW) return null;
    const w = newWindow(Z_WINDOW);
    for (let back = Z_WINDOW - 1; back >= 0; back--) pushWindow(w, windowAt(st.closes, back) as number);
    const z = windowZscore(w);
    return z === null ? null : round(z);
  }

  private async onBar(st: SymbolState, b: BarEvent, out: LiveOutput): Promise<void> {
    this.rollDay(b.ts);
    // The bar first fills what was working (orders placed before it), then its close feeds the indicators.
    for (const fill of this.applyBar(b)) this.onFill(b, fill, out);
    const hist = stepMacd(st.macd, b.close);
    const rsi = stepRsi(st.rsi, b.close);
    stepAtr(st.atr, b.high, b.low, b.close);
    pushWindow(st.closes, b.close);
    // The bar's close is the latest price, as a trade at the close would be.
    if (b.ts >= st.lastTs) {
      st.last = b.close;
      st.lastTs = b.ts;
    }
    const prevHist = st.prevHist;
    const prevRsi = st.prevRsi;
    st.prevHist = hist;
    st.prevRsi = rsi;
    if (b.interval !== '1m') return;
    const sym = b.symbol;
    const pos = this.s.positions[sym];
    if (pos) {
      if (!pos.exiting && hist !== null && prevHist !== null && prevHist >= 0 && hist < 0) {
        const snap = this.snapshot(st, b.close, b.ts);
        if (snap.momentum !== null && snap.momentum < 0) await this.exit(b, pos, snap, out);
      }
      return;
    }
    if (this.s.pending[sym] || !this.pool.has(sym)) return;
    let setup: string | null = null;
    if (hist !== null && prevHist !== null && prevHist <= 0 && hist > 0) setup = 'macd_cross_up';
    else if (rsi !== null && prevRsi !== null && prevRsi < 30 && rsi >= 30) setup = 'rsi_oversold_exit';
    if (setup === null) return;
    await this.enter(b, setup, this.snapshot(st, b.close, b.ts), out);
  }

  private rollDay(ts: number): void {
    const day = new Date(ts).toISOString().slice(0, 10);
    if (day !== this.s.day) {
      this.s.day = day;
      this.s.dayStartEquity = this.equity();
    }
  }

  private equity(): number {
    const st = this.broker.state();
    let value = st.cash;
    for (const p of Object.values(st.positions)) value += p.qty * p.lastPrice;
    return value;
  }

  /** Applies one bar to the paper broker; bars go in arrival order under a strictly increasing key. */
  private applyBar(b: BarEvent): PaperFill[] {
    // The paper broker wants its bar dates to move forward; a bar of another symbol at the same (or an
    // earlier) time gets the last time with a higher sequence number, so each bar is applied as it arrives.
    if (b.ts > this.s.barTs) {
      this.s.barTs = b.ts;
      this.s.barSeq = 0;
    } else this.s.barSeq++;
    const key = `${new Date(this.s.barTs).toISOString()}#${String(this.s.barSeq).padStart(9, '0')}`;
    return this.broker.applyBars(key, new Map([[b.symbol, b]]));
  }

  private onFill(b: BarEvent, fill: PaperFill, out: LiveOutput): void {
    this.s.counts.fills++;
    const sym = fill.symbol;
    const st = this.s.symbols[sym] ?? newSymbol();
    const snap = this.snapshot(st, fill.price, b.ts);
    if (fill.side === 'buy') {
      const p = this.s.pending[sym];
      if (!p) return;
      delete this.s.pending[sym];
      this.s.positions[sym] = {
        setup: p.setup,
        clientOrderId: p.clientOrderId,
        entryPrice: fill.price,
        stop: p.stop,
        target: p.target,
        snapshot: p.snapshot,
        exiting: false,
      };
      this.push(
        out,
        b,
        sym,
        'entry_filled',
        p.setup,
        fill.qty,
        fill.price,
        fill.clientOrderId,
        `bought at the bar's ${fill.rule} ${fill.price}`,
        [],
        snap,
      );
      out.experiences.push({
        kind: 'entry',
        tradeKey: p.clientOrderId,
        symbol: sym,
        setup: p.setup,
        ts: b.ts,
        clientOrderId: fill.clientOrderId,
        price: fill.price,
        qty: fill.qty,
        outcome: null,
        returnPct: null,
        snapshot: p.snapshot,
      });
      return;
    }
    const pos = this.s.positions[sym];
    if (!pos) return;
    const ret = fill.price / pos.entryPrice - 1;
    const outcome = fill.clientOrderId.endsWith('-sl') ? 'stop' : ret > 0 ? 'win' : 'loss';
    this.s.conviction = recordOutcome(this.s.conviction, pos.setup, outcome, this.config.risk.conviction);
    const how = fill.clientOrderId.endsWith('-sl')
      ? `stop-loss ${round(pos.stop)}`
      : fill.clientOrderId.endsWith('-tp')
        ? `take-profit ${round(pos.target)}`
        : 'signal exit';
    this.push(
      out,
      b,
      sym,
      'exit_filled',
      pos.setup,
      fill.qty,
      fill.price,
      fill.clientOrderId,
      `${how} filled at ${fill.price} (${fill.rule}), ${(ret * 100).toFixed(3)}% from ${pos.entryPrice}: ${outcome}`,
      [],
      snap,
    );
    out.experiences.push({
      kind: 'exit',
      tradeKey: pos.clientOrderId,
      symbol: sym,
      setup: pos.setup,
      ts: b.ts,
      clientOrderId: fill.clientOrderId,
      price: fill.price,
      qty: fill.qty,
      outcome,
      returnPct: round(ret),
      snapshot: snap,
    });
    delete this.s.positions[sym];
    if (!this.pool.has(sym)) delete this.s.symbols[sym];
  }

  private push(
    out: LiveOutput,
    e: { id: string; ts: number },
    symbol: string,
    action: LiveDecision['action'],
    setup: string,
    qty: number,
    price: number,
    clientOrderId: string | null,
    reason: string,
    rules: RiskDecision[],
    snapshot: Snapshot,
  ): void {
    out.decisions.push({
      id: `${e.id}/${out.decisions.length}`,
      eventId: e.id,
      ts: e.ts,
      symbol,
      action,
      setup,
      qty,
      price,
      clientOrderId,
      reason,
      rules,
      snapshot,
    });
  }

  /** The microstructure gates that are on, each as a risk decision. */
  private microRules(snap: Snapshot): RiskDecision[] {
    const m = this.config.micro;
    const rules: RiskDecision[] = [
      {
        rule: 'volatility_burst',
        allow: !snap.volatilityBurst,
        sizeMultiplier: 1,
        reason: snap.volatilityBurst
          ? 'volatility burst alert: no new entries until calm'
          : 'no volatility burst',
      },
    ];
    if (m.vwap) {
      const d = snap.vwapDistance;
      const allow = d === null || d <= m.vwap.maxStretch;
      rules.push({
        rule: 'vwap_distance',
        allow,
        sizeMultiplier: 1,
        reason:
          d === null
            ? 'no VWAP yet'
            : `${(d * 100).toFixed(3)}% from VWAP, ${allow ? 'within' : 'stretched beyond'} ${(m.vwap.maxStretch * 100).toFixed(3)}%${allow ? '' : ': waiting for mean reversion'}`,
      });
    }
    if (m.zscore) {
      const z = snap.zscore;
      const allow = z === null || z <= m.zscore.maxZ;
      rules.push({
        rule: 'zscore_reversion',
        allow,
        sizeMultiplier: 1,
        reason:
          z === null
            ? 'no 20-bar z-score yet'
            : `z-score ${z.toFixed(2)} ${allow ? 'at or below' : 'above'} ${m.zscore.maxZ}`,
      });
    }
    if (m.orderFlow) {
      const f = snap.orderFlow;
      const allow = f !== null && f >= m.orderFlow.min;
      rules.push({
        rule: 'order_flow',
        allow,
        sizeMultiplier: 1,
        reason:
          f === null
            ? 'no classified trades yet'
            : `order-flow imbalance ${f.toFixed(3)} ${allow ? 'at or above' : 'below'} ${m.orderFlow.min}`,
      });
    }
    return rules;
  }

  private async enter(b: BarEvent, setup: string, snap: Snapshot, out: LiveOutput): Promise<void> {
    const sym = b.symbol;
    const clientOrderId = `live-${b.id}`;
    // Consensus sources in [-1, 1]: the technical setup votes +1; momentum and sentiment by their sign.
    const momentum = snap.momentum === null ? null : Math.tanh(snap.momentum * 100);
    const components = { signals: 1, review: null, sentiment: snap.sentiment, momentum };
    const voting = [1, momentum, snap.sentiment].filter((v): v is number => v !== null);
    const score = round(voting.reduce((a, v) => a + v, 0) / voting.length);
    const held = [...Object.keys(this.s.positions), ...Object.keys(this.s.pending)];
    const risk = evaluateRisk(
      [{ asset: sym, score, components, setup }],
      {
        day: { startEquity: this.s.dayStartEquity, equity: this.equity() },
        held,
        regime: this.config.regime,
        locks: [],
        conviction: this.s.conviction,
      },
      this.config.risk,
    );
    const verdict = risk.entries[0]!;
    const rules = [...verdict.decisions, ...this.microRules(snap)];
    const learned = blockingRule(this.config.rules, setup, learningSnapshot(snap));
    if (learned)
      rules.push({ rule: 'learned_rule', allow: false, sizeMultiplier: 1, reason: learned.reason });
    const refused = rules.find((r) => !r.allow);
    if (refused) {
      this.push(out, b, sym, 'skip', setup, 0, b.close, null, `${setup}: ${refused.reason}`, rules, snap);
      return;
    }
    const equity = this.equity();
    const raw = (equity * this.config.positionFraction * verdict.sizeMultiplier) / b.close;
    const qty = this.config.assetType === 'equity' ? Math.floor(raw) : Math.floor(raw * 1e6) / 1e6;
    const atr = this.config.micro.atrStop && snap.atr !== null ? snap.atr : null;
    const stop = round(
      atr !== null
        ? b.close - this.config.micro.atrStop!.multiple * atr
        : b.close * (1 - this.config.stopPct),
    );
    const target = round(b.close * (1 + this.config.targetPct));
    const stopWhy =
      atr !== null
        ? `stop ${stop} (${this.config.micro.atrStop!.multiple} x ATR ${round(atr)})`
        : `stop ${stop} (-${this.config.stopPct * 100}%)`;
    if (qty <= 0) {
      this.push(
        out,
        b,
        sym,
        'skip',
        setup,
        0,
        b.close,
        null,
        `${setup}: the position size rounds to 0 units`,
        rules,
        snap,
      );
      return;
    }
    try {
      await this.broker.submitOrder({
        clientOrderId,
        symbol: sym,
        side: 'buy',
        type: 'market',
        qty,
        timeInForce: 'gtc',
        bracket: { stopLoss: stop, takeProfit: target },
      });
    } catch (err) {
      if (!(err instanceof BrokerError) || err.kind === 'duplicate_client_order_id') throw err;
      this.push(
        out,
        b,
        sym,
        'skip',
        setup,
        qty,
        b.close,
        clientOrderId,
        `${setup}: the broker refused (${err.kind}): ${err.message}`,
        rules,
        snap,
      );
      return;
    }
    this.s.pending[sym] = { clientOrderId, setup, stop, target, snapshot: snap };
    this.push(
      out,
      b,
      sym,
      'buy',
      setup,
      qty,
      b.close,
      clientOrderId,
      `${setup} score ${score}, ${verdict.reason}; ${stopWhy}, target ${target} (+${this.config.targetPct * 100}%)`,
      rules,
      snap,
    );
    this.pruneOrders();
  }

  private async exit(b: BarEvent, pos: Position, snap: Snapshot, out: LiveOutput): Promise<void> {
    const sym = b.symbol;
    // The bracket's legs go first, so the signal exit sells the units they held.
    for (const leg of ['-tp', '-sl']) await this.broker.cancelOrder(`${pos.clientOrderId}${leg}`);
    const qty = this.broker.state().positions[sym]?.qty ?? 0;
    if (qty <= 0) return;
    const clientOrderId = `live-${b.id}`;
    await this.broker.submitOrder({
      clientOrderId,
      symbol: sym,
      side: 'sell',
      type: 'market',
      qty,
      timeInForce: 'gtc',
    });
    pos.exiting = true;
    const rule: RiskDecision = {
      rule: 'signal_exit',
      allow: true,
      sizeMultiplier: 1,
      reason: `MACD histogram crossed below zero (${round(snap.macdHist ?? 0)}) with momentum ${snap.momentum}`,
    };
    this.push(out, b, sym, 'sell', pos.setup, qty, b.close, clientOrderId, rule.reason, [rule], snap);
  }

  private openBroker(state: PaperState): PaperBroker {
    return createPaperBroker(
      {
        costs: this.config.costs,
        assetType: this.config.assetType,
        wholeUnits: this.config.assetType === 'equity',
        price: (sym) => {
          const st = this.s.symbols[sym];
          return st ? (st.last ?? windowAt(st.closes, 0) ?? undefined) : undefined;
        },
        now: () => new Date(this.s.barTs),
      },
      state,
    );
  }

  /** Drops finished orders beyond the newest KEPT_FINISHED_ORDERS, so the paper state stays bounded. */
  private pruneOrders(): void {
    const st = this.broker.state();
    const finished = st.orders.filter(
      (o) =>
        o.status === 'filled' || o.status === 'canceled' || o.status === 'expired' || o.status === 'rejected',
    );
    if (finished.length <= 2 * KEPT_FINISHED_ORDERS) return;
    const drop = new Set(
      finished.slice(0, finished.length - KEPT_FINISHED_ORDERS).map((o) => o.clientOrderId),
    );
    this.broker = this.openBroker({ ...st, orders: st.orders.filter((o) => !drop.has(o.clientOrderId)) });
  }
}

/** A snapshot as the learning buffer keeps it: numbers by name (flags 0/1), missing inputs null. */
export function learningSnapshot(s: Snapshot): Record<string, number | null> {
  return {
    price: s.price,
    rsi_14: s.rsi,
    macd_hist: s.macdHist,
    momentum: s.momentum,
    sentiment: s.sentiment,
    vwap_distance: s.vwapDistance,
    zscore_20: s.zscore,
    order_flow: s.orderFlow,
    atr_14: s.atr,
    volatility_burst: s.volatilityBurst ? 1 : 0,
    risk_off: s.riskOff ? 1 : 0,
  };
}

/** A live entry or exit as an event of the experience buffer (shared/learning, source `live`). */
export function toExperience(x: LiveExperience, assetType: AssetType): Experience {
  const base = {
    tradeKey: x.tradeKey,
    kind: x.kind,
    source: 'live' as const,
    setup: x.setup,
    symbol: x.symbol,
    assetType,
    side: 'long' as const,
    at: new Date(x.ts).toISOString(),
    price: x.price,
    snapshot: learningSnapshot(x.snapshot),
  };
  if (x.kind === 'entry') return base;
  const exitReason = x.clientOrderId.endsWith('-sl')
    ? 'stop'
    : x.clientOrderId.endsWith('-tp')
      ? 'target'
      : 'signal';
  return { ...base, pnl: x.returnPct ?? 0, outcome: x.outcome ?? 'loss', exitReason };
}
