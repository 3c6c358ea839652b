import { addDays } from '../../../calendar/index.ts';
import type { AssetType, RawBar } from '../../../domain/market.ts';
import { createDemoMarket, createRng, type Rng } from '../../../providers/demo/generate.ts';
import { DEMO_UNIVERSE, type DemoAsset } from '../../../providers/demo/universe.ts';
import type { NewsItem, NewsProvider, NewsRequest, NewsResult } from '../../types.ts';

/**
 * How strongly a demo headline's tone follows the asset's next FORWARD_BARS returns: the tone is
 * TONE_RHO × the standardised forward return + √(1 − TONE_RHO²) × noise, so sentiment is measurably
 * useful (correlation about 0.25) and far from perfect.
 */
const TONE_RHO = 0.3;
const FORWARD_BARS = 5;
const VOL_BARS = 60;

type Tone = 'strong_positive' | 'positive' | 'neutral' | 'negative' | 'strong_negative';

// Six or more headlines per tone, taken in turn, so one ticker never gets the same template twice
// in three days (the deduplicator would rightly merge identical headlines). `{n}` is the name,
// `{x}` a number and `{usd}` a dollar amount (a price target follows the price), so templated copies of different stories differ.
const HEADLINES: Record<AssetType, Record<Tone, readonly string[]>> = {
  equity: {
    strong_positive: [
      '{n} beats estimates and raises full-year guidance',
      'Analysts upgrade {n} to buy, lift price target to {usd}',
      '{n} shares surge after record quarterly revenue',
      '{n} raises dividend by {x}% on strong cash flow',
      '{n} wins major contract worth {usd} million',
      '{n} profit jumps as demand beats expectations',
    ],
    positive: [
      '{n} shares edge higher on upbeat outlook',
      'Broker sees upside for {n}, price target {usd}',
      '{n} expands buyback program by {usd} million',
      '{n} gains as analysts turn more optimistic',
      '{n} reports solid growth in key segment',
      '{n} launches new product line to positive reviews',
    ],
    neutral: [
      '{n} to present at industry conference next week',
      '{n} schedules quarterly results call for day {x}',
      '{n} names new chief financial officer',
      '{n} files annual report with regulators',
      '{n} holds annual shareholder meeting, {x} proposals on ballot',
      '{n} completes previously announced debt offering',
    ],
    negative: [
      '{n} shares slip as analysts turn cautious',
      'Broker trims {n} price target to {usd}',
      '{n} warns of softer demand in coming quarter',
      '{n} faces higher costs, margins under pressure',
      '{n} delays product launch, shares weaken',
      'Investors worry about slowing growth at {n}',
    ],
    strong_negative: [
      '{n} misses estimates and cuts guidance',
      'Analysts downgrade {n} to sell, price target {usd}',
      '{n} shares plunge after weak quarterly results',
      '{n} faces regulatory probe, shares tumble',
      '{n} announces {x}% job cuts amid falling sales',
      '{n} suspends dividend after loss widens',
    ],
  },
  crypto: {
    strong_positive: [
      '{n} rallies as institutional inflows surge',
      '{n} surges to a {x}-day high on strong demand',
      'Major exchange adds {n} futures, traders bullish',
      '{n} network upgrade succeeds, activity jumps {x}%',
      'Fund launches {n} product after regulatory approval',
      '{n} soars as adoption beats expectations',
    ],
    positive: [
      '{n} edges higher as sentiment improves',
      '{n} developers report {x}% growth in active users',
      'Analysts see upside for {n} after steady gains',
      '{n} gains on new partnership announcement',
      '{n} trading volume rises {x}% as buyers return',
      '{n} recovers as market mood brightens',
    ],
    neutral: [
      '{n} developers schedule network call for day {x}',
      '{n} foundation publishes quarterly report',
      '{n} trades sideways ahead of policy meeting',
      '{n} community votes on {x} governance proposals',
      'Exchange lists new {n} trading pair',
      '{n} validators complete routine maintenance',
    ],
    negative: [
      '{n} slips as traders take profits',
      '{n} outflows rise {x}% as sentiment cools',
      'Analysts turn cautious on {n} after weak week',
      '{n} weakens amid regulatory uncertainty',
      '{n} network fees spike, users complain',
      '{n} falls as large holders move coins to exchanges',
    ],
    strong_negative: [
      '{n} plunges after exchange hack',
      '{n} tumbles {x}% as liquidations mount',
      'Regulators sue {n} developers, token slumps',
      '{n} network outage halts transactions',
      '{n} crashes as major fund liquidates holdings',
      '{n} sinks to a {x}-day low on heavy selling',
    ],
  },
};

const SUMMARIES: Record<Tone, string> = {
  strong_positive:
    'The news was received very well; analysts called the results strong and the outlook improved.',
  positive: 'Analysts were mildly positive and expect gradual improvement.',
  neutral: 'The announcement was routine and analysts expect little effect.',
  negative: 'Analysts were cautious and see some risk to the outlook.',
  strong_negative: 'The news disappointed investors; analysts warned of weak results and a worse outlook.',
};

function toneOf(z: number): Tone {
  if (z > 1.1) return 'strong_positive';
  if (z > 0.4) return 'positive';
  if (z >= -0.4) return 'neutral';
  if (z >= -1.1) return 'negative';
  return 'strong_negative';
}

/** A demo item with the tone the generator gave it (tests measure how it relates to later returns). */
export interface DemoNewsItem extends NewsItem {
  /** The latent tone the headline was drawn from (standard normal scale). */
  tone: number;
  /** The standardised forward return the tone was correlated with (NaN where the history is too short). */
  forward: number;
}

