import { describe, expect, it } from 'vitest';
import { isTradingDay, tradingDays } from '../../calendar/index.ts';
import type { AssetType, RawBar } from '../../domain/market.ts';
import { validateBar } from '../validate.ts';
import { createDemoMarket, DEMO_ORIGIN } from './generate.ts';
import { createDemoProvider } from './index.ts';
import { DEMO_UNIVERSE } from './universe.ts';

const TO = '2026-11-22';

const fetch = async (assetType: AssetType, symbols: string[], from: string, to: string) =>
  (await createDemoProvider().fetchDailyBars({ assetType, symbols, from, to })).bars;

function annualisedVol(bars: RawBar[], periodsPerYear: number): number {
  const r = bars.slice(1).map((b, i) => Math.log(b.close / bars[i]!.close));
  const mean = r.reduce((s, x) => s + x, 0) / r.length;
  return Math.sqrt((r.reduce((s, x) => s + (x - mean) ** 2, 0) / r.length) * periodsPerYear);
}

function sma(values: number[], n: number, end: number): number {
  let sum = 0;
  for (let i = end - n + 1; i <= end; i++) sum += values[i]!;
  return sum / n;
}

/** Wilder's RSI(14) for each bar from the 15th on. */
function rsi14(closes: number[]): number[] {
  let gain = 0;
  let loss = 0;
  const out: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    const d = closes[i]! - closes[i - 1]!;
    const [g, l] = [Math.max(d, 0), Math.max(-d, 0)];
    gain = i <= 14 ? gain + g / 14 : (gain * 13 + g) / 14;
    loss = i <= 14 ? loss + l / 14 : (loss * 13 + l) / 14;
    if (i >= 14) out.push(100 - 100 / (1 + gain / loss));
  }
  return out;
}

describe('demo universe', () => {
  it('lists 30 crypto assets and 61 equities (60 stocks with exchange and sector, plus SPY)', async () => {
    const provider = createDemoProvider();
    const crypto = (await provider.listAssets?.('crypto')) ?? [];
    const equities = (await provider.listAssets?.('equity')) ?? [];
    expect(crypto).toHaveLength(30);
    expect(equities).toHaveLength(61);
    expect(crypto[0]).toEqual({ symbol: 'BTC', assetType: 'crypto', name: 'Bitcoin' });
    const stocks = equities.filter((a) => a.symbol !== 'SPY');
    expect(stocks.every((a) => ['NASDAQ', 'NYSE'].includes(a.exchange ?? '') && a.sector)).toBe(true);
    expect(equities.find((a) => a.symbol === 'SPY')?.name).toBe('SPDR S&P 500 ETF Trust');
  });

  it('reports symbols outside the universe of the requested market', async () => {
    const result = await createDemoProvider().fetchDailyBars({
      assetType: 'equity',
      symbols: ['AAPL', 'BTC', 'NOPE'],
      from: '2024-01-02',
      to: '2024-01-02',
    });
    expect(result.bars.map((b) => b.symbol)).toEqual(['AAPL']);
    expect(result.errors.map((e) => e.symbol)).toEqual(['BTC', 'NOPE']);
  });
});

describe('determinism', () => {
  it('gives the same bar for a date whether asked alone or within a range', async () => {
    const [alone] = await fetch('crypto', ['ETH'], '2025-06-15', '2025-06-15');
    const range = await fetch('crypto', ['ETH'], DEMO_ORIGIN, TO);
    expect(alone).toEqual(range.find((b) => b.date === '2025-06-15'));
  });

  it('does not depend on request order or on how far the cache has grown', async () => {
    const market = createDemoMarket();
    const aapl = DEMO_UNIVERSE.find((a) => a.symbol === 'AAPL')!;
    const late = market.bars(aapl, '2026-01-02', '2026-01-09');
    const early = market.bars(aapl, '2023-06-01', '2023-06-30');
    const fresh = createDemoMarket();
    expect(fresh.bars(aapl, '2023-06-01', '2023-06-30')).toEqual(early);
    expect(fresh.bars(aapl, '2026-01-02', '2026-01-09')).toEqual(late);
  });

  it('pins two bars, so a change to the generator that moves history is noticed', async () => {
    expect(await fetch('crypto', ['BTC'], '2026-11-22', '2026-11-22')).toEqual([
      {
        symbol: 'BTC',
        date: '2026-11-22',
        open: 30303.59,
        high: 30724.64,
        low: 30241.02,
        close: 30555.38,
        volume: 408693.1225,
      },
    ]);
    expect(await fetch('equity', ['AAPL'], '2026-11-20', '2026-11-20')).toEqual([
      {
        symbol: 'AAPL',
        date: '2026-11-20',
        open: 249.63,
        high: 256.61,
        low: 244.77,
        close: 253.91,
        volume: 68727550,
      },
    ]);
  });

  it('returns nothing before the origin and copies, not its cache', async () => {
    expect(await fetch('crypto', ['BTC'], '2022-01-01', '2023-01-01')).toEqual([]);
    const provider = createDemoProvider();
    const req = { assetType: 'crypto' as const, symbols: ['BTC'], from: DEMO_ORIGIN, to: DEMO_ORIGIN };
    const [first] = (await provider.fetchDailyBars(req)).bars;
    first!.close = -1;
    expect((await provider.fetchDailyBars(req)).bars[0]!.close).toBeGreaterThan(0);
  });
});

