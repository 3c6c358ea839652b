import type { StrategySpec, Target } from '../strategy/spec.ts';
import {
  capEntry,
  type Dir,
  type Limit,
  orderFee,
  roundUnits,
  slipped,
  stopPrice,
  targetPrice,
} from './fills.ts';
import type { Panel } from './panel.ts';

/** A position's side. */
export type Side = 'long' | 'short';

/** One executed order, with the rule that made it (`entry:signal rsi_oversold`, `exit:stop_gap_open`, ...). */
export interface Fill {
  day: number;
  asset: number;
  side: 'buy' | 'sell';
  qty: number;
  price: number;
  fee: number;
  rule: string;
  /**
   * Why an entry got less than it asked for (`cash`, `leverage`, `volume`), which target filled, an exit
   * cut by the volume cap (`volume`, the rest carried to the next open), or a cover that left cash below
   * zero (`deficit`).
   */
  note?: string;
}

/** An order that did not execute, with the rule that asked for it and why it was refused. */
export interface Refusal {
  day: number;
  asset: number;
  rule: string;
  reason: 'no_bar' | 'no_atr' | 'no_bracket' | 'already_open' | 'max_positions' | 'zero_size' | Limit;
}

/** A position from its entry to its last exit. */
export interface Trade {
  asset: number;
  side: Side;
  entryDay: number;
  exitDay: number;
  qty: number;
  entryPrice: number;
  /** Quantity-weighted mean fill price of the exits. */
  exitPrice: number;
  /** Net of every fee on both sides. */
  pnl: number;
  /** pnl over the entry's value (quantity × entry price). */
  returnPct: number;
  /** Bars from the entry bar to the exit bar, both counted. */
  bars: number;
  entryRule: string;
  exitRule: string;
}

/** Open a position at the next open; `atr` is `atr_14` on the decision day (read by ATR stops and sizing). */
export interface EntryDecision {
  asset: number;
  side: Side;
  rule: string;
  atr?: number;
}

/** Close a whole position at the next open. */
export interface ExitDecision {
  asset: number;
  rule: string;
}

/** What a strategy decided at a day's close, executed at the next day's open: exits first, then entries in order. */
export interface Decisions {
  exits: readonly ExitDecision[];
  entries: readonly EntryDecision[];
}

/** No decisions: what the first day executes. */
export const NO_DECISIONS: Decisions = { exits: [], entries: [] };

/**
 * Everything the simulator carries from one day to the next: cash, the positions (one typed array per
 * field, indexed by panel asset, NaN or 0 where flat) and what happened so far. Plain data, so paper
 * trading can store it between days and call `step` again.
 */
export interface EngineState {
  spec: StrategySpec;
  /** 1 where the asset trades in whole units. */
  whole: Uint8Array;
  /** The last day stepped (-1 before the first). */
  day: number;
  cash: number;
  /** Cash plus positions marked at the last known close, after the last day stepped. */
  equity: number;
  /** Sum of |quantity| × last close, after the last day stepped. */
  gross: number;
  /** Signed quantity: above 0 long, below 0 short. */
  qty: Float64Array;
  /** Number of open positions. */
  open: number;
  entryQty: Float64Array;
  entryPrice: Float64Array;
  entryDay: Int32Array;
  /** Stop level; NaN for none. */
  stop: Float64Array;
  /** Target distance from a bracket row as a fraction of the entry price; NaN when the spec's targets apply. */
  bracketTarget: Float64Array;
  /** ATR trailing distance in price; NaN for a percentage trail or none. */
  trailDistance: Float64Array;
  /** Best price since entry: the highest high of a long, the lowest low of a short. */
  extreme: Float64Array;
  targetsDone: Int32Array;
  /** The position's cash flow so far (entry and exits, fees included): its P&L once it is closed. */
  flow: Float64Array;
  exitValue: Float64Array;
  /** The last close seen while the asset had a position: marks it on days without a bar. */
  lastClose: Float64Array;
  entryRule: string[];
  /**
   * The rule of an exit order still working: decided on a day without a bar, cut by the volume cap, or a
   * margin call. It fills at the asset's next open before anything else.
   */
  pendingExit: (string | undefined)[];
  /** Units the working exit still has to fill; NaN for the whole position. */
  pendingQty: Float64Array;
  fills: Fill[];
  refusals: Refusal[];
  trades: Trade[];
  /** Sum of the value of every fill, for turnover. */
  traded: number;
}

