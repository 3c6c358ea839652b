import type { AssetInfo } from '../../domain/market.ts';

/**
 * A demo asset: what listAssets reports, plus the levels the generator starts from. `price` is
 * roughly the real close around the 2023-01-02 origin; `dollarVolume` is a typical day's traded
 * value in millions of USD.
 */
export interface DemoAsset extends AssetInfo {
  price: number;
  dollarVolume: number;
  /** Annualised volatility when the asset is known to sit outside its sector's usual band. */
  volatility?: number;
  /** Sensitivity to its market's common factor, for assets that are that market (SPY, BTC). */
  beta?: number;
}

type Row = [
  symbol: string,
  name: string,
  price: number,
  dollarVolume: number,
  volatility?: number,
  beta?: number,
];

const crypto = (rows: Row[]): DemoAsset[] =>
  rows.map(([symbol, name, price, dollarVolume, volatility, beta]) => ({
    symbol,
    assetType: 'crypto',
    name,
    price,
    dollarVolume,
    ...(volatility ? { volatility } : {}),
    ...(beta ? { beta } : {}),
  }));

const equities = (exchange: string, sector: string, rows: Row[]): DemoAsset[] =>
  rows.map(([symbol, name, price, dollarVolume, volatility]) => ({
    symbol,
    assetType: 'equity',
    name,
    exchange,
    sector,
    price,
    dollarVolume,
    ...(volatility ? { volatility } : {}),
  }));

const IT = 'Information Technology';
const COMM = 'Communication Services';
const DISC = 'Consumer Discretionary';
const STAPLES = 'Consumer Staples';
const HEALTH = 'Health Care';
const FIN = 'Financials';
const ENERGY = 'Energy';
const INDUSTRIALS = 'Industrials';

