import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FnspidFormatError,
  fnspidInstant,
  isEnglish,
  newYorkOffsetHours,
  parseFnspid,
  titleFromUrl,
} from './fnspid.ts';

const DIR = new URL('../../../shared/data/news/fnspid/', import.meta.url);
const sample = (name: string) => readFileSync(new URL(name, DIR), 'utf8');

describe('FNSPID timestamps', () => {
  it.each([
    // Nasdaq's page prints New York time; EST in winter, EDT in summer, whatever the label says.
    ['January 17, 2024 — 08:52 am EST', '2024-01-17T13:52:00.000Z', false],
    ['February 03, 2024 — 01:07 pm EST', '2024-02-03T18:07:00.000Z', false],
    ['July 05, 2023 — 12:15 am EDT', '2023-07-05T04:15:00.000Z', false],
    ['FEB 2, 2024 9:32AM EST', '2024-02-02T14:32:00.000Z', false],
    ['JAN 28, 2024', '2024-01-28T00:00:00.000Z', true],
    ['2016-03-22', '2016-03-22T00:00:00.000Z', true],
    // The processed files' "+00:00" is local time minus the offset (README's example: 08:52 EST shown as 03:52).
    ['2024-01-17 03:52:00+00:00', '2024-01-17T13:52:00.000Z', false],
    // Summer: 10:36 EDT shown as 06:36.
    ['2022-07-29 06:36:00+00:00', '2022-07-29T14:36:00.000Z', false],
    // 2006 rules: 2 April 2006 is the first Sunday of April, daylight time from then on.
    ['2006-03-30 07:00:00+00:00', '2006-03-30T17:00:00.000Z', false],
    ['2006-04-03 07:00:00+00:00', '2006-04-03T15:00:00.000Z', false],
    ['2023-12-16 23:00:00 UTC', '2023-12-16T23:00:00.000Z', false],
  ])('%s is %s', (raw, utc, dateOnly) => {
    expect(fnspidInstant(raw)).toEqual({ publishedAt: utc, dateOnly });
  });

  it.each(['5 DAYS AGO', '0', '2', 'February 30, 2024', '2024-13-01 00:00:00+00:00', ''])(
    'cannot date %j',
    (raw) => {
      expect(fnspidInstant(raw)).toBeNull();
    },
  );

  it('switches New York daylight time at 02:00 local on the US dates of each era', () => {
    const local = (s: string) => Date.parse(`${s}Z`);
    expect(newYorkOffsetHours(local('2024-03-10T01:59:00'))).toBe(5);
    expect(newYorkOffsetHours(local('2024-03-10T03:00:00'))).toBe(4);
    expect(newYorkOffsetHours(local('2024-11-03T01:30:00'))).toBe(4);
    expect(newYorkOffsetHours(local('2024-11-03T02:00:00'))).toBe(5);
    expect(newYorkOffsetHours(local('2005-04-03T03:00:00'))).toBe(4);
    expect(newYorkOffsetHours(local('2005-10-30T02:00:00'))).toBe(5);
  });
});

describe('isEnglish and titleFromUrl', () => {
  it('tells English text from other languages', () => {
    expect(
      isEnglish(
        'Apple shares rose on Tuesday after the company said that demand for its phones was strong in the quarter.',
      ),
    ).toBe(true);
    expect(
      isEnglish(
        'Las acciones de Apple subieron el martes después de que la compañía dijera que la demanda de sus teléfonos fue fuerte.',
      ),
    ).toBe(false);
    expect(
      isEnglish(
        'Die Aktie von Apple stieg am Dienstag, nachdem das Unternehmen eine starke Nachfrage nach seinen Telefonen meldete.',
      ),
    ).toBe(false);
    expect(isEnglish('苹果公司股价周二上涨，此前该公司表示其手机需求强劲。')).toBe(false);
    expect(isEnglish('Apple beats estimates')).toBe(true);
  });

  it('titles an article from its slug, without the trailing date', () => {
    expect(
      titleFromUrl('https://www.nasdaq.com/articles/why-century-aluminum-co-stock-plunging-today-2018-10-03'),
    ).toBe('Why century aluminum co stock plunging today');
  });
});

