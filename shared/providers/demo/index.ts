import type { AssetInfo, AssetType } from '../../domain/market.ts';
import type { BarsRequest, BarsResult, MarketDataProvider } from '../types.ts';
import { createDemoMarket } from './generate.ts';
import { DEMO_UNIVERSE, type DemoAsset } from './universe.ts';

/**
 * The offline demo market as a provider: deterministic bars for the demo universe from
 * DEMO_ORIGIN up to whatever date is asked for, with no keys and no network.
 */
export function createDemoProvider(): MarketDataProvider {
  const market = createDemoMarket();
  const assets: Record<AssetType, Map<string, DemoAsset>> = { crypto: new Map(), equity: new Map() };
  for (const asset of DEMO_UNIVERSE) assets[asset.assetType].set(asset.symbol, asset);

  return {
    id: 'demo',
    description: `Offline demo market: ${assets.crypto.size} crypto assets and ${assets.equity.size} US equities, generated deterministically`,
    assetTypes: ['crypto', 'equity'],
    async listAssets(assetType: AssetType): Promise<AssetInfo[]> {
      return [...assets[assetType].values()].map(({ symbol, name, exchange, sector }) => ({
        symbol,
        assetType,
        name,
        ...(exchange ? { exchange } : {}),
        ...(sector ? { sector } : {}),
      }));
    },
    async fetchDailyBars(req: BarsRequest): Promise<BarsResult> {
      const result: BarsResult = { bars: [], errors: [] };
      for (const symbol of req.symbols) {
        const asset = assets[req.assetType].get(symbol);
        if (!asset) {
          result.errors.push({ symbol, error: `${symbol} is not in the demo ${req.assetType} universe` });
          continue;
        }
        for (const bar of market.bars(asset, req.from, req.to)) result.bars.push(bar);
      }
      return result;
    },
  };
}