/** The offline demo market: 30 crypto assets, 60 US equities (GICS sectors) and SPY. */
export const DEMO_UNIVERSE: readonly DemoAsset[] = [
  ...crypto([
    ['BTC', 'Bitcoin', 16_650, 15_000, 0.6, 1],
    ['ETH', 'Ethereum', 1_215, 6_000, 0.7],
    ['BNB', 'BNB', 245, 500],
    ['XRP', 'XRP', 0.34, 700],
    ['SOL', 'Solana', 10, 400, 0.9],
    ['ADA', 'Cardano', 0.25, 250],
    ['DOGE', 'Dogecoin', 0.07, 400, 0.9],
    ['TRX', 'TRON', 0.055, 200, 0.6],
    ['AVAX', 'Avalanche', 11, 150],
    ['DOT', 'Polkadot', 4.4, 120],
    ['LINK', 'Chainlink', 5.6, 200],
    ['MATIC', 'Polygon', 0.76, 300],
    ['LTC', 'Litecoin', 75, 400],
    ['BCH', 'Bitcoin Cash', 98, 150],
    ['ATOM', 'Cosmos', 9.5, 100],
    ['XLM', 'Stellar', 0.072, 50],
    ['UNI', 'Uniswap', 5.2, 60],
    ['ETC', 'Ethereum Classic', 16, 120],
    ['FIL', 'Filecoin', 2.9, 80],
    ['NEAR', 'NEAR Protocol', 1.3, 60],
    ['APT', 'Aptos', 3.5, 60],
    ['ICP', 'Internet Computer', 3.6, 30],
    ['HBAR', 'Hedera', 0.037, 20],
    ['ALGO', 'Algorand', 0.17, 30],
    ['VET', 'VeChain', 0.016, 20],
    ['AAVE', 'Aave', 52, 60],
    ['MKR', 'Maker', 520, 20],
    ['XTZ', 'Tezos', 0.72, 15],
    ['SAND', 'The Sandbox', 0.37, 60],
    ['MANA', 'Decentraland', 0.31, 50],
  ]),
  ...equities('NASDAQ', IT, [
    ['AAPL', 'Apple Inc.', 125, 9_000],
    ['MSFT', 'Microsoft Corporation', 240, 6_500],
    ['NVDA', 'NVIDIA Corporation', 146, 7_000, 0.5],
    ['AVGO', 'Broadcom Inc.', 560, 1_400],
    ['ADBE', 'Adobe Inc.', 336, 1_000],
    ['CSCO', 'Cisco Systems, Inc.', 47, 850],
    ['AMD', 'Advanced Micro Devices, Inc.', 64, 4_000, 0.5],
    ['INTC', 'Intel Corporation', 26, 1_100],
    ['QCOM', 'QUALCOMM Incorporated', 110, 900],
    ['TXN', 'Texas Instruments Incorporated', 165, 800],
    ['INTU', 'Intuit Inc.', 390, 600],
    ['AMAT', 'Applied Materials, Inc.', 97, 600],
    ['MU', 'Micron Technology, Inc.', 50, 750],
    ['PANW', 'Palo Alto Networks, Inc.', 140, 700],
  ]),
  ...equities('NASDAQ', COMM, [
    ['GOOGL', 'Alphabet Inc. (Class A)', 89, 2_700],
    ['META', 'Meta Platforms, Inc.', 124, 2_500],
    ['NFLX', 'Netflix, Inc.', 294, 1_800],
  ]),
  ...equities('NASDAQ', DISC, [
    ['AMZN', 'Amazon.com, Inc.', 85, 4_700],
    ['TSLA', 'Tesla, Inc.', 108, 13_000, 0.6],
    ['SBUX', 'Starbucks Corporation', 99, 700],
    ['BKNG', 'Booking Holdings Inc.', 2_015, 600],
  ]),
  ...equities('NASDAQ', STAPLES, [
    ['COST', 'Costco Wholesale Corporation', 456, 900],
    ['PEP', 'PepsiCo, Inc.', 180, 900],
  ]),
  ...equities('NASDAQ', HEALTH, [
    ['AMGN', 'Amgen Inc.', 262, 650],
    ['ISRG', 'Intuitive Surgical, Inc.', 265, 530],
    ['GILD', 'Gilead Sciences, Inc.', 86, 600],
    ['REGN', 'Regeneron Pharmaceuticals, Inc.', 720, 500],
    ['VRTX', 'Vertex Pharmaceuticals Incorporated', 289, 380],
  ]),
  ...equities('NASDAQ', INDUSTRIALS, [['HON', 'Honeywell International Inc.', 214, 640]]),
  ...equities('NASDAQ', FIN, [['PYPL', 'PayPal Holdings, Inc.', 71, 1_000]]),
  ...equities('NYSE', FIN, [
    ['JPM', 'JPMorgan Chase & Co.', 134, 1_350],
    ['V', 'Visa Inc.', 208, 1_250],
    ['MA', 'Mastercard Incorporated', 348, 1_050],
    ['BAC', 'Bank of America Corporation', 33, 1_300],
    ['GS', 'The Goldman Sachs Group, Inc.', 343, 850],
  ]),
  ...equities('NYSE', HEALTH, [
    ['JNJ', 'Johnson & Johnson', 177, 1_250],
    ['UNH', 'UnitedHealth Group Incorporated', 530, 1_600],
    ['MRK', 'Merck & Co., Inc.', 111, 900],
    ['PFE', 'Pfizer Inc.', 51, 1_500],
    ['ABBV', 'AbbVie Inc.', 161, 950],
  ]),
  ...equities('NYSE', ENERGY, [
    ['XOM', 'Exxon Mobil Corporation', 110, 2_000],
    ['CVX', 'Chevron Corporation', 179, 1_600],
  ]),
  ...equities('NYSE', STAPLES, [
    ['PG', 'The Procter & Gamble Company', 152, 1_050, 0.17],
    ['KO', 'The Coca-Cola Company', 63, 820, 0.16],
  ]),
  ...equities('NYSE', DISC, [
    ['HD', 'The Home Depot, Inc.', 316, 1_100],
    ['MCD', "McDonald's Corporation", 264, 800],
    ['NKE', 'NIKE, Inc.', 117, 820],
    ['F', 'Ford Motor Company', 11.6, 700],
  ]),
  ...equities('NYSE', COMM, [
    ['DIS', 'The Walt Disney Company', 87, 1_050],
    ['T', 'AT&T Inc.', 18.4, 640],
    ['VZ', 'Verizon Communications Inc.', 39, 780],
  ]),
  ...equities('NYSE', IT, [
    ['CRM', 'Salesforce, Inc.', 133, 930],
    ['ORCL', 'Oracle Corporation', 82, 740],
    ['IBM', 'International Business Machines Corporation', 141, 560],
  ]),
  ...equities('NYSE', INDUSTRIALS, [
    ['CAT', 'Caterpillar Inc.', 240, 720],
    ['BA', 'The Boeing Company', 190, 1_330],
    ['UBER', 'Uber Technologies, Inc.', 25, 620, 0.45],
  ]),
  ...equities('NYSE', 'Utilities', [['NEE', 'NextEra Energy, Inc.', 84, 780]]),
  ...equities('NYSE', 'Real Estate', [['PLD', 'Prologis, Inc.', 113, 450]]),
  ...equities('NYSE', 'Materials', [['FCX', 'Freeport-McMoRan Inc.', 38, 530, 0.42]]),
  {
    symbol: 'SPY',
    assetType: 'equity',
    name: 'SPDR S&P 500 ETF Trust',
    exchange: 'NYSE Arca',
    price: 383,
    dollarVolume: 30_000,
    volatility: 0.17,
    beta: 1,
  },
];
