import { ema } from '../indicators/ema/index.ts';
import { sma } from '../indicators/sma/index.ts';
import { compile as compileCondition, type Test } from '../signals/evaluate.ts';
import type { Condition } from '../signals/schema.ts';
import type { EntryRule, MaCross, MovingAverage, StrategySpec } from '../strategy/spec.ts';
import type { Panel } from './panel.ts';
import type { Decisions, EngineState, EntryDecision, ExitDecision, Side } from './step.ts';

/** One side's entry rule evaluated on every panel cell, with the rule name its fills carry. */
interface SideEntry {
  /** 1 where the rule holds at that asset's close that day. */
  holds: Uint8Array;
  /** The templates of the rule, to name which fired. */
  templates: readonly { id: string; fired: Uint8Array }[];
  /** What the rule is named by when no template fired: `condition` (a when) or `ma_cross`. */
  label: string;
}

/**
 * A spec evaluated over a panel once, before the day loop: entry and exit conditions as one byte per
 * cell, and the columns decisions read (ranking, `atr_14`). Every cell only reads its own day and earlier
 * ones of the same asset, so a decision on day t knows nothing after t's close.
 */
export interface CompiledStrategy {
  spec: StrategySpec;
  long: SideEntry | null;
  short: SideEntry | null;
  /** exit.signal per side: 1 where the position should be closed at the next open. */
  longExit: Uint8Array | null;
  shortExit: Uint8Array | null;
  rank: Float64Array | null;
  atr: Float64Array | null;
  /** Per panel day, 1 on rebalancing days; null when the spec enters any day. */
  rebalance: Uint8Array | null;
  /**
   * The assets whose long or short rule (not both) holds, by day: those of day d are
   * `qualifying[qualifyingStart[d] .. qualifyingStart[d + 1])`, in asset order, so a day's entry scan
   * touches only them.
   */
  qualifyingStart: Int32Array;
  qualifying: Int32Array;
}

/** Lists by day the assets where exactly one side's rule holds (counted, then filled, as CSR). */
function qualifyingByDay(
  panel: Panel,
  long: SideEntry | null,
  short: SideEntry | null,
): { start: Int32Array; assets: Int32Array } {
  const { nDays, nAssets } = panel;
  const size = nDays * nAssets;
  const one = new Uint8Array(size);
  for (let i = 0; i < size; i++) one[i] = (long ? long.holds[i]! : 0) ^ (short ? short.holds[i]! : 0);
  const start = new Int32Array(nDays + 1);
  for (let a = 0; a < nAssets; a++)
    for (let d = 0; d < nDays; d++) start[d + 1] = start[d + 1]! + one[a * nDays + d]!;
  for (let d = 0; d < nDays; d++) start[d + 1] = start[d + 1]! + start[d]!;
  const assets = new Int32Array(start[nDays]!);
  const next = start.slice(0, nDays);
  for (let a = 0; a < nAssets; a++)
    for (let d = 0; d < nDays; d++) if (one[a * nDays + d]) assets[next[d]!++] = a;
  return { start, assets };
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
const epochDay = (date: string): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;

/**
 * 1 on the first panel day of each ISO week whose weekday (1 Monday .. 7 Sunday) is `weekday` or later:
 * a holiday on that weekday moves the rebalance to the next trading day of the same week, never to the
 * next week. Reads only the dates up to each day.
 */
export function rebalanceDays(dates: readonly string[], weekday: number): Uint8Array {
  const out = new Uint8Array(dates.length);
  let doneWeek = Number.NaN;
  for (let d = 0; d < dates.length; d++) {
    // 1970-01-01 was a Thursday: +3 puts Monday at 0 of each week.
    const e = epochDay(dates[d]!) + 3;
    const week = Math.floor(e / 7);
    if (e - week * 7 + 1 >= weekday && week !== doneWeek) {
      out[d] = 1;
      doneWeek = week;
    }
  }
  return out;
}

/** The panel's columns by input name, as the condition evaluator reads them. */
function columnsOf(panel: Panel): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {
    open: panel.open,
    high: panel.high,
    low: panel.low,
    close: panel.close,
    volume: panel.volume,
  };
  for (const [name, col] of panel.features) out[name] = col;
  return out;
}

