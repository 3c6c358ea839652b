import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACCEPTED_HEADERS, parseBarsCsv } from './parse.ts';

const DATA = new URL('../../../../shared/data/', import.meta.url);
const dataFile = (path: string) => new URL(path, DATA);

// Real rows from ../shared/data/equities/all_stocks_5yr.csv (Kaggle S&P 500, 2013-2018), including
// DHR's missing open, UA's empty OHLC and LNT's bad close, all documented in the data README.
const KAGGLE = [
  'date,open,high,low,close,volume,Name',
  '2013-02-08,67.7142,68.4014,66.8928,67.8542,158168416,AAPL',
  '2013-02-11,68.0714,69.2771,67.6071,68.5614,129029425,AAPL',
  '2015-07-17,,88.76,88.24,88.72,2056819,DHR',
  '2016-04-07,,,,41.56,0,UA',
  '2016-05-18,35.76,36.25,35.19,35.35,1061648,LNT',
  '2016-05-19,35.19,35.785,35.085,17.87,1231722,LNT',
  '2013-02-08,15.07,15.12,14.63,14.75,8407500,AAL',
  '',
].join('\n');

// The first and last rows of ../shared/data/crypto/Binance_BTCUSDT_d.csv (CryptoDataDownload export):
// a banner line, then newest first, Unix in milliseconds, base and quote volume columns.
const BINANCE = [
  'https://www.CryptoDataDownload.com',
  'Unix,Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USDT,tradecount',
  '1774828800000,2026-03-30,BTCUSDT,66010.93,68169.65,65800.59,66797.37,18353.38975,1234617690.8920753,3902849',
  '1774742400000,2026-03-29,BTCUSDT,66377.04,67130.5,65000.0,66010.93,10052.85584,667003517.6059871,2146177',
  '1502928000000,2017-08-17,BTCUSDT,4261.48,4485.39,4200.74,4285.08,795.150377,3454770.05073206,3427',
  '',
].join('\n');

// The first rows of ../shared/data/long_series/SPY_D.csv (pandas-ta): an unnamed index column,
// float volume, no symbol column and no trailing newline.
const PANDAS_SPY = [
  ',date,open,high,low,close,volume',
  '0,1999-11-01,136.5,137.0,135.5625,135.5625,4006500.0',
  '1,1999-11-02,135.9687,137.25,134.5937,134.5937,6516900.0',
  '2,1999-11-03,136.0,136.375,135.125,135.5,7222300.0',
].join('\n');