/** A fresh state: all cash, no positions. Whole units for equities (and `units: whole`), fractional for crypto. */
export function createState(spec: StrategySpec, panel: Pick<Panel, 'assets'>, cash: number): EngineState {
  if (!(cash > 0) || !Number.isFinite(cash))
    throw new RangeError(`starting cash must be a positive number, got ${cash}`);
  const n = panel.assets.length;
  const nan = () => new Float64Array(n).fill(NaN);
  return {
    spec,
    whole: Uint8Array.from(panel.assets, (a) =>
      spec.units === 'whole' || (spec.units === 'auto' && a.assetType === 'equity') ? 1 : 0,
    ),
    day: -1,
    cash,
    equity: cash,
    gross: 0,
    qty: new Float64Array(n),
    open: 0,
    entryQty: new Float64Array(n),
    entryPrice: nan(),
    entryDay: new Int32Array(n).fill(-1),
    stop: nan(),
    bracketTarget: nan(),
    trailDistance: nan(),
    extreme: nan(),
    targetsDone: new Int32Array(n),
    flow: new Float64Array(n),
    exitValue: new Float64Array(n),
    lastClose: nan(),
    entryRule: new Array<string>(n).fill(''),
    pendingExit: new Array<string | undefined>(n).fill(undefined),
    pendingQty: nan(),
    fills: [],
    refusals: [],
    trades: [],
    traded: 0,
  };
}

const dirOf = (s: EngineState, a: number): Dir => (s.qty[a]! > 0 ? 1 : -1);

/** Sells (covers) `qty` of asset `a`'s position at `rawPrice` before slippage; records the trade once flat. */
function exitQty(
  s: EngineState,
  a: number,
  qty: number,
  rawPrice: number,
  day: number,
  rule: string,
  note?: string,
) {
  const dir = dirOf(s, a);
  const price = slipped(rawPrice, dir === -1, s.spec.costs.slippage_rate);
  const fee = orderFee(qty, price, s.spec.costs);
  const value = qty * price;
  s.cash += dir === 1 ? value - fee : -value - fee;
  s.flow[a] = s.flow[a]! + (dir === 1 ? value - fee : -value - fee);
  s.exitValue[a] = s.exitValue[a]! + value;
  s.traded += value;
  s.qty[a] = s.qty[a]! - dir * qty;
  const fill: Fill = { day, asset: a, side: dir === 1 ? 'sell' : 'buy', qty, price, fee, rule };
  // Without leverage only a short covered through a gap past the whole equity can take cash below zero.
  const deficit = dir === -1 && s.spec.leverage === 1 && s.cash < -1e-9;
  if (note || deficit) fill.note = deficit ? (note ? `${note}, deficit` : 'deficit') : note;
  s.fills.push(fill);
  if (Math.abs(s.qty[a]!) > 1e-12) return;
  const entryQty = s.entryQty[a]!;
  s.trades.push({
    asset: a,
    side: dir === 1 ? 'long' : 'short',
    entryDay: s.entryDay[a]!,
    exitDay: day,
    qty: entryQty,
    entryPrice: s.entryPrice[a]!,
    exitPrice: s.exitValue[a]! / entryQty,
    pnl: s.flow[a]!,
    returnPct: s.flow[a]! / (entryQty * s.entryPrice[a]!),
    bars: day - s.entryDay[a]! + 1,
    entryRule: s.entryRule[a]!,
    exitRule: rule,
  });
  s.qty[a] = 0;
  s.open--;
  s.entryQty[a] = 0;
  s.entryPrice[a] = NaN;
  s.entryDay[a] = -1;
  s.stop[a] = NaN;
  s.bracketTarget[a] = NaN;
  s.trailDistance[a] = NaN;
  s.extreme[a] = NaN;
  s.targetsDone[a] = 0;
  s.flow[a] = 0;
  s.exitValue[a] = 0;
  s.entryRule[a] = '';
  s.pendingExit[a] = undefined;
  s.pendingQty[a] = NaN;
}

/** The maintenance margin of shorts when the spec sets none: FINRA rule 4210's 30% of their market value. */
const SHORT_MAINTENANCE = 0.3;

/**
 * Units of each asset that exits may still take in today's bar under `costs.max_volume_share`; null
 * without the cap. Exits of one asset share its bar's room, as they would one order book.
 */
type Rooms = Map<number, number> | null;

/** Leaves `qty` (NaN: the whole position) of asset `a` working for the next open, merged with an order already working. */
function carry(s: EngineState, a: number, qty: number, rule: string) {
  const working = s.pendingExit[a] !== undefined;
  if (working && Number.isNaN(s.pendingQty[a]!)) return;
  if (working && !Number.isNaN(qty)) {
    s.pendingQty[a] = s.pendingQty[a]! + qty;
    return;
  }
  s.pendingExit[a] = rule;
  s.pendingQty[a] = qty;
}

