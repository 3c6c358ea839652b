import { describe, expect, it } from 'vitest';
import {
  newsKeys,
  newsListQuery,
  sentimentKeys,
  sentimentSeriesQuery,
} from '../../../dashboard/src/api/queries/news.ts';
import { sentimentGeometry } from '../../../dashboard/src/components/news/sentimentLine.ts';
import { parseRoute } from '../../../dashboard/src/router.ts';

const day = (date: string, mean: number | null, decayed: number | null) => ({
  date,
  news_count: mean === null ? 0 : 1,
  mean,
  weighted_mean: mean,
  dispersion: mean === null ? null : 0,
  decayed,
  scorer_version: 'lexicon-v1',
});

describe('the sentiment line', () => {
  it('draws the decayed value as a path broken where it is missing, and news days as dots', () => {
    const g = sentimentGeometry(
      [
        day('2024-01-01', null, null),
        day('2024-01-02', 1, 1),
        day('2024-01-03', null, 0.95),
        day('2024-01-04', -1, -1),
      ],
      300,
      100,
    );
    expect(g.zero).toBe(50);
    expect(g.path).toBe('M100.0,0.0L200.0,2.5L300.0,100.0');
    expect(g.dots.map((d) => [d.x, d.y, d.date])).toEqual([
      [100, 0, '2024-01-02'],
      [300, 100, '2024-01-04'],
    ]);
    expect(sentimentGeometry([], 300, 100)).toEqual({ path: '', dots: [], zero: 50 });
  });
});

describe('news queries and route', () => {
  it('keys lists by filter under the resource and sends the label as a score band', () => {
    expect(newsListQuery({ sentiment: 'negative', asset: 'AAA' }).queryKey).toEqual([
      'news',
      'list',
      { sentiment: 'negative', asset: 'AAA' },
    ]);
    expect(newsKeys.all).toEqual(['news']);
    expect(sentimentSeriesQuery('equity', 'AAA').queryKey).toEqual([
      'sentiment',
      'detail',
      ['equity', 'AAA'],
    ]);
    expect(sentimentKeys.lists()).toEqual(['sentiment', 'list']);
  });

  it('routes #/news with its filters', () => {
    expect(parseRoute('#/news?asset=AAA&sentiment=positive')).toEqual({
      page: 'news',
      query: 'asset=AAA&sentiment=positive',
    });
  });
});
