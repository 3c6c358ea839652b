import { describe, expect, it } from 'vitest';
import { urlKey } from './url.ts';

describe('urlKey', () => {
  const key = 'example.com/markets/apple-beats-estimates';

  it.each([
    'https://www.example.com/markets/apple-beats-estimates',
    'http://example.com/markets/apple-beats-estimates/',
    'https://m.example.com/markets/apple-beats-estimates?utm_source=twitter&utm_medium=social',
    'https://amp.example.com/markets/apple-beats-estimates/amp',
    'https://example.com/amp/markets/apple-beats-estimates#comments',
    'https://EXAMPLE.com/markets/apple-beats-estimates.amp.html',
    'https://mobile.example.com/markets/apple-beats-estimates?fbclid=abc&ref=home',
  ])('folds %s to the page key', (url) => {
    expect(urlKey(url)).toBe(key);
  });

  it('keeps parameters that name the page, sorted, and the path case', () => {
    expect(urlKey('https://example.com/News?id=42&b=2&utm_campaign=x')).toBe('example.com/News?b=2&id=42');
    expect(urlKey('https://example.com/news?id=42')).not.toBe(urlKey('https://example.com/news?id=43'));
  });

  it('normalises percent-encoding (FNSPID spells the same page both ways)', () => {
    expect(urlKey('https://www.nasdaq.com/articles/zacks-highlights%3A-apple')).toBe(
      urlKey('https://www.nasdaq.com/articles/zacks-highlights:-apple'),
    );
  });

  it('keeps text that is not a URL, trimmed and lower-cased', () => {
    expect(urlKey('  Not A URL ')).toBe('not a url');
  });
});