describe('parseBarsCsv', () => {
  it('reads the Kaggle all_stocks_5yr format and rejects its known bad rows with reasons', () => {
    const { bars, rejected } = parseBarsCsv(KAGGLE);
    expect(bars.map((b) => `${b.symbol} ${b.date}`)).toEqual([
      'AAL 2013-02-08',
      'AAPL 2013-02-08',
      'AAPL 2013-02-11',
      'LNT 2016-05-18',
    ]);
    expect(bars[1]).toEqual({
      symbol: 'AAPL',
      date: '2013-02-08',
      open: 67.7142,
      high: 68.4014,
      low: 66.8928,
      close: 67.8542,
      volume: 158168416,
    });
    expect(rejected).toEqual([
      {
        line: 4,
        raw: {
          date: '2015-07-17',
          open: '',
          high: '88.76',
          low: '88.24',
          close: '88.72',
          volume: '2056819',
          Name: 'DHR',
        },
        reason: 'missing open',
        // Symbol and date are readable, so the row is also a bar for the screen, values as written.
        bar: {
          symbol: 'DHR',
          date: '2015-07-17',
          open: '',
          high: 88.76,
          low: 88.24,
          close: 88.72,
          volume: 2056819,
          raw: { line: 4, row: expect.objectContaining({ open: '', Name: 'DHR' }) },
        },
      },
      {
        line: 5,
        raw: expect.objectContaining({ Name: 'UA' }),
        reason: 'missing open, high, low',
        bar: expect.objectContaining({ symbol: 'UA', open: '', close: 41.56 }),
      },
      {
        line: 7,
        raw: expect.objectContaining({ close: '17.87' }),
        reason: 'low 35.085 is above close 17.87',
        bar: expect.objectContaining({ symbol: 'LNT', date: '2016-05-19', close: 17.87 }),
      },
    ]);
  });

  it('reads the CryptoDataDownload format: banner, ms dates, base volume, newest first', () => {
    const { bars, rejected } = parseBarsCsv(BINANCE);
    expect(rejected).toEqual([]);
    expect(bars.map((b) => b.date)).toEqual(['2017-08-17', '2026-03-29', '2026-03-30']);
    expect(bars[2]).toEqual({
      symbol: 'BTC',
      date: '2026-03-30',
      open: 66010.93,
      high: 68169.65,
      low: 65800.59,
      close: 66797.37,
      volume: 18353.38975,
    });
  });

  it('reads the pandas-ta format with an index column, float volume and a default symbol', () => {
    const { bars, rejected } = parseBarsCsv(PANDAS_SPY, { defaultSymbol: 'spy' });
    expect(rejected).toEqual([]);
    expect(bars).toHaveLength(3);
    expect(bars[2]).toEqual({
      symbol: 'SPY',
      date: '1999-11-03',
      open: 136,
      high: 136.375,
      low: 135.125,
      close: 135.5,
      volume: 7222300,
    });
  });

  it('treats CRLF line ends like LF', () => {
    expect(parseBarsCsv(KAGGLE.replaceAll('\n', '\r\n'))).toEqual(parseBarsCsv(KAGGLE));
  });

  it('unquotes fields, including commas, escaped quotes and line breaks, and counts lines', () => {
    const csv = [
      '"Date","Ticker","O","H","L","C","Vol","Note"',
      '"2024-01-02","msft","370.87","376.0","366.5","370.87","25258600","a, b"',
      '"2024-01-03","MSFT","369.01","373.26","368.51","370.6","23083500","say ""hi""\nthen go"',
      '"2024-01-04","MSFT","","","","","",""',
    ].join('\n');
    const { bars, rejected } = parseBarsCsv(csv);
    expect(bars.map((b) => [b.symbol, b.date, b.close])).toEqual([
      ['MSFT', '2024-01-02', 370.87],
      ['MSFT', '2024-01-03', 370.6],
    ]);
    expect(rejected).toEqual([
      expect.objectContaining({ line: 5, reason: 'missing open, high, low, close, volume' }),
    ]);
  });

  it('accepts unix seconds and ISO date-times, and explains other date formats', () => {
    const csv = [
      'timestamp,open,high,low,close,volume',
      '1704153600,1,2,0.5,1.5,10',
      '2024-01-03T00:00:00Z,1,2,0.5,1.5,10',
      '03/01/2024,1,2,0.5,1.5,10',
      '2024-02-30,1,2,0.5,1.5,10',
    ].join('\n');
    const { bars, rejected } = parseBarsCsv(csv, { defaultSymbol: 'X' });
    expect(bars.map((b) => b.date)).toEqual(['2024-01-02', '2024-01-03']);
    expect(rejected.map((r) => r.reason)).toEqual([
      'date "03/01/2024" is not YYYY-MM-DD, an ISO date-time or unix time',
      'date 2024-02-30 is not a real calendar date',
    ]);
  });

  it('reads a row written plainly and the same row written otherwise to the same bar', () => {
    const plain = 'AAA,2024-01-02,10.25,11,9.5,10.5,1200';
    const written = [
      '"AAA","2024-01-02","10.25","11","9.5","10.5","1200"',
      ' aaa , 2024-01-02 , 10.25 , 11 , 9.5 , 10.5 , 1200 ',
      'AAA,2024-01-02T00:00:00Z,1025e-2,+11,9.50,10.500,1.2e3',
      'AAA,1704153600,10.25,11.0,9.5,10.5,1200.',
    ];
    const read = (row: string) => parseBarsCsv(`symbol,date,open,high,low,close,volume\n${row}\n`).bars;
    for (const row of written) expect(read(row)).toEqual(read(plain));
    // More significant digits than a double holds exactly: read as Number() reads them.
    const long = ['0.1000000000000000055511', '1.23456789012345678', '12345678901234567'];
    expect(read(`AAA,2024-01-02,${long[0]},${long[1]},0.1,0.2,${long[2]}`)).toEqual([
      expect.objectContaining({ open: Number(long[0]), high: Number(long[1]), volume: Number(long[2]) }),
    ]);
  });

  it('refuses dates before 1900-01-01 (PostgreSQL would store 0000-01-01 as 1 BC)', () => {
    const { bars, rejected } = parseBarsCsv(
      ['date,open,high,low,close,volume', '0000-01-01,1,2,0.5,1.5,10', '1900-01-01,1,2,0.5,1.5,10'].join(
        '\n',
      ),
      { defaultSymbol: 'X' },
    );
    expect(bars.map((b) => b.date)).toEqual(['1900-01-01']);
    expect(rejected.map((r) => r.reason)).toEqual([
      'date 0000-01-01 is before 1900-01-01, the earliest date stored',
    ]);
  });

  it('keeps every copy of a symbol and date for the bar screen, and rejects non-numeric cells', () => {
    const csv = [
      'symbol,date,open,high,low,close,volume,adj close',
      'AAA,2024-01-02,10,11,9,10.5,100,10.4',
      'aaa,2024-01-02,10,11,9,10.6,100,10.5',
      'AAA,2024-01-03,10,11,9,n/a,100,10.5',
    ].join('\n');
    const { bars, rejected } = parseBarsCsv(csv);
    expect(bars.map((b) => [b.symbol, b.date, b.close])).toEqual([
      ['AAA', '2024-01-02', 10.5],
      ['AAA', '2024-01-02', 10.6],
    ]);
    expect(rejected.map((r) => [r.line, r.reason])).toEqual([
      [4, 'non_numeric: close "n/a" is not a number'],
    ]);
  });

  it('lets the symbol column win over the default symbol', () => {
    expect(parseBarsCsv(KAGGLE, { defaultSymbol: 'ZZZ' }).bars.every((b) => b.symbol !== 'ZZZ')).toBe(true);
  });

  it('throws a usage error listing accepted headers when there is no symbol source', () => {
    expect(() => parseBarsCsv(PANDAS_SPY)).toThrow(/no symbol column/);
    expect(() => parseBarsCsv(PANDAS_SPY)).toThrow(ACCEPTED_HEADERS);
  });

  it('throws when no header row is found or a required column is absent', () => {
    expect(() => parseBarsCsv('a,b,c\n1,2,3\n')).toThrow(/no header row/);
    expect(() => parseBarsCsv('')).toThrow(/no header row/);
    expect(() => parseBarsCsv('date,close,volume,symbol\n2024-01-02,1,2,X')).toThrow(
      /line 1 has no open, high, low column/,
    );
  });
});

