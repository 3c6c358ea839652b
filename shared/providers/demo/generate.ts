import { addDays, tradingDays } from '../../calendar/index.ts';
import type { AssetType, RawBar } from '../../domain/market.ts';
import type { DemoAsset } from './universe.ts';

/**
 * The date of every demo series' first bar. Series always grow forward from here with one random
 * stream per symbol, so a (symbol, date) bar never depends on the requested range or on "today".
 */
export const DEMO_ORIGIN = '2023-01-02';

/** How one market behaves; volatilities and drifts are annualised. */
interface MarketModel {
  periodsPerYear: number;
  /** Volatility of the common market factor. */
  factorVol: number;
  /** GARCH(1,1) reaction and persistence, for the factor and for each asset's own shocks. */
  garch: { alpha: number; beta: number };
  /** Factor drift in bull, bear and sideways regimes, and the daily chance of a regime change. */
  regimeDrifts: readonly number[];
  regimeSwitch: number;
  /** Asset trends (the moves that make golden crosses): daily chance of a new trend and its scale. */
  trendSwitch: number;
  trendScale: number;
  /** Daily chance of a jump (news, earnings) and its size in daily standard deviations. */
  jumpChance: number;
  jumpSize: number;
  /** Daily pull of log price towards the asset's long-run path, so levels stay plausible for years. */
  reversion: number;
}

const MODELS: Record<AssetType, MarketModel> = {
  crypto: {
    periodsPerYear: 365,
    factorVol: 0.5,
    garch: { alpha: 0.09, beta: 0.88 },
    regimeDrifts: [0.9, -0.7, 0],
    regimeSwitch: 1 / 120,
    trendSwitch: 1 / 75,
    trendScale: 0.9,
    jumpChance: 1 / 45,
    jumpSize: 3,
    reversion: 1 / 300,
  },
  equity: {
    periodsPerYear: 252,
    factorVol: 0.15,
    garch: { alpha: 0.07, beta: 0.9 },
    regimeDrifts: [0.25, -0.3, 0.05],
    regimeSwitch: 1 / 100,
    trendSwitch: 1 / 60,
    trendScale: 0.35,
    jumpChance: 1 / 63,
    jumpSize: 3.5,
    reversion: 1 / 250,
  },
};

// Typical (annualised volatility, market beta) of an altcoin and of a stock by GICS sector.
const CRYPTO_PROFILE: [number, number] = [0.8, 1.1];
const SECTOR_PROFILE: Record<string, [number, number]> = {
  'Information Technology': [0.33, 1.25],
  'Communication Services': [0.3, 1.05],
  'Consumer Discretionary': [0.32, 1.15],
  'Consumer Staples': [0.2, 0.6],
  'Health Care': [0.25, 0.75],
  Financials: [0.27, 1.1],
  Energy: [0.3, 0.9],
  Industrials: [0.28, 1.0],
  Utilities: [0.22, 0.5],
  'Real Estate': [0.27, 0.9],
  Materials: [0.34, 1.15],
};

/** A seeded random source: uniform in [0, 1) and standard normal. */
export type Rng = { uniform(): number; normal(): number };

/** mulberry32 seeded with FNV-1a of a label: tiny, fast, and identical on every runtime. */
export function createRng(label: string): Rng {
  let seed = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) seed = Math.imul(seed ^ label.charCodeAt(i), 0x01000193);
  const uniform = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  // Box-Muller; 1 - u keeps the logarithm finite.
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** The trading days of one market with the common factor's daily log return and variance on each. */
interface Timeline {
  dates: string[];
  weekend: boolean[];
  factorReturn: number[];
  factorVariance: number[];
  extendTo(to: string): void;
}

function createTimeline(assetType: AssetType): Timeline {
  const model = MODELS[assetType];
  const rng = createRng(`demo-factor:${assetType}`);
  const longRunVariance = model.factorVol ** 2 / model.periodsPerYear;
  const { alpha, beta } = model.garch;
  let variance = longRunVariance;
  let regime = 0;
  const timeline: Timeline = {
    dates: [],
    weekend: [],
    factorReturn: [],
    factorVariance: [],
    extendTo(to) {
      const last = timeline.dates.at(-1);
      for (const date of tradingDays(assetType, last ? addDays(last, 1) : DEMO_ORIGIN, to)) {
        if (rng.uniform() < model.regimeSwitch) {
          regime = Math.floor(rng.uniform() * model.regimeDrifts.length);
        }
        const shock = Math.sqrt(variance) * rng.normal();
        timeline.dates.push(date);
        timeline.weekend.push([0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()));
        timeline.factorReturn.push(model.regimeDrifts[regime]! / model.periodsPerYear + shock);
        timeline.factorVariance.push(variance);
        variance = longRunVariance * (1 - alpha - beta) + alpha * shock ** 2 + beta * variance;
      }
    },
  };
  return timeline;
}