describe('parseFnspid', () => {
  it('reads quoted multi-line articles, skips placeholders and undatable rows, and counts non-English ones', () => {
    const csv = [
      '\ufeffDate,Url,Text,Mark',
      '"January 25, 2024 — 03:33 am EST",https://www.nasdaq.com/articles/apple-story,"First line, with a comma',
      'Second line with ""quotes"" and the rest of the article about the company and its results.",1',
      '"5 DAYS AGO",https://www.nasdaq.com/articles/undated,0,0',
      '"JAN 28, 2024",https://www.nasdaq.com/articles/apple-placeholder-story,0,0',
      '"JAN 29, 2024",https://www.nasdaq.com/articles/apple-es,"Las acciones de la empresa subieron el martes después de que la compañía dijera que la demanda fue fuerte en el trimestre.",1',
    ].join('\r\n');
    const res = parseFnspid(csv, { symbol: 'aapl' });
    expect(res.rows).toBe(4);
    expect(res.skipped).toEqual({ non_english: 1, undated: 1, no_url: 0 });
    expect(res.items).toEqual([
      {
        source: 'fnspid',
        providerId: 'nasdaq.com/articles/apple-story',
        url: 'https://www.nasdaq.com/articles/apple-story',
        title: 'Apple story',
        summary: null,
        body: 'First line, with a comma\r\nSecond line with "quotes" and the rest of the article about the company and its results.',
        publishedAt: '2024-01-25T08:33:00.000Z',
        dateOnly: false,
        publisher: null,
        tickers: [{ symbol: 'AAPL', sentiment: null, matchScore: null }],
      },
      expect.objectContaining({ title: 'Apple placeholder story', body: null, dateOnly: true }),
    ]);
  });

  it('maps Sentiment_gpt 1-5 to (s - 3) / 2 and reads the full dump layout with its own symbol column', () => {
    const csv =
      'Unnamed: 0,Date,Article_title,Stock_symbol,Url,Publisher,Author,Article,Sentiment_gpt\n' +
      '0,2023-12-16 23:00:00 UTC,Alcoa beats,aa,https://x.com/a,Zacks,me,Alcoa beat estimates.,5.0\n' +
      '1,2023-12-16 22:00:00 UTC,Alcoa misses,AA,https://x.com/b,Zacks,me,Alcoa missed.,1\n' +
      '2,2023-12-16 21:00:00 UTC,Alcoa holds,AA,https://x.com/c,Zacks,me,Alcoa held.,3\n';
    const res = parseFnspid(csv);
    expect(
      res.items.map((i) => [i.title, i.tickers[0]!.symbol, i.tickers[0]!.sentiment, i.publisher]),
    ).toEqual([
      ['Alcoa beats', 'AA', 1, 'Zacks'],
      ['Alcoa misses', 'AA', -1, 'Zacks'],
      ['Alcoa holds', 'AA', 0, 'Zacks'],
    ]);
  });

  it('refuses a file without Date and Url, or without a ticker', () => {
    expect(() => parseFnspid('a,b\n1,2\n', { symbol: 'X' })).toThrow(FnspidFormatError);
    expect(() => parseFnspid('Date,Url\n2024-01-01,https://x.com\n')).toThrow(/--symbol/);
  });

  it.skipIf(!existsSync(DIR))(
    'reads the real sample files: every scraped page, the GPT scores on their scale, nothing shifted',
    () => {
      const pages = parseFnspid(sample('news_contents_aapl.csv'), { symbol: 'AAPL' });
      expect(pages.rows).toBe(904);
      expect(pages.skipped.non_english).toBe(0);
      // "5 DAYS AGO" (35) and the scraper's bare status rows cannot be dated.
      expect(pages.skipped.undated).toBeGreaterThan(30);
      expect(pages.items.length + pages.skipped.undated).toBe(904);
      expect(pages.items.filter((i) => i.body !== null).length).toBe(143);

      const scored = parseFnspid(sample('news_sentiment_gpt_AA.csv'), { symbol: 'AA' });
      expect(scored.items).toHaveLength(1502);
      const scale = new Set(scored.items.map((i) => i.tickers[0]!.sentiment));
      expect([...scale].sort()).toEqual([-0.5, -1, 0, 0.5, 1].sort());
      const summarised = parseFnspid(sample('news_summarized_AA.csv'), { symbol: 'AA' });
      const first = summarised.items.find((i) =>
        i.url.includes('sp-futures-slip-ahead-of-key-u.s.-retail-sales-data'),
      )!;
      // README: shown as 2024-01-17 03:52:00+00:00, published 08:52 EST, i.e. 13:52 UTC.
      expect(first.publishedAt).toBe('2024-01-17T13:52:00.000Z');
    },
  );
});
