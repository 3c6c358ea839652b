// Group discovery: combinations of pruned variations, at most one per algorithm, judged on the
// intersection of their picks on each signal day. Picks are bitsets (one Uint32 word per 32 tickers
// per day), so a group one member larger costs an AND and a popcount per word. The tree is expanded
// depth-first in the members' order; a minimum-picks gate prunes a whole subtree exactly, since adding
// a member can only shrink the intersection. The search is cut into tasks (one per lowest pair of
// members) that workers or queue jobs run apart; each keeps its best K groups, and merging the tasks'
// lists gives the same best K as one walk over the whole tree.

import { ALGORITHMS, SIGNAL_DAYS } from '../algorithms/index.ts';
import { evaluateVariation, type PreparedDataset } from '../evaluate.ts';
import { type PruneCandidate, robustScore } from '../prune.ts';

/** The pruned variations of a week as pick bitsets, in a form that crosses to a worker thread. */
export interface GroupSpace {
  tickers: number;
  /** Uint32 words per day: ⌈tickers / 32⌉. */
  words: number;
  days: number;
  /** Member variation keys, grouped by algorithm in the algorithms' order. */
  keys: string[];
  /** Per member, its algorithm's ordinal; non-decreasing. */
  algorithmOf: Int32Array;
  /** Member m's picks on day d, word w, at (m·days + d)·words + w. */
  bits: Uint32Array;
  /** Ticker k's next-session return after day d at d·words·32 + k (0 past the last ticker). */
  returns: Float64Array;
}

/** Gates of the discovery and how many groups it keeps. */
export interface GroupOptions {
  /** Common picks needed on every day (default 3: the weekday shortlist needs candidates every day; prunes exactly). */
  minPicksPerDay?: number;
  /** Days with a positive result a group needs to be kept (default 3 of 5). */
  minPositiveDays?: number;
  /** Most members in a group (default: one per algorithm). */
  maxSize?: number;
  /** Groups kept, best score first (default 100: the final selection's candidates). */
  top?: number;
}

/** The defaults of GroupOptions, resolved (maxSize 0: one per algorithm). */
export const GROUP_DEFAULTS: Required<GroupOptions> = {
  minPicksPerDay: 3,
  minPositiveDays: 3,
  maxSize: 0,
  top: 100,
};

/** A kept group: its members (indices into the space), per-day results and common picks, and its score. */
export interface GroupCandidate {
  members: number[];
  daily: number[];
  picks: number[];
  score: number;
}

/** What one task (or a whole discovery) found. */
export interface TaskResult {
  groups: GroupCandidate[];
  /** Intersections evaluated (AND + popcount of every day), pruned ones included. */
  evaluations: number;
  /** False when the task's time ran out before its subtree was walked. */
  complete: boolean;
  /** When cut: the members of the next group to judge, from which exploreTask goes on; [] when not started. */
  resume?: number[];
}

/** Builds the space: re-evaluates each pruned variation on the dataset for its picks. */
export function buildGroupSpace(data: PreparedDataset, members: readonly PruneCandidate[]): GroupSpace {
  const tickers = data.tickers.length;
  const words = Math.ceil(tickers / 32);
  const days = SIGNAL_DAYS;
  const ordinal = new Map(ALGORITHMS.map((a, i) => [a.id, i]));
  const bits = new Uint32Array(members.length * days * words);
  const algorithmOf = new Int32Array(members.length);
  members.forEach((m, i) => {
    const algorithm = ALGORITHMS[ordinal.get(m.algorithm) ?? -1];
    if (!algorithm) throw new RangeError(`unknown search algorithm "${m.algorithm}"`);
    if (i > 0 && ordinal.get(m.algorithm)! < algorithmOf[i - 1]!)
      throw new RangeError('group members must be grouped by algorithm in the algorithms’ order');
    algorithmOf[i] = ordinal.get(m.algorithm)!;
    const values = algorithm.params.map((p) => m.params[p.name]);
    if (values.some((v) => v === undefined))
      throw new RangeError(`variation ${m.key} lacks a parameter of ${algorithm.id}`);
    const { picks } = evaluateVariation(data, algorithm, values as number[]);
    for (let k = 0; k < tickers; k++)
      for (let d = 0; d < days; d++)
        if (picks[k]! & (1 << d)) bits[(i * days + d) * words + (k >>> 5)]! |= 1 << (k & 31);
  });
  const returns = new Float64Array(days * words * 32);
  for (let k = 0; k < tickers; k++)
    for (let d = 0; d < days; d++) returns[d * words * 32 + k] = data.sessionReturns[k * SIGNAL_DAYS + d]!;
  return { tickers, words, days, keys: members.map((m) => m.key), algorithmOf, bits, returns };
}