function decimalsFor(asset: DemoAsset): number {
  // Equities tick in cents; crypto quotes keep about five significant digits, like exchanges do.
  return asset.assetType === 'equity' ? 2 : Math.max(2, 4 - Math.floor(Math.log10(asset.price)));
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** One asset's bars, generated day by day from the origin and extended on demand. */
interface Series {
  bars: RawBar[];
  extendTo(to: string): void;
}

function createSeries(asset: DemoAsset, timeline: Timeline): Series {
  const model = MODELS[asset.assetType];
  const ppy = model.periodsPerYear;
  const params = createRng(`demo-params:${asset.symbol}`);
  const rng = createRng(`demo-bars:${asset.symbol}`);
  const [typicalVol, typicalBeta] =
    asset.assetType === 'crypto' ? CRYPTO_PROFILE : (SECTOR_PROFILE[asset.sector ?? ''] ?? [0.3, 1]);
  const vol =
    asset.volatility ?? typicalVol + (params.uniform() - 0.5) * (asset.assetType === 'crypto' ? 0.2 : 0.1);
  const marketBeta = asset.beta ?? typicalBeta + (params.uniform() - 0.5) * 0.4;
  // The asset's own variance makes up what the market factor leaves of its total volatility;
  // jumps take their expected share of it, the GARCH diffusion the rest.
  const ownVariance = Math.max(vol ** 2 - (marketBeta * model.factorVol) ** 2, (vol / 4) ** 2) / ppy;
  const diffusionVariance = ownVariance / (1 + model.jumpChance * model.jumpSize ** 2);
  const growth = asset.assetType === 'crypto' ? -0.05 + params.uniform() * 0.4 : params.uniform() * 0.14;
  const decimals = decimalsFor(asset);
  const tick = 10 ** -decimals;
  const baseVolume = (asset.dollarVolume * 1e6) / asset.price;
  const { alpha, beta } = model.garch;

  let variance = diffusionVariance;
  let trend = 0;
  let volumeMood = 0;
  let close = round(asset.price, decimals);
  const series: Series = {
    bars: [],
    extendTo(to) {
      timeline.extendTo(to);
      for (let i = series.bars.length; i < timeline.dates.length; i++) {
        if (rng.uniform() < model.trendSwitch) trend = (rng.normal() * model.trendScale) / ppy;
        const daySigma = Math.sqrt(marketBeta ** 2 * timeline.factorVariance[i]! + variance);
        const jump =
          rng.uniform() < model.jumpChance ? rng.normal() * model.jumpSize * Math.sqrt(ownVariance) : 0;
        const shock = Math.sqrt(variance) * rng.normal();
        const anchor = Math.log(asset.price) + (growth * i) / ppy;
        const logReturn =
          growth / ppy +
          trend +
          marketBeta * timeline.factorReturn[i]! +
          shock +
          jump -
          model.reversion * (Math.log(close) - anchor);
        variance = diffusionVariance * (1 - alpha - beta) + alpha * shock ** 2 + beta * variance;

        // Crypto trades around the clock, so a day opens at the last close; equities gap overnight,
        // mostly in the day's direction and with most of any news jump.
        const gap =
          asset.assetType === 'crypto'
            ? 0
            : 0.25 * (logReturn - jump) + 0.8 * jump + 0.2 * daySigma * rng.normal();
        const open = Math.max(tick, round(close * Math.exp(gap), decimals));
        const next = Math.max(tick, round(close * Math.exp(logReturn), decimals));
        const top = Math.max(open, next);
        const bottom = Math.min(open, next);
        const wickUp = Math.exp(0.5 * daySigma * Math.abs(rng.normal()));
        const wickDown = Math.exp(-0.5 * daySigma * Math.abs(rng.normal()));
        const high = Math.max(top, round(top * wickUp, decimals));
        const low = Math.min(bottom, Math.max(tick, round(bottom * wickDown, decimals)));

        // Volume: an asset level, a slowly wandering mood, more on big moves and news, less on weekends.
        volumeMood = 0.97 * volumeMood + 0.06 * rng.normal();
        const logVolume =
          Math.log(baseVolume) +
          volumeMood +
          0.5 * (Math.abs(logReturn) / daySigma - 0.8) +
          (jump !== 0 ? 0.7 : 0) +
          (timeline.weekend[i] ? -0.35 : 0) +
          0.25 * rng.normal();
        const volume = round(Math.exp(logVolume), asset.assetType === 'crypto' ? 4 : 0);

        series.bars.push({
          symbol: asset.symbol,
          date: timeline.dates[i]!,
          open,
          high,
          low,
          close: next,
          volume,
        });
        close = next;
      }
    },
  };
  return series;
}

/** The demo market's bar source: one timeline per market and one lazily grown series per asset. */
export interface DemoMarket {
  /** Bars of a universe asset from `from` to `to` inclusive, oldest first; none before DEMO_ORIGIN. */
  bars(asset: DemoAsset, from: string, to: string): RawBar[];
}

/** Creates a demo market with its own in-memory cache; every instance yields identical bars. */
export function createDemoMarket(): DemoMarket {
  const timelines: Record<AssetType, Timeline> = {
    crypto: createTimeline('crypto'),
    equity: createTimeline('equity'),
  };
  const cache = new Map<string, Series>();
  return {
    bars(asset, from, to) {
      let series = cache.get(asset.symbol);
      if (!series) {
        series = createSeries(asset, timelines[asset.assetType]);
        cache.set(asset.symbol, series);
      }
      series.extendTo(to);
      const { bars } = series;
      let lo = 0;
      let hi = bars.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (bars[mid]!.date < from) lo = mid + 1;
        else hi = mid;
      }
      const out: RawBar[] = [];
      for (let i = lo; i < bars.length && bars[i]!.date <= to; i++) out.push({ ...bars[i]! });
      return out;
    },
  };
}
