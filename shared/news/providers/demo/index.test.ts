import { describe, expect, it } from 'vitest';
import { DEMO_UNIVERSE } from '../../../providers/demo/universe.ts';
import { createDemoNewsProvider, demoNewsFor } from './index.ts';

function correlation(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

// The headline words the generator's tone buckets use, read back from the title alone.
const POSITIVE =
  /beats|upgrade|surge|raises|wins|jumps|higher|upside|expands|gains|solid|positive|rallies|soars|bullish|growth|rises|recovers|adds|succeeds|launches/i;
const NEGATIVE =
  /slip|trims|warns|pressure|weaken|worry|misses|downgrade|plunge|probe|cuts|suspends|cools|cautious|weakens|complain|falls|tumbles|sue|outage|crashes|sinks|hack|takes profits/i;

describe('demo news', () => {
  it('is deterministic and covers every demo asset of a type', async () => {
    const provider = createDemoNewsProvider();
    const symbols = DEMO_UNIVERSE.filter((a) => a.assetType === 'equity').map((a) => a.symbol);
    const req = { assetType: 'equity' as const, symbols, from: '2024-03-01', to: '2024-03-31' };
    const a = await provider.fetchNews(req);
    const b = await createDemoNewsProvider().fetchNews(req);
    expect(a).toEqual(b);
    expect(a.errors).toEqual([]);
    expect(new Set(a.items.map((i) => i.tickers[0]!.symbol))).toEqual(new Set(symbols));
    expect(new Set(a.items.map((i) => i.providerId)).size).toBe(a.items.length);
    for (const item of a.items) {
      expect(item.publishedAt.slice(0, 10) >= req.from && item.publishedAt.slice(0, 10) <= req.to).toBe(true);
    }
    // A narrower window gives the same items of its days.
    const narrow = await provider.fetchNews({ ...req, from: '2024-03-10', to: '2024-03-12' });
    expect(narrow.items).toEqual(
      a.items.filter((i) => i.publishedAt >= '2024-03-10' && i.publishedAt < '2024-03-13'),
    );
  });

  it('has no news, and no error, for symbols outside the demo universe', async () => {
    const result = await createDemoNewsProvider().fetchNews({
      assetType: 'crypto',
      symbols: ['NOPE'],
      from: '2024-03-01',
      to: '2024-03-10',
    });
    expect(result).toEqual({ items: [], errors: [], requests: 0, quotaExhausted: false });
  });

  it('gives headlines whose tone follows later returns weakly (correlation 0.15-0.4), readable from their words', () => {
    const tone: number[] = [];
    const forward: number[] = [];
    const read: number[] = [];
    for (const asset of DEMO_UNIVERSE.filter((a) => a.assetType === 'equity').slice(0, 30)) {
      for (const item of demoNewsFor(asset, '2023-06-01', '2024-05-31')) {
        if (!Number.isFinite(item.forward)) continue;
        tone.push(item.tone);
        forward.push(item.forward);
        read.push(POSITIVE.test(item.title) ? 1 : NEGATIVE.test(item.title) ? -1 : 0);
      }
    }
    expect(tone.length).toBeGreaterThan(2_500);
    const latent = correlation(tone, forward);
    expect(latent).toBeGreaterThan(0.2);
    expect(latent).toBeLessThan(0.4);
    // What a reader of the headline alone gets: useful, far from perfect.
    const fromWords = correlation(read, forward);
    expect(fromWords).toBeGreaterThan(0.12);
    expect(fromWords).toBeLessThan(0.35);
  });
});