/** Bits set in a 32-bit word. */
function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Whether group a ranks before group b: higher score, then the smaller member list. */
function before(a: GroupCandidate, b: GroupCandidate): boolean {
  if (a.score !== b.score) return a.score > b.score;
  const n = Math.min(a.members.length, b.members.length);
  for (let i = 0; i < n; i++) if (a.members[i] !== b.members[i]) return a.members[i]! < b.members[i]!;
  return a.members.length < b.members.length;
}

/** The best `size` groups seen, kept sorted best first. */
class TopGroups {
  readonly list: GroupCandidate[] = [];
  constructor(private readonly size: number) {}

  /** Whether a group with this score could enter (a tie with the last may, by its members). */
  admits(score: number): boolean {
    return this.list.length < this.size || score >= this.list[this.list.length - 1]!.score;
  }

  add(g: GroupCandidate): void {
    let i = this.list.length;
    while (i > 0 && before(g, this.list[i - 1]!)) i--;
    if (i >= this.size) return;
    this.list.splice(i, 0, g);
    if (this.list.length > this.size) this.list.pop();
  }
}

/** The first-level tasks: every pair of members of two algorithms whose common picks pass the gate. */
export function groupTasks(space: GroupSpace, options: GroupOptions = {}): [number, number][] {
  const { minPicksPerDay } = { ...GROUP_DEFAULTS, ...options };
  const { bits, days, words, algorithmOf } = space;
  const n = space.keys.length;
  const tasks: [number, number][] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (algorithmOf[j] === algorithmOf[i]) continue;
      let ok = true;
      for (let d = 0; d < days && ok; d++) {
        let c = 0;
        const a = (i * days + d) * words;
        const b = (j * days + d) * words;
        for (let w = 0; w < words; w++) c += popcount32(bits[a + w]! & bits[b + w]!);
        ok = c >= minPicksPerDay;
      }
      if (ok) tasks.push([i, j]);
    }
  return tasks;
}

/**
 * Per day, word and byte of the word, the sum of the returns of every subset of its 8 tickers: a
 * group's sum over its common picks then costs 4 look-ups per non-empty word instead of one per pick.
 */
const returnTables = new WeakMap<GroupSpace, Float64Array>();

function returnTable(space: GroupSpace): Float64Array {
  const cached = returnTables.get(space);
  if (cached) return cached;
  const { days, words, returns } = space;
  const table = new Float64Array(days * words * 4 * 256);
  for (let d = 0; d < days; d++)
    for (let w = 0; w < words; w++)
      for (let b = 0; b < 4; b++) {
        const base = ((d * words + w) * 4 + b) * 256;
        const first = d * words * 32 + w * 32 + b * 8;
        // Each subset is a smaller subset plus its lowest ticker.
        for (let x = 1; x < 256; x++)
          table[base + x] = table[base + (x & (x - 1))]! + returns[first + (31 - Math.clz32(x & -x))]!;
      }
  returnTables.set(space, table);
  return table;
}

/** How often (in evaluations) a walk asks whether its time is up. */
const STOP_CHECK_EVERY = 1024;

/**
 * Walks the subtree of one task: the pair itself and every group that adds members of later
 * algorithms, until `shouldStop` says the task's time is up (asked every 1,024 evaluations). A walk
 * cut short says where to go on (`resume`); given back, the walk continues from there, so the pieces
 * of a task together judge every group of its subtree exactly once.
 */
