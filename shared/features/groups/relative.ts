import type { BarSeries } from '../../domain/market.ts';
import { rollingBeta, rollingCorrelation } from '../../indicators/beta/index.ts';
import { nanArray } from '../../indicators/rolling.ts';
import { defineGroup, difference, feature, logReturns, returns, universeFeature } from '../define.ts';

/** Return window of the benchmark-relative features. */
const WINDOW = 60;

/** Relative to the market: benchmark beta and correlation (per asset), and ranks across the universe (per day). */
export const relativeGroup = defineGroup(
  [
    feature(
      'beta_60',
      'relative',
      'ratio',
      WINDOW,
      'Beta to the benchmark (BTC for crypto, SPY for equities) over 60 daily log returns.',
    ),
    feature(
      'corr_60',
      'relative',
      'ratio -1-1',
      WINDOW,
      'Correlation with the benchmark (BTC for crypto, SPY for equities) over 60 daily log returns.',
    ),
    feature(
      'rel_strength_60',
      'relative',
      'fraction',
      WINDOW,
      "60-bar return minus the benchmark's 60-bar return: outperformance of the market.",
    ),
    universeFeature(
      'rank_ret_20',
      'relative',
      'percentile 0-1',
      20,
      'Percentile rank of the 20-bar return across the universe that day: 1 is the strongest.',
    ),
    universeFeature(
      'rank_ret_60',
      'relative',
      'percentile 0-1',
      60,
      'Percentile rank of the 60-bar return across the universe that day: 1 is the strongest.',
    ),
  ],
  (input) => {
    const { close } = input.bars;
    const bench = alignClose(input.bars, input.opts.benchmark);
    const assetRet = input.logReturns();
    const benchRet = logReturns(bench);
    return {
      beta_60: rollingBeta(assetRet, benchRet, WINDOW),
      corr_60: rollingCorrelation(assetRet, benchRet, WINDOW),
      rel_strength_60: difference(returns(close, WINDOW), returns(bench, WINDOW)),
    };
  },
);

/** The benchmark's close on each of the asset's dates (NaN where the benchmark has no bar). */
function alignClose(bars: BarSeries, benchmark: BarSeries | undefined): Float64Array {
  const out = nanArray(bars.dates.length);
  if (!benchmark) return out;
  const byDate = new Map<string, number>();
  for (let i = 0; i < benchmark.dates.length; i++) byDate.set(benchmark.dates[i]!, benchmark.close[i]!);
  for (let i = 0; i < bars.dates.length; i++) out[i] = byDate.get(bars.dates[i]!) ?? Number.NaN;
  return out;
}
