// The rebalance's decision math over the real S&P set (../shared/data): `npm run bench -- --only portfolio`,
// or alone `npx tsx scripts/bench/portfolio.ts [--quick]`. 500 assets on the set's last date → composite
// score → top-20 target weights → delta trades against a held book, once with equal weight and once with
// each optimizer, against an anchor measured in the same run: a plain loop that ranks the same assets by
// their momentum, sorts, takes 20 equal weights and their whole-unit quantities. Momentum, returns and
// prices are the set's; the set has no news or reviews, so sentiment, signals and reviews are derived from
// the bars by fixed rules (shaped like the stages' values, not their meaning).
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type DeltaTrade, deltaTrades, type Holding } from '../../shared/portfolio/orders/index.ts';
import {
  compositeScores,
  DEFAULT_SCORE_CONFIG,
  type ScoreInput,
} from '../../shared/portfolio/score/index.ts';
import { DEFAULT_SCREENER, opportunityPool, type ScreenerInput } from '../../shared/portfolio/screener.ts';
import { type TargetConfig, targetWeights, type WeightMethod } from '../../shared/portfolio/targets/index.ts';
import { type Dataset, loadSp500, SP500_CSV, tradingCalendar } from './data.ts';
import { ms, num, ratio, table } from './report.ts';

/** One line of the closing summary. */
export interface PortfolioVerdict {
  target: string;
  result: string;
  pass: boolean;
}

const ASSETS = 500;
const TOP_N = 20;
const HISTORY = 252;
const EQUITY = 1_000_000;
const TARGET_MS: Record<WeightMethod, number> = {
  equal: 50,
  inverse_vol: 50,
  min_variance: 300,
  vol_target: 300,
};
const DELTA = { minTradeValue: 100, threshold: 0.005 };

/** Everything one rebalance reads, built before any timing. */
interface Book {
  date: string;
  inputs: ScoreInput[];
  returns: Record<string, Float64Array>;
  prices: Record<string, number>;
  holdings: Holding[];
  screener: ScreenerInput[];
  /** The anchor's inputs: ret_20 and ret_60 per asset, NaN where short. */
  mom20: Float64Array;
  mom60: Float64Array;
}

/** The last `HISTORY` daily returns of each ticker on the set's calendar (NaN on its missing days). */
function buildBook(data: Dataset): Book {
  const calendar = tradingCalendar(data).slice(-(HISTORY + 61));
  const date = calendar.at(-1)!;
  const tickers = data.tickers.filter((t) => t.series.dates.at(-1) === date).slice(0, ASSETS);
  const inputs: ScoreInput[] = [];
  const returns: Record<string, Float64Array> = {};
  const prices: Record<string, number> = {};
  const screener: ScreenerInput[] = [];
  const mom20 = new Float64Array(tickers.length);
  const mom60 = new Float64Array(tickers.length);
  tickers.forEach(({ symbol, series }, k) => {
    const closeOn = new Map(series.dates.map((d, i) => [d, series.close[i]!]));
    const closes = calendar.map((d) => closeOn.get(d) ?? Number.NaN);
    const n = closes.length;
    const ret = (h: number) => {
      const r = closes[n - 1]! / closes[n - 1 - h]! - 1;
      return Number.isFinite(r) ? r : null;
    };
    const r5 = ret(5);
    const above20 = closes[n - 1]! > closes.slice(n - 20).reduce((s, v) => s + v, 0) / 20;
    inputs.push({
      asset: symbol,
      date,
      momentum: { 20: ret(20), 60: ret(60) },
      // Stand-ins: sentiment follows the week's return, a review exists for every third asset.
      sentiment: k % 2 === 0 && r5 !== null ? Math.tanh(10 * r5) : null,
      signals: [{ direction: above20 ? 'bullish' : 'bearish', strength: 1 + (k % 3) }],
      review:
        k % 3 === 0 && r5 !== null
          ? { direction: r5 > 0 ? 'bullish' : 'bearish', confidence: Math.min(1, Math.abs(r5) * 20) }
          : null,
    });
    returns[symbol] = Float64Array.from({ length: HISTORY }, (_, i) => {
      const t = n - HISTORY + i;
      return closes[t]! / closes[t - 1]! - 1;
    });
    prices[symbol] = series.close.at(-1)!;
    const tail = series.close.length - 60;
    screener.push({
      asset: symbol,
      close: series.close.subarray(tail),
      volume: series.volume.subarray(tail),
      score: null,
    });
    mom20[k] = ret(20) ?? Number.NaN;
    mom60[k] = ret(60) ?? Number.NaN;
  });
  // The held book: every 20th asset at an equal 4.5% of equity, some of it off the new targets.
  const holdings = tickers
    .filter((_, k) => k % 20 === 0)
    .map(({ symbol }) => ({ asset: symbol, quantity: Math.floor((0.045 * EQUITY) / prices[symbol]!) }));
  return { date, inputs, returns, prices, holdings, screener, mom20, mom60 };
}

