import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { AssetDetail, AssetList } from '../../../../shared/api/contracts/assets.ts';
import type { AssetType } from '../../../../shared/domain/market.ts';
import { chartColumns } from '../../lib/chartData.ts';
import { apiGet, type QueryParams } from '../client.ts';
import { resourceKeys } from './keys.ts';

/** GET /assets and GET /assets/:type/:symbol. */
export const assetKeys = resourceKeys('assets');

/** GET /assets parameters (screener/state.ts builds them from the screener's state). */
export type AssetListParams = QueryParams;

/** One page of the asset list; the previous page stays on screen while the next loads. */
export const assetListQuery = (params: AssetListParams) =>
  queryOptions({
    queryKey: assetKeys.list(params),
    queryFn: ({ signal }) => apiGet<AssetList>('/assets', params, { signal }),
    placeholderData: keepPreviousData,
  });

/** One asset with the feature series every chart overlay and pane can show. */
export const assetDetailQuery = (assetType: AssetType, symbol: string) =>
  queryOptions({
    queryKey: assetKeys.detail(`${assetType}/${symbol}`),
    queryFn: ({ signal }) =>
      apiGet<AssetDetail>(
        `/assets/${encodeURIComponent(assetType)}/${encodeURIComponent(symbol)}`,
        { series: chartColumns().join(',') },
        { signal },
      ),
  });
