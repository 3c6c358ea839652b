// The weekly search's throughput over the real S&P set (../shared/data): `npm run bench -- --only search`.
// The snapshot is 1,000 ticker-series of HISTORY_BARS + 5 bars: the set's tickers complete over its last
// full window, and again over the window one week earlier (the set has ~500 tickers, the search samples
// 1,000). Measured: the full optimizer (cycles × 10 algorithms × 8 TPE variations, indicator kernels and
// thresholds over every ticker) against an anchor measured in the same run: a plain loop that picks the
// tickers whose last close rose and averages their next-session returns, over the same arrays.
import { loadavg } from 'node:os';
import { HISTORY_BARS, SIGNAL_DAYS } from '../../shared/search/algorithms/index.ts';
import { prepareDataset, type SearchDataset } from '../../shared/search/evaluate.ts';
import { runSearch } from '../../shared/search/optimize.ts';
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

/** Runs the section; returns its verdicts. */
export async function benchSearch(data: Dataset, options: { quick?: boolean }): Promise<SearchVerdict[]> {
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
      ],
      ['left', 'right', 'right', 'right', 'right'],
    ),
  );
  console.log(
    `  load average ${load.toFixed(1)} at the start (2 cores); best variation ${best.key}, score ${num(best.stats.score)}; kernel settings cached ${prepared.features.size}; anchor checksum ${num(sink)}`,
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
      target: 'full weekly search (200 cycles × 10 × 8 over 1,000 × 5) < 5 min (pruning not built yet)',
      result: ms(searchMs),
      pass: searchMs < FULL_SEARCH_TARGET_MS,
    });
  return verdicts;
}