/** Score → targets → delta trades: the rebalance H7's trade stage runs, from the same inputs. */
function rebalance(book: Book, method: WeightMethod): { trades: DeltaTrade[]; fallback?: string } {
  const scores = compositeScores(book.inputs, DEFAULT_SCORE_CONFIG);
  const current = Object.fromEntries(
    book.holdings.map((h) => [h.asset, (h.quantity * book.prices[h.asset]!) / EQUITY]),
  );
  const config: TargetConfig = {
    topN: TOP_N,
    maxWeight: 0.1,
    returns: book.returns,
    current,
    turnoverPenalty: 0.5,
    targetVol: 0.15,
  };
  const targets = targetWeights(scores, method, config);
  const trades = deltaTrades(book.holdings, targets.weights, book.prices, EQUITY, DELTA);
  return targets.fallback ? { trades, fallback: targets.fallback } : { trades };
}

/** The anchor: the same 500 momentum pairs blended, sorted, top 20 at equal weight in whole units. */
function anchor(book: Book): number {
  const n = book.mom20.length;
  const key = new Float64Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    const a = book.mom20[i]!;
    const b = book.mom60[i]!;
    key[i] = Number.isNaN(a) ? (Number.isNaN(b) ? -Infinity : b) : Number.isNaN(b) ? a : (a + b) / 2;
  }
  order.sort((x, y) => key[y]! - key[x]!);
  let units = 0;
  for (let k = 0; k < TOP_N; k++) {
    const asset = book.inputs[order[k]!]!.asset;
    units += Math.floor(EQUITY / TOP_N / book.prices[asset]!);
  }
  return units;
}

/** Milliseconds of each pass over `rounds` interleaved rounds after a warm-up round: best, median, worst. */
function measure(
  passes: readonly (() => unknown)[],
  rounds: number,
): { best: number; median: number; worst: number }[] {
  for (const pass of passes) pass();
  const times = passes.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    passes.forEach((pass, i) => {
      const t0 = performance.now();
      pass();
      times[i]!.push(performance.now() - t0);
    });
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return { best: t[0]!, median: t[Math.floor(t.length / 2)]!, worst: t.at(-1)! };
  });
}

/** The portfolio section of `npm run bench`: the rebalance per method against the anchor, then the screener. */
export function benchPortfolio(data: Dataset, opts: { quick: boolean }): PortfolioVerdict[] {
  const t0 = performance.now();
  const book = buildBook(data);
  const buildMs = performance.now() - t0;
  const methods: WeightMethod[] = ['equal', 'inverse_vol', 'min_variance', 'vol_target'];
  const rounds = opts.quick ? 5 : 21;
  const load = loadavg()[0]!;
  const [anchorT, ...rest] = measure(
    [
      () => anchor(book),
      ...methods.map((m) => () => rebalance(book, m)),
      () => opportunityPool(book.screener, DEFAULT_SCREENER),
    ],
    rounds,
  );
  const screenT = rest.pop()!;
  console.log(
    `${book.inputs.length} assets of the S&P set on ${book.date}, ${HISTORY} days of returns each, ` +
      `${book.holdings.length} held; inputs built in ${ms(buildMs)} (not timed). ${rounds} rounds after a warm-up, ` +
      `load average ${load.toFixed(2)} before timing, ${loadavg()[0]!.toFixed(2)} after.\n`,
  );
  const rows = methods.map((m, i) => {
    const t = rest[i]!;
    const { trades, fallback } = rebalance(book, m);
    const count = (side: DeltaTrade['side']) => trades.filter((x) => x.side === side).length;
    return {
      method: m,
      t,
      fallback,
      cells: [
        `score → ${m} → delta trades`,
        num(t.best),
        num(t.median),
        num(t.worst),
        ratio(t.median / anchorT!.median),
        `${count('SELL')}/${count('BUY')}/${count('HOLD')}`,
        fallback ?? '',
      ],
    };
  });
  console.log(
    table(
      ['pass', 'best ms', 'median ms', 'worst ms', 'median/anchor', 'SELL/BUY/HOLD', 'fallback'],
      [
        [
          'anchor: plain loop, sort, top 20',
          num(anchorT!.best),
          num(anchorT!.median),
          num(anchorT!.worst),
          '1x',
          '',
          '',
        ],
        ...rows.map((r) => r.cells),
        [
          'opportunity pool (screener), 500 assets',
          num(screenT.best),
          num(screenT.median),
          num(screenT.worst),
          ratio(screenT.median / anchorT!.median),
          '',
          '',
        ],
      ],
      ['left', 'right', 'right', 'right', 'right', 'left', 'left'],
    ),
  );
  const verdict = (label: string, group: WeightMethod[]): PortfolioVerdict => {
    const chosen = rows.filter((r) => group.includes(r.method));
    const limit = TARGET_MS[group[0]!];
    return {
      target: `500 assets → score → top-20 ${label} → delta trades < ${limit} ms`,
      result: chosen
        .map((r) => `${r.method} median ${num(r.t.median)} ms (worst ${num(r.t.worst)} ms)`)
        .join(', '),
      pass: chosen.every((r) => r.t.median < limit && !r.fallback),
    };
  };
  return [
    verdict('equal weight', ['equal', 'inverse_vol']),
    verdict('optimizer', ['min_variance', 'vol_target']),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  if (!existsSync(SP500_CSV)) {
    console.log(`${SP500_CSV} is missing: the portfolio bench needs ../shared/data.`);
    process.exit(0);
  }
  for (const v of benchPortfolio(loadSp500(), { quick: args.quick }))
    console.log(`${v.pass ? 'PASS' : 'MISS'}  ${v.target}: ${v.result}`);
}