export function exploreTask(
  space: GroupSpace,
  task: readonly [number, number],
  options: GroupOptions,
  shouldStop: () => boolean,
  resumeFrom: readonly number[] = [],
): TaskResult {
  const o = { ...GROUP_DEFAULTS, ...options };
  const { bits, days, words, algorithmOf } = space;
  const table = returnTable(space);
  const n = space.keys.length;
  const maxSize = o.maxSize > 0 ? o.maxSize : ALGORITHMS.length;
  const stride = days * words;
  const top = new TopGroups(o.top);
  // One intersection buffer per group size, and per-day counts and sums of the group being judged.
  const inter = Array.from({ length: maxSize + 1 }, () => new Uint32Array(stride));
  const counts = new Int32Array(days);
  const daily = new Float64Array(days);
  const members: number[] = [];
  let evaluations = 0;
  let stopped = false;
  let resumeAt: number[] = [];
  // The path still to return to (members by group size), consumed as the walk reaches it.
  let resume: readonly number[] | null = resumeFrom.length > 2 ? resumeFrom : null;

  /** ANDs `from` with member m into `into`; false as soon as a day falls below the minimum picks. */
  const intersect = (from: Uint32Array, fromOffset: number, m: number, into: Uint32Array): boolean => {
    evaluations++;
    const mo = m * stride;
    for (let d = 0; d < days; d++) {
      let c = 0;
      const o0 = d * words;
      for (let w = 0; w < words; w++) {
        const x = from[fromOffset + o0 + w]! & bits[mo + o0 + w]!;
        into[o0 + w] = x;
        c += popcount32(x);
      }
      if (c < o.minPicksPerDay) return false;
      counts[d] = c;
    }
    return true;
  };

  /** Scores the group held in `cur` (counts already set) and offers it to the top list. */
  const judge = (cur: Uint32Array) => {
    let sum = 0;
    let positive = 0;
    let picks = 0;
    for (let d = 0; d < days; d++) {
      let s = 0;
      const o0 = d * words;
      for (let w = 0; w < words; w++) {
        const x = cur[o0 + w]!;
        if (x === 0) continue;
        const t = (o0 + w) * 1024;
        s +=
          table[t + (x & 255)]! +
          table[t + 256 + ((x >>> 8) & 255)]! +
          table[t + 512 + ((x >>> 16) & 255)]! +
          table[t + 768 + (x >>> 24)]!;
      }
      daily[d] = s / counts[d]!;
      sum += daily[d]!;
      picks += counts[d]!;
      if (daily[d]! > 0) positive++;
    }
    if (positive < o.minPositiveDays) return;
    const mean = sum / days;
    let ss = 0;
    for (let d = 0; d < days; d++) ss += (daily[d]! - mean) ** 2;
    const score = robustScore(mean, Math.sqrt(ss / (days - 1)), picks, days);
    if (!top.admits(score)) return;
    top.add({ members: [...members], daily: Array.from(daily), picks: Array.from(counts), score });
  };

  const expand = (size: number, lastAlgorithm: number) => {
    const cur = inter[size - 1]!;
    const next = inter[size]!;
    let start = members[members.length - 1]! + 1;
    if (resume && size < resume.length) {
      const r = resume[size]!;
      if (size < resume.length - 1) {
        // A group on the path back: judged by the earlier piece; rebuild its intersection and go in.
        intersect(cur, 0, r, next);
        evaluations--;
        members.push(r);
        expand(size + 1, algorithmOf[r]!);
        members.pop();
        if (stopped) return;
        start = r + 1;
      } else {
        start = r;
        resume = null;
      }
    }
    for (let m = start; m < n && !stopped; m++) {
      if (algorithmOf[m]! <= lastAlgorithm) continue;
      if (evaluations % STOP_CHECK_EVERY === 0 && evaluations > 0 && shouldStop()) {
        stopped = true;
        resumeAt = [...members, m];
        return;
      }
      if (!intersect(cur, 0, m, next)) continue;
      members.push(m);
      judge(next);
      if (size + 1 < maxSize) expand(size + 1, algorithmOf[m]!);
      members.pop();
    }
  };

  const [i, j] = task;
  // Every piece goes on at least to its first stop check (1,024 evaluations), so a walk stopped at every
  // check still advances; the caller starts no piece past the global end.
  members.push(i, j);
  // The pair (member i's own bits are the intersection of a group of one), judged on the first piece.
  if (intersect(bits, i * stride, j, inter[1]!)) {
    if (resume) evaluations--;
    else judge(inter[1]!);
    if (maxSize > 2) expand(2, algorithmOf[j]!);
  }
  return stopped
    ? { groups: top.list, evaluations, complete: false, resume: resumeAt }
    : { groups: top.list, evaluations, complete: true };
}

/** The best `top` groups of several tasks' lists, as one walk over all of them would keep. */
export function mergeGroups(lists: readonly (readonly GroupCandidate[])[], top: number): GroupCandidate[] {
  const all = new TopGroups(top);
  for (const list of lists) for (const g of list) if (all.admits(g.score)) all.add(g);
  return all.list;
}