/** The bar fields and features a condition reads, so a missing panel column fails loudly instead of never firing. */
function conditionInputs(c: Condition, out: Set<string>): Set<string> {
  if ('all' in c) for (const x of c.all) conditionInputs(x, out);
  else if ('any' in c) for (const x of c.any) conditionInputs(x, out);
  else if ('not' in c) conditionInputs(c.not, out);
  else if ('held' in c) conditionInputs(c.held, out);
  else if ('rank' in c) out.add(`rank:${c.rank}`);
  else {
    const operands = 'between' in c ? [c.between] : 'change' in c ? [c.change] : [c.left, c.right];
    for (const o of operands) if ('feature' in o) out.add(o.feature);
  }
  return out;
}

function evaluate(c: Condition, panel: Panel): Uint8Array {
  const columns = columnsOf(panel);
  for (const input of conditionInputs(c, new Set())) {
    const missing = input.startsWith('rank:') ? !panel.ranks.has(input.slice(5)) : !(input in columns);
    if (missing) throw new RangeError(`the panel lacks ${input}, which the strategy reads`);
  }
  const test: Test = compileCondition(c, columns, Object.fromEntries(panel.ranks));
  const out = new Uint8Array(panel.nAssets * panel.nDays);
  for (let a = 0; a < panel.nAssets; a++) {
    const first = a * panel.nDays;
    for (let d = 0; d < panel.nDays; d++) out[first + d] = test(first + d, first) === true ? 1 : 0;
  }
  return out;
}

function movingAverage(ma: MovingAverage, close: Float64Array): Float64Array {
  return ma.kind === 'sma' ? sma(close, ma.period) : ema(close, ma.period);
}

/** 1 on each cell where the fast average crosses the slow one, per asset over its own closes. */
function maCross(rule: MaCross, panel: Panel): Uint8Array {
  const { nDays } = panel;
  const out = new Uint8Array(panel.nAssets * nDays);
  const above = rule.cross === 'above';
  for (let a = 0; a < panel.nAssets; a++) {
    const close = panel.close.subarray(a * nDays, (a + 1) * nDays);
    if (close.length <= Math.max(rule.fast.period, rule.slow.period)) continue;
    const fast = movingAverage(rule.fast, close);
    const slow = movingAverage(rule.slow, close);
    for (let d = 1; d < nDays; d++) {
      const f0 = fast[d - 1]!;
      const s0 = slow[d - 1]!;
      const f1 = fast[d]!;
      const s1 = slow[d]!;
      // Comparisons with NaN are false: no cross inside a lookback or next to a missing bar.
      out[a * nDays + d] = (above ? f0 <= s0 && f1 > s1 : f0 >= s0 && f1 < s1) ? 1 : 0;
    }
  }
  return out;
}

function compileEntry(rule: EntryRule, side: Side, spec: StrategySpec, panel: Panel): SideEntry {
  const size = panel.nAssets * panel.nDays;
  const holds = new Uint8Array(size);
  // Assets of a type the spec does not trade never qualify.
  for (let a = 0; a < panel.nAssets; a++)
    if (spec.asset_types.includes(panel.assets[a]!.assetType))
      holds.fill(1, a * panel.nDays, (a + 1) * panel.nDays);
  const templates = (rule.signals?.templates ?? []).map((id) => {
    const fired = panel.signals.get(id);
    if (!fired)
      throw new RangeError(`the panel lacks signal ${id}, which the strategy's ${side} entry reads`);
    return { id, fired };
  });
  if (rule.signals) {
    const need =
      rule.signals.mode === 'any'
        ? 1
        : rule.signals.mode === 'all'
          ? templates.length
          : (rule.signals.k ?? 1);
    for (let i = 0; i < size; i++) {
      if (!holds[i]) continue;
      let n = 0;
      for (const t of templates) n += t.fired[i]!;
      if (n < need) holds[i] = 0;
    }
  }
  if (rule.when) {
    const when = evaluate(rule.when, panel);
    for (let i = 0; i < size; i++) holds[i] = holds[i]! & when[i]!;
  }
  if (rule.ma_cross) {
    const cross = maCross(rule.ma_cross, panel);
    for (let i = 0; i < size; i++) holds[i] = holds[i]! & cross[i]!;
  }
  if (rule.review) {
    const want = rule.review.direction === 'bullish' ? 1 : -1;
    const min = rule.review.min_confidence;
    for (let i = 0; i < size; i++)
      if (panel.reviewDirection[i] !== want || !(panel.reviewConfidence[i]! >= min)) holds[i] = 0;
  }
  return { holds, templates, label: rule.ma_cross && !rule.when ? 'ma_cross' : 'condition' };
}

