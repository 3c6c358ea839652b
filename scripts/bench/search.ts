// The weekly search's throughput over the real S&P set (../shared/data): `npm run bench -- --only search`.
// The snapshot is 1,000 ticker-series of HISTORY_BARS + 5 bars: the set's tickers complete over its last
// full window, and again over the window one week earlier (the set has ~500 tickers, the search samples
// 1,000). Measured: the full optimizer (cycles × 10 algorithms × 8 TPE variations, indicator kernels and
// thresholds over every ticker) against an anchor measured in the same run: a plain loop that picks the
// tickers whose last close rose and averages their next-session returns, over the same arrays.
// Then the pruner over the search's trials (the full weekly search is search + pruning), and group
// discovery over the pruned variations: intersections per second in one thread with loose gates (so
// the tree is large) against a plain loop doing the same AND + popcount work over the same bitsets,
// the same on every core under the group budget (its overshoot is measured from outside, pool start
// and teardown included), and the discovery with the default gates and its selected group.
import { availableParallelism, loadavg } from 'node:os';
import { ALGORITHMS, HISTORY_BARS, SIGNAL_DAYS } from '../../shared/search/algorithms/index.ts';
import { prepareDataset, type SearchDataset } from '../../shared/search/evaluate.ts';
import { runTasks } from '../../shared/search/groups/budget.ts';
import { buildGroupSpace, type GroupSpace, groupTasks } from '../../shared/search/groups/discover.ts';
import { selectGroups } from '../../shared/search/groups/select.ts';
import { runSearch, type Trial } from '../../shared/search/optimize.ts';
import { prune } from '../../shared/search/prune.ts';
import { discoverInParallel } from '../search-workers.ts';
import type { Dataset } from './data.ts';
import { ms, num, ratio, table } from './report.ts';

/** One line of the closing summary. */
interface SearchVerdict {
  target: string;
  result: string;
  pass: boolean;
}

const TICKERS = 1000;
const PER_MINUTE_TARGET = 20_000;
const FULL_SEARCH_TARGET_MS = 5 * 60_000;
const INTERSECTIONS_TARGET = 1_000_000;
/** Overshoot of the group budget allowed. */
const BUDGET_TOLERANCE = 0.02;
/** Loose gates: every combination with a common pick each day is walked, so the tree outlasts any budget. */
const LOOSE = { minPicksPerDay: 1, minPositiveDays: 0 };

/** 1,000 ticker-series over the set's last complete windows (see the file header). */
function snapshot(data: Dataset): SearchDataset {
  const bars = HISTORY_BARS + SIGNAL_DAYS;
  const dates = [...new Set(data.tickers.flatMap((t) => t.series.dates.slice(-bars - SIGNAL_DAYS)))].sort();
  const col = () => new Float64Array(TICKERS * bars);
  const ds: SearchDataset = {
    week: 'bench',
    dates: dates.slice(-bars),
    symbols: [],
    assetIds: [],
    open: col(),
    high: col(),
    low: col(),
    close: col(),
    volume: col(),
  };
  const last = dates.at(-1);
  const complete = data.tickers.filter(
    (t) => t.series.dates.at(-1) === last && t.series.close.length >= bars + SIGNAL_DAYS,
  );
  for (let k = 0; k < TICKERS; k++) {
    const t = complete[k % complete.length]!;
    const shift = k < complete.length ? 0 : SIGNAL_DAYS;
    const end = t.series.close.length - shift;
    ds.symbols.push(shift ? `${t.symbol}-1w` : t.symbol);
    ds.assetIds.push(k);
    for (const c of ['open', 'high', 'low', 'close', 'volume'] as const)
      ds[c].set(t.series[c].subarray(end - bars, end), k * bars);
  }
  return ds;
}

/** The anchor: a plain loop over the same arrays, one "variation" per pass. */
function plainPass(ds: SearchDataset): number {
  const bars = ds.dates.length;
  const first = bars - SIGNAL_DAYS - 1;
  let total = 0;
  for (let d = 0; d < SIGNAL_DAYS; d++) {
    let sum = 0;
    let n = 0;
    for (let k = 0; k < ds.symbols.length; k++) {
      const at = k * bars + first + d;
      if (ds.close[at]! > ds.close[at - 1]!) {
        sum += ds.close[at + 1]! / ds.open[at + 1]! - 1;
        n++;
      }
    }
    total += n ? sum / n : 0;
  }
  return total;
}