describe(`the whole universe from ${DEMO_ORIGIN} to ${TO}`, () => {
  const market = createDemoMarket();
  const series = DEMO_UNIVERSE.map((asset) => ({ asset, bars: market.bars(asset, DEMO_ORIGIN, TO) }));

  it('passes validateBar on every bar', () => {
    const invalid = series.flatMap(({ bars }) => bars.filter((b) => validateBar(b) !== null));
    expect(invalid).toEqual([]);
  });

  it('has equity bars on exactly the NYSE trading days and crypto bars on every day', () => {
    const equityDays = tradingDays('equity', DEMO_ORIGIN, TO);
    const everyDay = tradingDays('crypto', DEMO_ORIGIN, TO);
    for (const { asset, bars } of series) {
      expect(bars.map((b) => b.date)).toEqual(asset.assetType === 'equity' ? equityDays : everyDay);
    }
    expect(isTradingDay('equity', DEMO_ORIGIN)).toBe(false); // 2023-01-02: New Year observed
  });

  it('opens crypto days at the previous close and equity days near it', () => {
    const jumps: string[] = [];
    for (const { asset, bars } of series) {
      for (let i = 1; i < bars.length; i++) {
        const [prev, bar] = [bars[i - 1]!, bars[i]!];
        const gap = Math.abs(Math.log(bar.open / prev.close));
        if (asset.assetType === 'crypto' ? bar.open !== prev.close : gap > 0.35) {
          jumps.push(`${bar.symbol} ${bar.date}`);
        }
      }
    }
    expect(jumps).toEqual([]);
  });

  it('has plausible volatility and price levels', () => {
    for (const { asset, bars } of series) {
      const vol = annualisedVol(bars, asset.assetType === 'crypto' ? 365 : 252);
      const [lo, hi] = asset.assetType === 'crypto' ? [0.4, 1.3] : [0.1, 0.9];
      expect(vol, asset.symbol).toBeGreaterThan(lo);
      expect(vol, asset.symbol).toBeLessThan(hi);
      const closes = bars.map((b) => b.close);
      expect(Math.max(...closes) / Math.min(...closes), asset.symbol).toBeLessThan(20);
    }
    const btc = series.find((s) => s.asset.symbol === 'BTC')!.bars;
    expect(annualisedVol(btc, 365)).toBeGreaterThan(0.45);
    expect(annualisedVol(btc, 365)).toBeLessThan(0.9);
    expect(btc.every((b) => b.low > 3_000 && b.high < 250_000)).toBe(true);
  });

  it('produces the setups signals look for: RSI oversold, golden crosses, volume surges', () => {
    let oversold = 0;
    let goldenCrosses = 0;
    let volumeSurges = 0;
    for (const { bars } of series) {
      const closes = bars.map((b) => b.close);
      const volumes = bars.map((b) => b.volume);
      oversold += rsi14(closes).filter((r) => r < 30).length;
      for (let i = 200; i < bars.length; i++) {
        if (sma(closes, 50, i - 1) <= sma(closes, 200, i - 1) && sma(closes, 50, i) > sma(closes, 200, i)) {
          goldenCrosses++;
        }
        if (volumes[i]! > 2 * sma(volumes, 20, i - 1)) volumeSurges++;
      }
    }
    // About 100k bars: a few percent oversold, a golden cross per asset every year or two.
    expect(oversold).toBeGreaterThan(2_000);
    expect(goldenCrosses).toBeGreaterThan(100);
    expect(volumeSurges).toBeGreaterThan(500);
  });
});