const DAY_MS = 86_400_000;

// About 0.4 articles per asset and weekday: enough for daily sentiment on most days while the demo's
// two years of history stay quick to seed and score on the first start.
function articlesOn(rng: Rng, assetType: AssetType, date: string): number {
  const weekend = [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
  const u = rng.uniform();
  if (assetType === 'equity' && weekend) return u < 0.05 ? 1 : 0;
  return u < 0.68 ? 0 : u < 0.92 ? 1 : 2;
}

/** Standardised forward return after `date`: the next FORWARD_BARS log return over the trailing daily volatility × √FORWARD_BARS. */
function forwardReturn(bars: readonly RawBar[], date: string): number {
  let i = bars.findIndex((b) => b.date > date) - 1;
  if (i < 0) i = bars.length - 1;
  if (i < VOL_BARS || i + FORWARD_BARS >= bars.length) return Number.NaN;
  let sum = 0;
  let sq = 0;
  for (let k = i - VOL_BARS + 1; k <= i; k++) {
    const r = Math.log(bars[k]!.close / bars[k - 1]!.close);
    sum += r;
    sq += r * r;
  }
  const vol = Math.sqrt(Math.max(sq / VOL_BARS - (sum / VOL_BARS) ** 2, 1e-12));
  return Math.log(bars[i + FORWARD_BARS]!.close / bars[i]!.close) / (vol * Math.sqrt(FORWARD_BARS));
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Demo news for one asset, published on the days from..to (UTC): 0-2 articles a day (equities rarely
 * at weekends), each at a deterministic time between 11:00 and 23:59 UTC (some after the New York
 * close), a headline whose tone follows the asset's later returns weakly (TONE_RHO), and now and then
 * a sector peer named too. The same asset and day always give the same items.
 */
export function demoNewsFor(
  asset: DemoAsset,
  from: string,
  to: string,
  market = createDemoMarket(),
): DemoNewsItem[] {
  const bars = market.bars(asset, addDays(from, -2 * VOL_BARS), addDays(to, 3 * FORWARD_BARS));
  const peers = DEMO_UNIVERSE.filter(
    (a) => a.assetType === asset.assetType && a.sector === asset.sector && a.symbol !== asset.symbol,
  );
  const items: DemoNewsItem[] = [];
  const dayNumber = (d: string) => Math.round(Date.parse(`${d}T00:00:00Z`) / DAY_MS);
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const rng = createRng(`news:${asset.assetType}:${asset.symbol}:${date}`);
    const n = articlesOn(rng, asset.assetType, date);
    const forward = forwardReturn(bars, date);
    for (let k = 0; k < n; k++) {
      const noise = rng.normal();
      const tone = Number.isFinite(forward)
        ? TONE_RHO * Math.max(-3, Math.min(3, forward)) + Math.sqrt(1 - TONE_RHO ** 2) * noise
        : noise;
      const bucket = toneOf(tone);
      const templates = HEADLINES[asset.assetType][bucket];
      const template = templates[(dayNumber(date) * 2 + k) % templates.length]!;
      const price = bars.findLast((b) => b.date <= date)?.close ?? asset.price;
      const x = template.includes('target')
        ? Math.round(price * (1 + 0.1 * tone))
        : Math.round(2 + 28 * rng.uniform());
      const title = template
        .replace('{n}', asset.name ?? asset.symbol)
        .replace('{x}', String(x))
        .replace('{usd}', `$${x}`);
      const minute = 11 * 60 + Math.floor(rng.uniform() * 13 * 60);
      const publishedAt = new Date(Date.parse(`${date}T00:00:00Z`) + minute * 60_000).toISOString();
      const peer =
        peers.length > 0 && rng.uniform() < 0.1 ? peers[Math.floor(rng.uniform() * peers.length)] : undefined;
      const id = `${asset.symbol}-${date}-${k}`;
      items.push({
        source: 'demo',
        providerId: id,
        url: `https://news.demo.stratos.local/${asset.assetType}/${slug(id)}/${slug(title)}`,
        title,
        summary: `${title}. ${SUMMARIES[bucket]}`,
        body: null,
        publishedAt,
        dateOnly: false,
        publisher: 'Stratos Demo Wire',
        tickers: [
          { symbol: asset.symbol, sentiment: null, matchScore: 1 },
          ...(peer ? [{ symbol: peer.symbol, sentiment: null, matchScore: 0.3 }] : []),
        ],
        tone,
        forward,
      });
    }
  }
  return items;
}

/** The offline demo news source: generated articles for the demo universe, no keys, no network. */
export function createDemoNewsProvider(): NewsProvider {
  const market = createDemoMarket();
  const assets: Record<AssetType, Map<string, DemoAsset>> = { crypto: new Map(), equity: new Map() };
  for (const asset of DEMO_UNIVERSE) assets[asset.assetType].set(asset.symbol, asset);
  return {
    id: 'demo',
    description:
      'Offline demo news: generated headlines for the demo universe, tone weakly related to later returns',
    assetTypes: ['crypto', 'equity'],
    async fetchNews(req: NewsRequest): Promise<NewsResult> {
      const result: NewsResult = { items: [], errors: [], requests: 0, quotaExhausted: false };
      // An asset outside the demo universe simply has no demo news: no news is not a failure.
      for (const symbol of req.symbols) {
        const asset = assets[req.assetType].get(symbol.toUpperCase());
        if (!asset) continue;
        for (const { tone: _tone, forward: _forward, ...item } of demoNewsFor(
          asset,
          req.from,
          req.to,
          market,
        )) {
          result.items.push(item);
        }
      }
      return result;
    },
  };
}