/** Evaluates a spec's entry and exit rules over every cell of a panel; throws when the panel lacks an input. */
export function compileStrategy(spec: StrategySpec, panel: Panel): CompiledStrategy {
  const atr = panel.features.get('atr_14') ?? null;
  if ((spec.exit.stop?.atr !== undefined || spec.exit.trailing?.atr !== undefined) && !atr)
    throw new RangeError('the panel lacks atr_14, which the strategy reads');
  const rankBy = spec.entry.rank?.by;
  const rank = rankBy === undefined ? null : (columnsOf(panel)[rankBy] ?? null);
  if (rankBy !== undefined && !rank)
    throw new RangeError(`the panel lacks ${rankBy}, which the strategy ranks by`);
  const long = spec.entry.long ? compileEntry(spec.entry.long, 'long', spec, panel) : null;
  const short = spec.entry.short ? compileEntry(spec.entry.short, 'short', spec, panel) : null;
  const byDay = qualifyingByDay(panel, long, short);
  return {
    spec,
    long,
    short,
    qualifyingStart: byDay.start,
    qualifying: byDay.assets,
    longExit: spec.exit.signal?.long ? evaluate(spec.exit.signal.long, panel) : null,
    shortExit: spec.exit.signal?.short ? evaluate(spec.exit.signal.short, panel) : null,
    rank,
    atr,
    rebalance: spec.entry.rebalance ? rebalanceDays(panel.dates, spec.entry.rebalance.weekday) : null,
  };
}

/** The rule an entry's fill records: the templates that fired (`entry:signal a+b`), else its label (`entry:ma_cross`). */
function entryRuleName(side: SideEntry, i: number, dir: Side): string {
  const fired = side.templates.filter((t) => t.fired[i]).map((t) => t.id);
  const what = fired.length ? `signal ${fired.join('+')}` : side.label;
  return dir === 'long' ? `entry:${what}` : `entry:short ${what}`;
}

/**
 * What the strategy decides at day `day`'s close, to execute at the next open: exits of open positions
 * (exit signal, then opposite signal or close-and-reverse, then time stop), then entries in ranking order
 * for the free slots (max_positions less the positions staying open, at most max_new_per_day). An asset
 * whose long and short rules both hold is ambiguous and not entered.
 */
export function decide(c: CompiledStrategy, state: EngineState, panel: Panel, day: number): Decisions {
  const { spec } = c;
  const { nDays, nAssets } = panel;
  const exits: ExitDecision[] = [];
  const reversals: EntryDecision[] = [];
  const candidates: Candidate[] = [];
  let staying = 0;
  const longCells = c.long ? c.long.holds : null;
  const shortCells = c.short ? c.short.holds : null;
  for (let a = 0; a < nAssets && state.open > 0; a++) {
    const qty = state.qty[a]!;
    if (qty === 0 || state.pendingExit[a] !== undefined) continue;
    const i = a * nDays + day;
    const longHolds = longCells !== null && longCells[i] === 1;
    const shortHolds = shortCells !== null && shortCells[i] === 1;
    const isLong = qty > 0;
    const opposite = isLong ? shortHolds && !longHolds : longHolds && !shortHolds;
    let rule: string | null = null;
    if ((isLong ? c.longExit : c.shortExit)?.[i] === 1) rule = 'exit:signal';
    else if (opposite && spec.exit.reverse) {
      rule = 'exit:reverse';
      const side = isLong ? c.short! : c.long!;
      reversals.push({
        asset: a,
        side: isLong ? 'short' : 'long',
        rule: entryRuleName(side, i, isLong ? 'short' : 'long'),
      });
    } else if (opposite && spec.exit.on_opposite_signal) rule = 'exit:opposite_signal';
    else if (
      spec.exit.time_stop_bars !== undefined &&
      day - state.entryDay[a]! + 1 >= spec.exit.time_stop_bars
    )
      rule = 'exit:time_stop';
    if (rule) exits.push({ asset: a, rule });
    else staying++;
  }

  if (c.rebalance) {
    if (c.rebalance[day] !== 1) return { exits, entries: [] };
    return rebalance(c, state, panel, day, exits);
  }
  const free = spec.entry.max_positions - staying;
  const room = Math.max(0, Math.min(free, spec.entry.max_new_per_day ?? Number.POSITIVE_INFINITY));
  // Flat assets are only scanned when a slot is left after the reversals.
  if (room > reversals.length) qualifying(c, state, panel, day, false, candidates);
  rankCandidates(c, candidates);
  const entries: EntryDecision[] = [];
  for (const r of reversals) if (entries.length < room) entries.push(r);
  for (const cand of candidates) {
    if (entries.length >= room) break;
    entries.push(entryOf(c, cand));
  }
  if (c.atr) for (const e of entries) e.atr = c.atr[e.asset * nDays + day]!;
  return { exits, entries };
}

