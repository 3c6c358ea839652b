import { describe, expect, it } from 'vitest';
import { type DedupEntry, NewsDeduper, textTokens } from './dedup.ts';

const T0 = Date.parse('2024-01-17T13:52:00Z');
const HOUR = 3_600_000;

function entry(key: number, title: string, over: Partial<DedupEntry<number>> = {}): DedupEntry<number> {
  return {
    key,
    publishedMs: T0,
    title,
    summary: null,
    tickers: ['AAPL'],
    urlKeys: [`example.com/${key}`],
    ids: [`test:${key}`],
    ...over,
  };
}

function item(title: string, over: Partial<DedupEntry<number>> = {}): Omit<DedupEntry<unknown>, 'key'> {
  const { key: _key, ...rest } = entry(0, title, { urlKeys: ['other.com/x'], ids: ['other:x'], ...over });
  return rest;
}

describe('textTokens', () => {
  it('drops wire prefixes, publisher tails, stop words and plurals', () => {
    expect([...textTokens('UPDATE 2-Apple shares jump as iPhone sales beat estimates - Reuters')]).toEqual([
      'apple',
      'share',
      'jump',
      'iphone',
      'sale',
      'beat',
      'estimate',
    ]);
  });
});

describe('NewsDeduper', () => {
  const base = 'Apple shares jump as iPhone sales beat estimates';

  it('matches by provider id first, then by URL key', () => {
    const d = new NewsDeduper<number>();
    d.add(entry(1, base));
    expect(d.match(item('anything', { ids: ['test:1'] }))).toEqual({ key: 1, reason: 'provider_id' });
    expect(d.match(item('anything', { urlKeys: ['example.com/1'] }))).toEqual({ key: 1, reason: 'url' });
  });

  it.each([
    ['the same title with a publisher tail', `${base} | Yahoo Finance`],
    ['a wire prefix and another case', `UPDATE 1-APPLE SHARES JUMP AS IPHONE SALES BEAT ESTIMATES`],
    ['an edited title', 'Apple shares jump after iPhone sales beat analyst estimates'],
    ['an appended clause', `${base}, services revenue at record`],
  ])('merges %s sharing a ticker within the window', (_name, title) => {
    const d = new NewsDeduper<number>();
    d.add(entry(1, base));
    expect(d.match(item(title, { publishedMs: T0 + 5 * HOUR }))?.key).toBe(1);
  });

  it('merges syndicated copies whose titles differ but whose summaries agree', () => {
    const summary =
      'Apple reported quarterly revenue above analyst forecasts on Thursday, helped by strong demand for the iPhone 15 in China and record services sales.';
    const d = new NewsDeduper<number>();
    d.add(entry(1, base, { summary }));
    expect(d.match(item('Apple tops Wall Street forecasts', { summary }))).toEqual({
      key: 1,
      reason: 'summary',
    });
  });

  it.each([
    [
      'opposite moves in a templated headline',
      'Why Apple Stock Is Soaring Today',
      'Why Apple Stock Is Falling Today',
    ],
    [
      'different numbers',
      'Apple shares up 3% in premarket trading',
      'Apple shares up 5% in premarket trading',
    ],
    [
      'another day of a daily column',
      'Stock Market News for Jul 11, 2016',
      'Stock Market News for Jul 12, 2016',
    ],
    ['a different story', base, 'Apple faces EU antitrust fine over App Store rules'],
    [
      'another company in the same template',
      'Apple beats estimates as revenue jumps',
      'Microsoft beats estimates as revenue jumps',
    ],
  ])('keeps %s apart', (_name, a, b) => {
    const d = new NewsDeduper<number>();
    d.add(entry(1, a));
    expect(d.match(item(b))).toBeNull();
  });

  it('needs a shared ticker and the time window', () => {
    const d = new NewsDeduper<number>();
    d.add(entry(1, base));
    expect(d.match(item(base, { tickers: ['MSFT'] }))).toBeNull();
    expect(d.match(item(base, { publishedMs: T0 + 49 * HOUR }))).toBeNull();
    expect(d.match(item(base, { tickers: ['MSFT', 'AAPL'], publishedMs: T0 - 47 * HOUR }))?.key).toBe(1);
  });

  it('learns the tickers and URLs of copies added under a known key', () => {
    const d = new NewsDeduper<number>();
    d.add(entry(1, base));
    d.add(entry(1, base, { tickers: ['MSFT'], urlKeys: ['wire.com/a'], ids: ['wire:a'] }));
    expect(d.match(item(base, { tickers: ['MSFT'] }))?.key).toBe(1);
    expect(d.match(item('x', { urlKeys: ['wire.com/a'] }))?.key).toBe(1);
  });
});