/** The anchor of group discovery: AND + popcount of every day's words for member pairs in turn, for `ms`. */
function plainIntersections(
  space: GroupSpace,
  ms: number,
): { count: number; perSecond: number; sink: number } {
  const { bits, days, words } = space;
  const n = space.keys.length;
  const stride = days * words;
  let count = 0;
  let sink = 0;
  const started = performance.now();
  while (performance.now() - started < ms)
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        for (let w = 0; w < stride; w++) {
          let v = bits[i * stride + w]! & bits[j * stride + w]!;
          v -= (v >>> 1) & 0x55555555;
          v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
          sink += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
        }
        count++;
      }
  return { count, perSecond: count / ((performance.now() - started) / 1000), sink };
}

/** The `count` variations of each algorithm with the most picks, none above 60% of the sample on a day. */
function broadest(trials: readonly Trial[], count: number) {
  const out: ReturnType<typeof candidate>[] = [];
  const byAlgorithm = new Map<string, Trial[]>();
  for (const t of trials)
    if (Math.min(...t.buys) > 0 && Math.max(...t.buys) <= 0.6 * TICKERS)
      byAlgorithm.set(t.algorithm, [...(byAlgorithm.get(t.algorithm) ?? []), t]);
  for (const list of byAlgorithm.values())
    out.push(
      ...list
        .sort((a, b) => b.stats.totalBuys - a.stats.totalBuys || (a.key < b.key ? -1 : 1))
        .slice(0, count)
        .map(candidate),
    );
  // Group spaces read the algorithms in their order.
  const order = new Map(ALGORITHMS.map((a, i) => [a.id, i]));
  return out.sort((a, b) => order.get(a.algorithm)! - order.get(b.algorithm)!);
}

/** A trial as the pruner reads it. */
function candidate(t: Trial) {
  return {
    key: t.key,
    algorithm: t.algorithm,
    params: t.params,
    daily: t.daily,
    buys: t.buys,
    stats: t.stats,
  };
}