describe.skipIf(!existsSync(dataFile('equities/all_stocks_5yr.csv')))('on the real data files', () => {
  it('keeps all_stocks_5yr apart from its 11 rows with empty cells and 12 OHLC-inconsistent rows', () => {
    const { bars, rejected } = parseBarsCsv(readFileSync(dataFile('equities/all_stocks_5yr.csv'), 'utf8'));
    expect(rejected).toHaveLength(23);
    expect(rejected.filter((r) => r.reason.startsWith('missing'))).toHaveLength(11);
    expect(bars).toHaveLength(619_040 - 23);
    expect(new Set(bars.map((b) => b.symbol)).size).toBe(505);
  });

  it('reads every Binance BTCUSDT row, oldest first', () => {
    const { bars, rejected } = parseBarsCsv(readFileSync(dataFile('crypto/Binance_BTCUSDT_d.csv'), 'utf8'));
    expect(rejected).toEqual([]);
    expect(bars).toHaveLength(3142);
    expect([bars[0]?.date, bars.at(-1)?.date]).toEqual(['2017-08-17', '2026-03-30']);
  });

  it('reads every SPY row', () => {
    const text = readFileSync(dataFile('long_series/SPY_D.csv'), 'utf8');
    const { bars, rejected } = parseBarsCsv(text, { defaultSymbol: 'SPY' });
    expect(rejected).toEqual([]);
    expect(bars).toHaveLength(5241);
  });
});
