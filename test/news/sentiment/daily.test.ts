import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../shared/news/score/csv.ts';
import { DECAY_HORIZON_DAYS, dailySentiment, decay } from '../../../shared/news/sentiment/daily.ts';
import { sessionOf } from '../../../shared/news/sentiment/session.ts';

const at = (iso: string) => new Date(iso);

describe('the session an article counts for', () => {
  it('is the same day before 16:00 New York time and the next session from 16:00, in winter and summer time', () => {
    // Winter (EST, UTC-5): the close is 21:00 UTC.
    expect(sessionOf('equity', at('2024-01-17T20:59:00Z'), false)).toBe('2024-01-17');
    expect(sessionOf('equity', at('2024-01-17T21:00:00Z'), false)).toBe('2024-01-18');
    // Summer (EDT, UTC-4, from 2024-03-10): the close is 20:00 UTC.
    expect(sessionOf('equity', at('2024-03-11T19:59:00Z'), false)).toBe('2024-03-11');
    expect(sessionOf('equity', at('2024-03-11T20:00:00Z'), false)).toBe('2024-03-12');
    // Before the open counts for that day's close; 02:00 UTC is still the previous New York evening.
    expect(sessionOf('equity', at('2024-01-17T13:00:00Z'), false)).toBe('2024-01-17');
    expect(sessionOf('equity', at('2024-01-18T02:00:00Z'), false)).toBe('2024-01-18');
  });

  it('skips weekends and NYSE holidays', () => {
    // Friday after the close and the weekend count for Monday; Good Friday 2024-03-29 is closed.
    expect(sessionOf('equity', at('2024-01-19T22:00:00Z'), false)).toBe('2024-01-22');
    expect(sessionOf('equity', at('2024-01-20T15:00:00Z'), false)).toBe('2024-01-22');
    expect(sessionOf('equity', at('2024-03-29T15:00:00Z'), false)).toBe('2024-04-01');
  });

  it('puts an article dated by day only on the next session, never its own day', () => {
    expect(sessionOf('equity', at('2024-01-17T00:00:00Z'), true)).toBe('2024-01-18');
    expect(sessionOf('equity', at('2024-01-19T00:00:00Z'), true)).toBe('2024-01-22');
    expect(sessionOf('crypto', at('2024-01-19T00:00:00Z'), true)).toBe('2024-01-20');
  });

  it('uses the UTC day for crypto, whose daily bar closes at 00:00 UTC', () => {
    expect(sessionOf('crypto', at('2024-01-17T23:59:00Z'), false)).toBe('2024-01-17');
    expect(sessionOf('crypto', at('2024-01-18T00:00:00Z'), false)).toBe('2024-01-18');
  });
});

describe('daily sentiment', () => {
  it('aggregates a news day: count, mean, relevance-weighted mean, dispersion', () => {
    const [row] = dailySentiment(
      [
        { session: '2024-01-17', score: 0.8, relevance: 1 },
        { session: '2024-01-17', score: -0.4, relevance: 0.5 },
        { session: '2024-01-17', score: 0.2, relevance: 0 },
      ],
      ['2024-01-17'],
    );
    expect(row).toMatchObject({ date: '2024-01-17', newsCount: 3, lastNewsDate: '2024-01-17' });
    expect(row!.mean).toBeCloseTo(0.2, 9);
    expect(row!.weightedMean).toBeCloseTo((0.8 - 0.2) / 1.5, 9);
    expect(row!.dispersion).toBeCloseTo(Math.sqrt((0.36 + 0.36 + 0) / 3), 9);
    expect(row!.decayed).toBeCloseTo(0.2, 9);
  });

  it('decays over calendar days without news, abstains before any news and past the horizon', () => {
    const days = ['2024-01-16', '2024-01-17', '2024-01-18', '2024-01-22'];
    const rows = dailySentiment([{ session: '2024-01-17', score: 0.5, relevance: 1 }], days);
    expect(rows[0]).toMatchObject({ newsCount: 0, mean: null, decayed: null, lastNewsDate: null });
    expect(rows[2]!.decayed).toBeCloseTo(0.5 * Math.exp(-0.05), 9);
    // Friday to Monday is 5 calendar days after Wednesday's news.
    expect(rows[3]!.decayed).toBeCloseTo(0.5 * Math.exp(-0.25), 9);
    const late = dailySentiment(
      [{ session: '2024-01-01', score: 0.5, relevance: 1 }],
      ['2024-05-01', '2024-05-02'],
    );
    expect(late.every((r) => r.decayed === null)).toBe(true);
    expect(DECAY_HORIZON_DAYS).toBeLessThan(122);
  });

  it('never lets a later session reach an earlier day, whatever the input order', () => {
    const days = ['2024-01-17', '2024-01-18'];
    const scores = [
      { session: '2024-01-18', score: -1, relevance: 1 },
      { session: '2024-01-17', score: 0.4, relevance: 1 },
      { session: '2024-02-01', score: 1, relevance: 1 },
    ];
    const rows = dailySentiment(scores, days);
    expect(rows[0]).toMatchObject({ newsCount: 1, mean: 0.4 });
    expect(rows[1]).toMatchObject({ newsCount: 1, mean: -1 });
    // Cut the input at each day: the rows up to that day do not change.
    expect(dailySentiment(scores.slice(1, 2), days.slice(0, 1))).toEqual(rows.slice(0, 1));
  });

  // FNSPID's own daily join (price_news_integrated_aa.csv) against its GPT scores (news_sentiment_gpt_AA.csv):
  // each news day's mean, and 3 + (s - 3)·e^(-0.05 d) on the days between, on our [-1, 1] scale.
  const dir = new URL('../../../../shared/data/news/fnspid/', import.meta.url);
  const present = existsSync(new URL('price_news_integrated_aa.csv', dir));
  it.skipIf(!present)('reproduces the FNSPID dataset decay rule on every day of its AA file', () => {
    const gpt = parseCsv(readFileSync(new URL('news_sentiment_gpt_AA.csv', dir), 'utf8')).slice(1);
    // The dataset's own dates (their UTC shift included): this checks the decay rule, not time zones.
    const scores = gpt.map(([date, , s]) => ({
      session: date!.slice(0, 10),
      score: (Number(s) - 3) / 2,
      relevance: 1,
    }));
    const price = parseCsv(readFileSync(new URL('price_news_integrated_aa.csv', dir), 'utf8'));
    const col = (name: string) => price[0]!.indexOf(name);
    const rowsIn = price.slice(1);
    const days = rowsIn.map((r) => r[col('Date')]!.slice(0, 10));
    const ours = dailySentiment(scores, days);
    let decayed = 0;
    rowsIn.forEach((r, i) => {
      const expected = (Number(r[col('Sentiment_gpt')]) - 3) / 2;
      const row = ours[i]!;
      if (Number(r[col('News_flag')]) === 1) expect(row.mean).toBeCloseTo(expected, 9);
      else {
        expect(row.newsCount).toBe(0);
        expect(row.decayed).toBeCloseTo(expected, 9);
        decayed++;
      }
    });
    expect(decayed).toBe(1197);
    expect(decay(1, 1)).toBeCloseTo(0.951229, 6);
  });
});
