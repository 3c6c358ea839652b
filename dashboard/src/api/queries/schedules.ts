import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  ScheduleList,
  SchedulePatch,
  ScheduleView,
} from '../../../../shared/api/contracts/schedules.ts';
import { apiGet, apiPatch } from '../client.ts';
import { resourceKeys } from './keys.ts';

/** GET /schedules. */
export const scheduleKeys = resourceKeys('schedules');

/** The pipeline_schedules rows. */
export const schedulesQuery = () =>
  queryOptions({
    queryKey: scheduleKeys.lists(),
    queryFn: ({ signal }) => apiGet<ScheduleList>('/schedules', undefined, { signal }),
  });

/** Enables, disables or reschedules a schedule (admin). */
export function useUpdateSchedule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: SchedulePatch }) =>
      apiPatch<ScheduleView>(`/schedules/${encodeURIComponent(id)}`, patch),
    onSettled: () => queryClient.invalidateQueries({ queryKey: scheduleKeys.all }),
  });
}