/** Runs the section; returns its verdicts. */
export async function benchSearch(
  data: Dataset,
  options: { quick?: boolean; groupBudgetS?: number },
): Promise<SearchVerdict[]> {
  const cycles = options.quick ? 20 : 200;
  const ds = snapshot(data);
  const prepared = prepareDataset(ds);
  let sink = 0;
  const anchorStart = performance.now();
  let passes = 0;
  while (performance.now() - anchorStart < 1000) {
    sink += plainPass(ds);
    passes++;
  }
  const anchorPerMin = (passes / (performance.now() - anchorStart)) * 60_000;
  const load = loadavg()[0]!;
  const started = performance.now();
  const result = await runSearch(prepared, { seed: 1, cycles });
  const searchMs = performance.now() - started;
  const perMin = (result.trials.length / searchMs) * 60_000;
  const picks = new Map(result.trials.map((t) => [t.key, t.picks]));
  const pruneStarted = performance.now();
  const pruned = prune(result.trials.map(candidate), TICKERS, (c) => picks.get(c.key)!);
  const pruneMs = performance.now() - pruneStarted;
  const best = result.trials.reduce((a, b) => (b.stats.score > a.stats.score ? b : a));
  console.log(
    table(
      ['measure', 'evaluations', 'time', 'per minute', 'vs anchor'],
      [
        ['anchor: plain loop, one rule over the same arrays', num(passes), ms(1000), num(anchorPerMin), '1x'],
        [
          `search: ${result.cycles} cycles × 10 algorithms × 8 TPE variations, ${TICKERS} tickers × 5 days`,
          num(result.trials.length),
          ms(searchMs),
          num(perMin),
          ratio(perMin / anchorPerMin),
        ],
        [
          `pruning: gates, score, ${pruned.options.perAlgorithm} per algorithm (kept ${pruned.kept.length})`,
          num(pruned.candidates),
          ms(pruneMs),
          '',
          '',
        ],
      ],
      ['left', 'right', 'right', 'right', 'right'],
    ),
  );
  console.log(
    `  load average ${load.toFixed(1)} at the start (2 cores); best variation ${best.key}, score ${num(best.stats.score)}; kernel settings cached ${prepared.features.size}; anchor checksum ${num(sink)}`,
  );
  // Group discovery. The week's pruned variations pick few tickers each, so their tree is small (the
  // default-gated row below walks it whole); the speed rows walk a wide tree instead: the 16 broadest
  // variations of each algorithm (at most 60% of the sample a day), whose intersections stay non-empty
  // deep into the tree, so the walk outlasts the budget.
  const space = buildGroupSpace(
    prepared,
    pruned.kept.map((k) => k.candidate),
  );
  const wide = buildGroupSpace(prepared, broadest(result.trials, 16));
  const anchorMs = options.quick ? 1000 : 3000;
  const plain = plainIntersections(wide, anchorMs);
  const oneLoad = loadavg()[0]!;
  const one = runTasks(wide, groupTasks(wide, LOOSE), LOOSE, anchorMs, () => performance.now());
  const onePerS = one.evaluations / (one.elapsedMs / 1000);
  const workers = availableParallelism();
  const budgetS = options.groupBudgetS ?? (options.quick ? 10 : 60);
  const parLoad = loadavg()[0]!;
  const parStarted = performance.now();
  const par = await discoverInParallel(wide, LOOSE, { workers, budgetMs: budgetS * 1000 });
  const parMs = performance.now() - parStarted;
  const parPerS = par.evaluations / (parMs / 1000);
  const overshoot = parMs / (budgetS * 1000) - 1;
  const defLoad = loadavg()[0]!;
  const def = await discoverInParallel(space, {}, { workers, budgetMs: budgetS * 1000 });
  let mean = 0;
  for (const t of result.trials) mean += Number.isFinite(t.stats.sharpe) ? t.stats.sharpe : 0;
  mean /= result.trials.length;
  let variance = 0;
  for (const t of result.trials)
    variance += ((Number.isFinite(t.stats.sharpe) ? t.stats.sharpe : 0) - mean) ** 2;
  variance /= result.trials.length - 1;
  const ranked = selectGroups(def.groups, space.keys, {
    trials: result.trials.length,
    sharpeVariance: variance,
  });
  const chosen = ranked.find((g) => g.selected);
  console.log(
    table(
      ['group discovery', 'intersections', 'time', 'per second', 'vs anchor', 'load'],
      [
        [
          `anchor: plain AND + popcount of ${wide.days} × ${wide.words} words, member pairs`,
          num(plain.count),
          ms(anchorMs),
          num(plain.perSecond),
          '1x',
          oneLoad.toFixed(1),
        ],
        [
          `one thread, wide tree (${wide.keys.length} broadest variations, min 1 pick/day), depth-first`,
          num(one.evaluations),
          ms(one.elapsedMs),
          num(onePerS),
          ratio(onePerS / plain.perSecond),
          oneLoad.toFixed(1),
        ],
        [
          `${workers} worker threads, wide tree, budget ${budgetS} s (pool start included)`,
          num(par.evaluations),
          ms(parMs),
          num(parPerS),
          ratio(parPerS / plain.perSecond),
          parLoad.toFixed(1),
        ],
        [
          `the week's ${space.keys.length} pruned variations, default gates: ${def.stoppedBy === 'complete' ? 'whole tree' : `${def.cut} tasks cut`}`,
          num(def.evaluations),
          ms(def.elapsedMs),
          num(def.evaluations / (def.elapsedMs / 1000)),
          '',
          defLoad.toFixed(1),
        ],
      ],
      ['left', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  console.log(
    `  budget ${budgetS} s: wall ${ms(parMs)}, overshoot ${(overshoot * 100).toFixed(2)}%, ${par.cut} of ${par.tasks} tasks cut or not started; anchor checksum ${num(plain.sink)}`,
  );
  console.log(
    chosen
      ? `  selected group: ${chosen.key}; daily ${chosen.daily.map((x) => `${(x * 100).toFixed(2)}%`).join(' ')}, picks ${chosen.picks.join(' ')}, worst day ${(chosen.worstDay * 100).toFixed(2)}%, LOO ${(chosen.looWorst * 100).toFixed(2)}%, DSR ${num(chosen.dsr)} over ${chosen.trials} trials`
      : `  no group selected (${ranked.length} kept, none passed the selection)`,
  );
  const verdicts: SearchVerdict[] = [
    {
      target: `≥ ${PER_MINUTE_TARGET.toLocaleString('en-US')} variation evaluations per minute`,
      result: `${num(perMin)} per minute`,
      pass: perMin >= PER_MINUTE_TARGET,
    },
  ];
  if (!options.quick)
    verdicts.push({
      target: 'full weekly search (200 cycles × 10 × 8 over 1,000 × 5, plus pruning) < 5 min',
      result: ms(searchMs + pruneMs),
      pass: searchMs + pruneMs < FULL_SEARCH_TARGET_MS,
    });
  verdicts.push(
    {
      target: `group discovery ≥ ${INTERSECTIONS_TARGET.toLocaleString('en-US')} intersection evaluations/s (${workers} threads)`,
      result: `${num(parPerS)}/s (one thread ${num(onePerS)}/s)`,
      pass: parPerS >= INTERSECTIONS_TARGET,
    },
    {
      target: `group budget respected within ${BUDGET_TOLERANCE * 100}% (budget ${budgetS} s)`,
      result:
        par.stoppedBy === 'complete'
          ? `not measured: the tree was walked in ${ms(parMs)}, before the budget`
          : `${ms(parMs)} (${overshoot >= 0 ? '+' : ''}${(overshoot * 100).toFixed(2)}%)`,
      pass: par.stoppedBy === 'budget' && overshoot <= BUDGET_TOLERANCE,
    },
  );
  return verdicts;
}