/**
 * An exit order of `qty` units (NaN: the whole position) at `rawPrice`: it fills what the bar's volume
 * room allows (all of it without the cap) and carries the rest to the next open. True when it all filled.
 */
function exitOrder(
  s: EngineState,
  panel: Panel,
  a: number,
  qty: number,
  rawPrice: number,
  day: number,
  rule: string,
  rooms: Rooms,
  note?: string,
): boolean {
  const held = Math.abs(s.qty[a]!);
  const want = Number.isNaN(qty) ? held : Math.min(qty, held);
  let take = want;
  if (rooms) {
    let room = rooms.get(a);
    if (room === undefined) {
      const volume = panel.volume[a * panel.nDays + day]! || 0;
      room = roundUnits(s.spec.costs.max_volume_share! * volume, s.whole[a] === 1);
    }
    take = Math.min(want, room);
    rooms.set(a, room - take);
  }
  if (take > 0)
    exitQty(s, a, take, rawPrice, day, rule, take < want ? (note ? `${note}, volume` : 'volume') : note);
  if (take >= want) return true;
  carry(s, a, Number.isNaN(qty) ? NaN : want - take, rule);
  return false;
}

/** The price a position is worth at now: today's open when there is one, else the last close. */
function markAtOpen(s: EngineState, panel: Panel, a: number, day: number): number {
  const open = panel.open[a * panel.nDays + day]!;
  return Number.isNaN(open) ? s.lastClose[a]! : open;
}

/** Opens a position at today's open if the caps allow it, else records why not. */
function enter(
  s: EngineState,
  panel: Panel,
  day: number,
  e: EntryDecision,
  equity: number,
  equityNow: number,
  gross: number,
): number {
  const { spec } = s;
  const { exit, costs } = spec;
  const a = e.asset;
  const i = a * panel.nDays + day;
  const refuse = (reason: Refusal['reason']) => {
    s.refusals.push({ day, asset: a, rule: e.rule, reason });
    return 0;
  };
  if (s.qty[a] !== 0) return refuse('already_open');
  if (s.open >= spec.entry.max_positions) return refuse('max_positions');
  const open = panel.open[i]!;
  if (Number.isNaN(open)) return refuse('no_bar');
  const dir: Dir = e.side === 'long' ? 1 : -1;
  const price = slipped(open, dir === 1, costs.slippage_rate);
  const atr = e.atr ?? NaN;
  const needsAtr = exit.stop?.atr !== undefined || exit.trailing?.atr !== undefined;
  if (needsAtr && !(atr > 0)) return refuse('no_atr');
  const bracket = exit.brackets?.find((b) => b.min_price <= price && price < b.max_price);
  // A bracket table says how to trade each price range; a price outside every row has no exit rule.
  if (exit.brackets && !bracket) return refuse('no_bracket');
  const stopPct = bracket?.stop_pct ?? exit.stop?.pct;
  const stopDistance =
    stopPct !== undefined ? price * stopPct : exit.stop?.atr !== undefined ? exit.stop.atr * atr : NaN;

  const whole = s.whole[a] === 1;
  const sizing = spec.sizing;
  const cashFloor = -(spec.leverage - 1) * equityNow;
  const grossRoom = spec.leverage * equityNow - gross;
  let value: number;
  if (sizing.mode === 'fixed_fraction') value = sizing.fraction * equity;
  else if (sizing.mode === 'equal') value = equity / spec.entry.max_positions;
  else if (sizing.mode === 'risk') value = ((sizing.risk_pct * equity) / stopDistance) * price;
  else value = dir === 1 ? s.cash - cashFloor : grossRoom;
  const volumeRoom =
    costs.max_volume_share === undefined
      ? Number.POSITIVE_INFINITY
      : roundUnits(costs.max_volume_share * (panel.volume[i]! || 0), whole);
  const capped = capEntry(dir, value / price, price, costs, s.cash, cashFloor, grossRoom, volumeRoom, whole);
  if (!(capped.qty > 0)) return refuse(capped.limit ?? (sizing.mode === 'all_cash' ? 'cash' : 'zero_size'));
  const qty = capped.qty;
  const fee = orderFee(qty, price, costs);
  s.cash += dir === 1 ? -qty * price - fee : qty * price - fee;
  s.traded += qty * price;
  s.qty[a] = dir * qty;
  s.open++;
  s.entryQty[a] = qty;
  s.entryPrice[a] = price;
  s.entryDay[a] = day;
  s.stop[a] = Number.isNaN(stopDistance) ? NaN : price - dir * stopDistance;
  s.bracketTarget[a] = bracket ? bracket.target_pct : NaN;
  s.trailDistance[a] = exit.trailing?.atr !== undefined ? exit.trailing.atr * atr : NaN;
  s.extreme[a] = price;
  s.targetsDone[a] = 0;
  s.flow[a] = dir === 1 ? -qty * price - fee : qty * price - fee;
  s.exitValue[a] = 0;
  s.entryRule[a] = e.rule;
  const fill: Fill = { day, asset: a, side: dir === 1 ? 'buy' : 'sell', qty, price, fee, rule: e.rule };
  if (capped.limit) fill.note = capped.limit;
  s.fills.push(fill);
  return qty * price;
}