interface Candidate {
  asset: number;
  side: Side;
  i: number;
}

/** Appends the assets whose long or short rule (not both) holds on `day`; held ones only with `held`. */
function qualifying(
  c: CompiledStrategy,
  state: EngineState,
  panel: Panel,
  day: number,
  held: boolean,
  out: Candidate[],
): void {
  const { nDays } = panel;
  const longCells = c.long ? c.long.holds : null;
  for (let k = c.qualifyingStart[day]!; k < c.qualifyingStart[day + 1]!; k++) {
    const a = c.qualifying[k]!;
    if (!held && state.qty[a] !== 0) continue;
    const i = a * nDays + day;
    out.push({ asset: a, side: longCells !== null && longCells[i] === 1 ? 'long' : 'short', i });
  }
}

/** Sorts candidates in the spec's ranking order (unranked values last, ties by panel order). */
function rankCandidates(c: CompiledStrategy, candidates: Candidate[]): void {
  if (c.rank && candidates.length > 1) {
    const rank = c.rank;
    const sign = c.spec.entry.rank?.order === 'asc' ? 1 : -1;
    candidates.sort((x, y) => {
      const rx = rank[x.i]!;
      const ry = rank[y.i]!;
      if (Number.isNaN(rx) !== Number.isNaN(ry)) return Number.isNaN(rx) ? 1 : -1;
      return rx === ry || Number.isNaN(rx) ? x.asset - y.asset : sign * (rx - ry);
    });
  }
}

function entryOf(c: CompiledStrategy, cand: Candidate): EntryDecision {
  const side = cand.side === 'long' ? c.long! : c.short!;
  return { asset: cand.asset, side: cand.side, rule: entryRuleName(side, cand.i, cand.side) };
}

/**
 * A rebalancing day's decisions: the top `max_positions` qualifying assets in ranking order (held ones
 * included) are the target; a position outside it (or on the other side) leaves with `exit:rebalance`,
 * target assets not held enter, at most `max_new_per_day`.
 */
function rebalance(
  c: CompiledStrategy,
  state: EngineState,
  panel: Panel,
  day: number,
  exits: ExitDecision[],
): Decisions {
  const { spec } = c;
  const ranked: Candidate[] = [];
  qualifying(c, state, panel, day, true, ranked);
  rankCandidates(c, ranked);
  const target = ranked.slice(0, spec.entry.max_positions);
  const leaving = new Set(exits.map((x) => x.asset));
  const kept = new Set<number>();
  for (const t of target) {
    const qty = state.qty[t.asset]!;
    if (qty !== 0 && !leaving.has(t.asset) && qty > 0 === (t.side === 'long')) kept.add(t.asset);
  }
  const out = [...exits];
  for (let a = 0; a < panel.nAssets; a++)
    if (state.qty[a] !== 0 && state.pendingExit[a] === undefined && !leaving.has(a) && !kept.has(a))
      out.push({ asset: a, rule: 'exit:rebalance' });
  const room = Math.min(
    spec.entry.max_positions - kept.size,
    spec.entry.max_new_per_day ?? Number.POSITIVE_INFINITY,
  );
  const entries: EntryDecision[] = [];
  for (const t of target) {
    if (entries.length >= room) break;
    if (!kept.has(t.asset)) entries.push(entryOf(c, t));
  }
  if (c.atr) for (const e of entries) e.atr = c.atr[e.asset * panel.nDays + day]!;
  return { exits: out, entries };
}
