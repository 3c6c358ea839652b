import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { LearnedRuleView, LearningOverview } from '../../../../shared/api/contracts/learning.ts';
import { apiGet, apiPost } from '../client.ts';
import { resourceKeys } from './keys.ts';

/** GET /learning and everything under /learning. */
export const learningKeys = resourceKeys('learning');

/** The buffer's statistics, the learned rules with their evidence and the shadows against live. */
export const learningOverviewQuery = () =>
  queryOptions({
    queryKey: learningKeys.lists(),
    queryFn: ({ signal }) => apiGet<LearningOverview>('/learning', undefined, { signal }),
  });

/** Activate or retire a learned rule with a reason; refetches the overview. */
export function useLearningDecision() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (d: { id: number; status: 'active' | 'retired'; reason: string }) =>
      apiPost<LearnedRuleView>(`/learning/rules/${d.id}`, { status: d.status, reason: d.reason }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: learningKeys.all }),
  });
}