const NO_TARGETS: readonly Target[] = [];

/** Stop, then targets, then the trailing stop (checked against the low before the high raises it). */
function intrabar(s: EngineState, panel: Panel, a: number, day: number, enteredToday: boolean, rooms: Rooms) {
  const { exit } = s.spec;
  const i = a * panel.nDays + day;
  const open = panel.open[i]!;
  const high = panel.high[i]!;
  const low = panel.low[i]!;
  if (Number.isNaN(open) || Number.isNaN(high) || Number.isNaN(low)) return;
  const dir = dirOf(s, a);
  const entry = s.entryPrice[a]!;

  const stopAt = stopPrice(dir, s.stop[a]!, open, high, low);
  if (!Number.isNaN(stopAt)) {
    const rule = stopAt === open && !enteredToday ? 'exit:stop_gap_open' : 'exit:stop';
    exitOrder(s, panel, a, NaN, stopAt, day, rule, rooms);
    return;
  }

  const bracket = s.bracketTarget[a]!;
  const targets = Number.isNaN(bracket) ? (exit.targets ?? NO_TARGETS) : [{ pct: bracket, fraction: 1 }];
  let cumulative = 0;
  for (let k = 0; k < targets.length; k++) {
    const t = targets[k]!;
    cumulative += t.fraction;
    if (k < s.targetsDone[a]!) continue;
    const at = targetPrice(dir, entry * (1 + dir * t.pct), open, high, low);
    if (Number.isNaN(at)) break;
    s.targetsDone[a] = k + 1;
    // The last target (NaN: the whole position) takes whatever is left.
    const qty =
      cumulative >= 1 - 1e-9
        ? NaN
        : Math.min(Math.abs(s.qty[a]!), roundUnits(t.fraction * s.entryQty[a]!, s.whole[a] === 1));
    if (qty <= 0) continue;
    const rule = at === open && !enteredToday ? 'exit:target_gap_open' : 'exit:target';
    const note = targets.length > 1 ? `target ${k + 1} of ${targets.length}` : undefined;
    // A target cut by the volume cap leaves the bar to its carried rest: no more exits in it.
    if (!exitOrder(s, panel, a, qty, at, day, rule, rooms, note) || s.qty[a] === 0) return;
  }

  const trailing = exit.trailing;
  if (!trailing) return;
  const best = s.extreme[a]!;
  const armed =
    trailing.arm_after_pct === undefined || dir * (best / entry - 1) >= trailing.arm_after_pct - 1e-12;
  if (armed) {
    const distance = trailing.pct !== undefined ? best * trailing.pct : s.trailDistance[a]!;
    const trailAt = stopPrice(dir, best - dir * distance, open, high, low);
    if (!Number.isNaN(trailAt)) {
      const rule = trailAt === open && !enteredToday ? 'exit:trailing_gap_open' : 'exit:trailing';
      exitOrder(s, panel, a, NaN, trailAt, day, rule, rooms);
      return;
    }
  }
  // Within an end-of-day entry bar the order of high and low is unknown, so the trail is not raised there.
  if (!enteredToday) s.extreme[a] = dir === 1 ? Math.max(best, high) : Math.min(best, low);
}

/**
 * Simulates day `day`: at the open, the exits then the entries of `decisions` (made at the previous close)
 * fill; inside the bar, each position held from an earlier day meets its stop, targets and trailing stop
 * in that order (in end-of-day mode, the positions entered at today's open do too); at the close, end-of-day
 * mode leaves every position; finally positions are marked at the close. Updates `state` in place and
 * returns it; days must be stepped in order.
 */
