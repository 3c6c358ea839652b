import type { AssetType } from '../../shared/domain/market.ts';
import type { ReviewInput, ReviewSignal } from '../../shared/review/types.ts';
import { mulberry32 } from './random.ts';

// Test support: deterministic synthetic review inputs. Features are computed from the generated bars
// where that is cheap (ATR, SMA, bands, prior range), so levels and plans meet realistic numbers.

/** How a synthetic market behaves; everything not given is drawn from the seed. */
export interface SyntheticShape {
  assetType: AssetType;
  /** First close. */
  price: number;
  /** Mean log return per bar. */
  drift: number;
  /** Standard deviation of log returns per bar. */
  vol: number;
  bars: number;
  signals: ReviewSignal[];
  /** Applied over the computed features (null removes a value). */
  features: Record<string, number | null>;
}

const TEMPLATES: [string, ReviewSignal['direction']][] = [
  ['breakout_volume', 'bullish'],
  ['trend_breakdown', 'bearish'],
  ['rsi_oversold', 'bullish'],
  ['rsi_overbought', 'bearish'],
  ['golden_cross', 'bullish'],
  ['death_cross', 'bearish'],
  ['bb_squeeze', 'neutral'],
  ['macd_bullish_cross', 'bullish'],
  ['custom_9_gap', 'bearish'],
];

/** One synthetic asset-day; `seed` fixes every value not set in `shape`. */
export function syntheticInput(seed: number, shape: Partial<SyntheticShape> = {}): ReviewInput {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const price = shape.price ?? 10 ** (rand() * 4);
  const drift = shape.drift ?? (rand() - 0.5) * 0.006;
  const vol = shape.vol ?? 0.005 + rand() * 0.04;
  const n = shape.bars ?? 60;

  const bars: ReviewInput['bars'] = [];
  let close = price;
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    const open = close * Math.exp(vol * 0.3 * gauss());
    close = open * Math.exp(drift + vol * gauss());
    const wick = () => 1 + Math.abs(gauss()) * vol * 0.5;
    bars.push({
      date: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
      open,
      high: Math.max(open, close) * wick(),
      low: Math.min(open, close) / wick(),
      close,
      volume: Math.round(1e6 * (0.3 + rand())),
    });
  }

  const signals =
    shape.signals ??
    TEMPLATES.filter(() => rand() < 0.3).map(([template, direction]) => ({
      template,
      direction,
      strength: Math.round(rand() * 1000) / 10,
      evidence: {
        close: bars.at(-1)?.close ?? null,
        rsi_14: Math.round(rand() * 1000) / 10,
        confirmed: rand() < 0.5,
      },
    }));

  return {
    asset: {
      id: seed,
      symbol: `SYN${seed}`,
      assetType: shape.assetType ?? (seed % 2 ? 'crypto' : 'equity'),
      name: null,
    },
    asOfDate: bars.at(-1)?.date ?? '2026-01-01',
    bars,
    features: { ...computedFeatures(bars, rand), ...shape.features },
    signals,
  };
}

function computedFeatures(bars: ReviewInput['bars'], rand: () => number): Record<string, number | null> {
  const closes = bars.map((b) => b.close);
  const last = closes.at(-1);
  if (last === undefined) return {};
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const trueRanges = bars
    .slice(1)
    .map((b, i) =>
      Math.max(b.high - b.low, Math.abs(b.high - bars[i]!.close), Math.abs(b.low - bars[i]!.close)),
    );
  const last20 = closes.slice(-20);
  const mid = mean(last20);
  const sd = Math.sqrt(mean(last20.map((c) => (c - mid) ** 2)));
  const prior = bars.slice(-21, -1);
  const logReturns = closes.slice(1).map((c, i) => Math.log(c / closes[i]!));
  const lr20 = logReturns.slice(-20);
  const lrMean = mean(lr20);
  return {
    atr_14: trueRanges.length >= 14 ? mean(trueRanges.slice(-14)) : null,
    sma_50: closes.length >= 50 ? mean(closes.slice(-50)) : null,
    sma_200: null,
    bb_upper_20: mid + 2 * sd,
    bb_middle_20: mid,
    bb_lower_20: mid - 2 * sd,
    prior_high_20: prior.length > 0 ? Math.max(...prior.map((b) => b.high)) : null,
    prior_low_20: prior.length > 0 ? Math.min(...prior.map((b) => b.low)) : null,
    rsi_14: Math.round(rand() * 1000) / 10,
    adx_14: Math.round(rand() * 500) / 10,
    vol_20: Math.sqrt(mean(lr20.map((r) => (r - lrMean) ** 2)) * 252),
    rvol_20: Math.round((0.2 + rand() * 2) * 100) / 100,
  };
}

/** A varied set: random markets plus the edges (no signals, tiny and huge prices, wild ATR, flat bars). */
export function syntheticInputs(): ReviewInput[] {
  const random40 = Array.from({ length: 40 }, (_, i) => syntheticInput(i + 1));
  const strong = (direction: ReviewSignal['direction'], template: string): ReviewSignal => ({
    template,
    direction,
    strength: 90,
    evidence: {},
  });
  return [
    ...random40,
    syntheticInput(101, { signals: [] }),
    syntheticInput(102, { price: 0.00002, signals: [strong('bullish', 'breakout_volume')] }),
    syntheticInput(103, { price: 65_000, signals: [strong('bearish', 'trend_breakdown')] }),
    syntheticInput(104, { signals: [strong('bullish', 'golden_cross')], features: { atr_14: null } }),
    syntheticInput(105, { signals: [strong('bearish', 'death_cross')], features: { atr_14: 1e9 } }),
    syntheticInput(106, {
      vol: 0,
      drift: 0,
      signals: [strong('bullish', 'rsi_oversold')],
      features: { atr_14: null },
    }),
    syntheticInput(107, { bars: 3, signals: [strong('bullish', 'breakout_volume')] }),
    syntheticInput(108, { signals: [strong('bullish', 'golden_cross'), strong('bearish', 'death_cross')] }),
    syntheticInput(109, { vol: 0.15, signals: [strong('bearish', 'rsi_overbought')] }),
  ];
}
