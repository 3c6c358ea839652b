import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  EquityCurve,
  FillList,
  KillSwitchResult,
  KillSwitchView,
  OrderList,
  PortfolioDetail,
  PortfolioList,
} from '../../../../shared/api/contracts/portfolios.ts';
import { apiGet, apiPost } from '../client.ts';
import { resourceKeys } from './keys.ts';

/** GET /portfolios and everything under /portfolios/:id. */
export const portfolioKeys = resourceKeys('portfolios');
/** GET /kill-switch. */
export const killSwitchKeys = resourceKeys('kill-switch');

const path = (id: string, rest = '') => `/portfolios/${encodeURIComponent(id)}${rest}`;

/** Every portfolio with its latest equity. */
export const portfolioListQuery = () =>
  queryOptions({
    queryKey: portfolioKeys.lists(),
    queryFn: ({ signal }) => apiGet<PortfolioList>('/portfolios', undefined, { signal }),
  });

/** One portfolio: holdings with actual and target weights, the latest decisions, locks, the kill switch. */
export const portfolioDetailQuery = (id: string) =>
  queryOptions({
    queryKey: portfolioKeys.detail([id, 'detail']),
    queryFn: ({ signal }) => apiGet<PortfolioDetail>(path(id), undefined, { signal }),
  });

/** The daily equity with the benchmark and the strategy's backtest. */
export const portfolioEquityQuery = (id: string) =>
  queryOptions({
    queryKey: portfolioKeys.detail([id, 'equity']),
    queryFn: ({ signal }) => apiGet<EquityCurve>(path(id, '/equity'), undefined, { signal }),
  });

/** The latest orders. */
export const portfolioOrdersQuery = (id: string) =>
  queryOptions({
    queryKey: portfolioKeys.detail([id, 'orders']),
    queryFn: ({ signal }) => apiGet<OrderList>(path(id, '/orders'), { limit: 50 }, { signal }),
  });

/** The latest fills. */
export const portfolioFillsQuery = (id: string) =>
  queryOptions({
    queryKey: portfolioKeys.detail([id, 'fills']),
    queryFn: ({ signal }) => apiGet<FillList>(path(id, '/fills'), { limit: 50 }, { signal }),
  });

/** The kill switch. */
export const killSwitchQuery = () =>
  queryOptions({
    queryKey: killSwitchKeys.all,
    queryFn: ({ signal }) => apiGet<KillSwitchView>('/kill-switch', undefined, { signal }),
  });

/** Engages (cancelling every working order) or releases the kill switch; refetches the switch and the portfolios. */
export function useKillSwitch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { killed: boolean; reason?: string }) =>
      apiPost<KillSwitchResult>('/kill-switch', body),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: killSwitchKeys.all });
      await queryClient.invalidateQueries({ queryKey: portfolioKeys.all });
    },
  });
}