export function step(state: EngineState, panel: Panel, day: number, decisions: Decisions): EngineState {
  const s = state;
  if (day !== s.day + 1) throw new RangeError(`step expected day ${s.day + 1}, got ${day}`);
  const { nDays, nAssets } = panel;
  const endOfDay = s.spec.exit.end_of_day;
  const rooms: Rooms = s.spec.costs.max_volume_share === undefined ? null : new Map();

  // One pass finds the held assets (filling the exits still working from an earlier day); every later
  // loop of the day touches only them, in asset order.
  const held = new Int32Array(nAssets + decisions.entries.length);
  let nHeld = 0;
  if (s.open > 0)
    for (let a = 0; a < nAssets; a++) {
      if (s.qty[a] === 0) continue;
      const rule = s.pendingExit[a];
      if (rule !== undefined) {
        const open = panel.open[a * nDays + day]!;
        if (!Number.isNaN(open)) {
          const qty = s.pendingQty[a]!;
          s.pendingExit[a] = undefined;
          s.pendingQty[a] = NaN;
          exitOrder(s, panel, a, qty, open, day, rule, rooms);
          if (s.qty[a] === 0) continue;
        }
      }
      held[nHeld++] = a;
    }
  for (const x of decisions.exits) {
    if (s.qty[x.asset] === 0) continue;
    const open = panel.open[x.asset * nDays + day]!;
    if (Number.isNaN(open)) carry(s, x.asset, NaN, x.rule);
    else exitOrder(s, panel, x.asset, NaN, open, day, x.rule, rooms);
  }

  if (decisions.entries.length > 0) {
    // Sizing reads the equity of the decision (the last close); the caps read the equity, cash and exposure
    // at this open, after the exits.
    let gross = 0;
    let value = 0;
    for (let k = 0; k < nHeld; k++) {
      const a = held[k]!;
      if (s.qty[a] === 0) continue;
      const v = s.qty[a]! * markAtOpen(s, panel, a, day);
      value += v;
      gross += Math.abs(v);
    }
    const equityNow = s.cash + value;
    const before = nHeld;
    for (const e of decisions.entries) {
      const taken = enter(s, panel, day, e, s.equity, equityNow, gross);
      gross += taken;
      if (taken > 0) held[nHeld++] = e.asset;
    }
    if (nHeld > before) {
      // A reversal re-enters an asset already listed: sort, then drop the repeat.
      held.subarray(0, nHeld).sort();
      let m = 1;
      for (let k = 1; k < nHeld; k++) if (held[k] !== held[m - 1]) held[m++] = held[k]!;
      nHeld = m;
    }
  }

  for (let k = 0; k < nHeld; k++) {
    const a = held[k]!;
    // A position with an exit still working is leaving: its bar's volume went to that order.
    if (s.qty[a] === 0 || s.pendingExit[a] !== undefined) continue;
    const enteredToday = s.entryDay[a] === day;
    if (!enteredToday || endOfDay) intrabar(s, panel, a, day, enteredToday, rooms);
    else {
      const i = a * nDays + day;
      // The entry bar raises the best price (it is known at the close) but fires no exit.
      const best = s.extreme[a]!;
      if (s.qty[a]! > 0 && panel.high[i]! > best) s.extreme[a] = panel.high[i]!;
      if (s.qty[a]! < 0 && panel.low[i]! < best) s.extreme[a] = panel.low[i]!;
    }
  }

  let value = 0;
  let gross = 0;
  let shorts = 0;
  for (let k = 0; k < nHeld; k++) {
    const a = held[k]!;
    if (s.qty[a] === 0) continue;
    const close = panel.close[a * nDays + day]!;
    if (!Number.isNaN(close)) s.lastClose[a] = close;
    if (endOfDay && !Number.isNaN(close)) {
      exitOrder(s, panel, a, NaN, close, day, 'exit:end_of_day', rooms);
      if (s.qty[a] === 0) continue;
    }
    const v = s.qty[a]! * s.lastClose[a]!;
    value += v;
    gross += Math.abs(v);
    if (v < 0) shorts -= v;
  }
  // An all-cash entry leaves a rounding residue of a few ulps either side of zero: it is zero.
  s.cash = Math.abs(s.cash) < 1e-9 ? 0 : s.cash;
  s.equity = s.cash + value;
  s.gross = gross;
  // Margin call: equity below the maintenance share of the shorts' value covers every short at the next open.
  if (shorts > 0 && s.equity < (s.spec.short_maintenance ?? SHORT_MAINTENANCE) * shorts)
    for (let k = 0; k < nHeld; k++) {
      const a = held[k]!;
      if (s.qty[a]! < 0) carry(s, a, NaN, 'exit:margin_call');
    }
  s.day = day;
  return s;
}
