import { describe, expect, it } from 'vitest';
import { createCsvProvider } from './index.ts';

// Rows from ../shared/data: Binance ETHUSDT (CryptoDataDownload) and Kaggle all_stocks_5yr.
const ETH = [
  'https://www.CryptoDataDownload.com',
  'Unix,Date,Symbol,Open,High,Low,Close,Volume ETH,Volume USDT,tradecount',
  '1774828800000,2026-03-30,ETHUSDT,1984.65,2085.0,1980.28,2026.48,338304.4344,691966365.082457,3886546',
  '1774742400000,2026-03-29,ETHUSDT,1994.74,2019.65,1938.82,1984.64,166726.7382,331249654.02983,2049808',
].join('\n');
const STOCKS = [
  'date,open,high,low,close,volume,Name',
  '2013-02-08,15.07,15.12,14.63,14.75,8407500,AAL',
  '2013-02-11,14.89,15.01,14.26,14.46,8882000,AAL',
  '2013-02-08,67.7142,68.4014,66.8928,67.8542,158168416,AAPL',
].join('\n');

const provider = createCsvProvider([
  { assetType: 'crypto', text: ETH },
  { assetType: 'equity', text: STOCKS },
]);

describe('createCsvProvider', () => {
  it('serves parsed bars for the requested market, symbols and inclusive range', async () => {
    const result = await provider.fetchDailyBars({
      assetType: 'equity',
      symbols: ['AAL', 'AAPL'],
      from: '2013-02-09',
      to: '2013-02-11',
    });
    expect(result.errors).toEqual([]);
    expect(result.bars.map((b) => `${b.symbol} ${b.date}`)).toEqual(['AAL 2013-02-11']);
  });

  it('serves a refused row with a readable symbol and date as it was written, for the screen to reject', async () => {
    const csv = createCsvProvider([
      {
        assetType: 'equity',
        text: 'date,open,high,low,close,volume,Name\n2013-02-08,15.07,15.12,14.63,n/a,8407500,AAL\n,1,1,1,1,1,AAL',
      },
    ]);
    const result = await csv.fetchDailyBars({
      assetType: 'equity',
      symbols: ['AAL'],
      from: '2013-01-01',
      to: '2013-12-31',
    });
    expect(result).toEqual({
      bars: [
        {
          symbol: 'AAL',
          date: '2013-02-08',
          open: 15.07,
          high: 15.12,
          low: 14.63,
          close: 'n/a',
          volume: 8407500,
          raw: { line: 2, row: expect.objectContaining({ close: 'n/a', Name: 'AAL' }) },
        },
      ],
      errors: [],
    });
  });

  it('reports symbols it lacks, including ones that exist only in the other market', async () => {
    const result = await provider.fetchDailyBars({
      assetType: 'crypto',
      symbols: ['ETH', 'AAPL'],
      from: '2026-01-01',
      to: '2026-12-31',
    });
    expect(result.bars.map((b) => b.date)).toEqual(['2026-03-29', '2026-03-30']);
    expect(result.errors).toEqual([{ symbol: 'AAPL', error: 'no crypto bars for AAPL in the CSV files' }]);
  });

  it('lists its assets per market and describes itself', async () => {
    expect(provider.id).toBe('csv');
    expect(provider.assetTypes).toEqual(['crypto', 'equity']);
    expect(await provider.listAssets?.('equity')).toEqual([
      { symbol: 'AAL', assetType: 'equity', name: 'AAL' },
      { symbol: 'AAPL', assetType: 'equity', name: 'AAPL' },
    ]);
    expect(provider.description).toBe('Bars from CSV files (1 crypto, 2 equity)');
  });

  it('serves every file’s bar when files overlap, for the screen to judge, and takes a default symbol per file', async () => {
    const spy = (close: number) =>
      `,date,open,high,low,close,volume\n0,2020-08-28,349.44,350.72,348.15,${close},48588940.0`;
    const overlapping = createCsvProvider([
      { assetType: 'equity', text: spy(350.58), defaultSymbol: 'SPY' },
      { assetType: 'equity', text: spy(349), defaultSymbol: 'SPY' },
    ]);
    const { bars } = await overlapping.fetchDailyBars({
      assetType: 'equity',
      symbols: ['SPY'],
      from: '2020-01-01',
      to: '2020-12-31',
    });
    expect(bars.map((b) => b.close)).toEqual([350.58, 349]);
  });
});
