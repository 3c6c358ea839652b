import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { TemplateScorecards } from '../../../shared/api/contracts/scorecards.ts';
import type { SignalFeed } from '../../../shared/api/contracts/signals.ts';
import type {
  TemplateDetail,
  TemplatePreview,
  TemplateUpdate,
  TemplateValidation,
  TemplateView,
} from '../../../shared/api/contracts/templates.ts';
import type { AssetType } from '../../../shared/domain/market.ts';
import { apiGet, apiPatch, apiPost, apiPut } from './client.ts';

// Queries and writes of the Signals page: scorecards, the change feed and the template editor.

/** Every template's scorecard per market (or one market): firings and forward returns vs the baseline. */
export const templateScorecardsQuery = (assetType?: AssetType) =>
  queryOptions({
    queryKey: ['templates', 'scorecards', assetType ?? 'all'],
    queryFn: ({ signal }) =>
      apiGet<TemplateScorecards>('/scorecards/templates', { asset_type: assetType }, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });

/** What changed on a date; `universe` narrows it to one market. */
export const signalFeedQuery = (date: string, universe?: string) =>
  queryOptions({
    queryKey: ['signals', 'feed', date, universe ?? 'all'],
    queryFn: ({ signal }) => apiGet<SignalFeed>('/signals/feed', { date, universe }, { signal }),
    placeholderData: keepPreviousData,
  });

/** One template with every stored version and whether it is a built-in. */
export const templateDetailQuery = (id: string) =>
  queryOptions({
    queryKey: ['templates', 'detail', id],
    queryFn: ({ signal }) =>
      apiGet<TemplateDetail>(`/templates/${encodeURIComponent(id)}`, undefined, { signal }),
  });

/** Server-side validation of a draft: the same zod schema that guards the writes. */
export function validateTemplate(definition: unknown): Promise<TemplateValidation> {
  return apiPost<TemplateValidation>('/templates/validate', definition);
}

/** Which assets a valid draft fires on, each universe on its latest date; nothing is written. */
export const templatePreviewQuery = (definition: unknown, key: string) =>
  queryOptions({
    queryKey: ['templates', 'preview', key],
    queryFn: () => apiPost<TemplatePreview>('/templates/preview', { template: definition }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

/** Templates, their scorecards and the signal lists all change when a template does. */
function useInvalidateTemplates() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['templates'] });
}

/** Enables or disables a template (admin). */
export function useSetTemplateEnabled() {
  const invalidate = useInvalidateTemplates();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      apiPatch<TemplateView>(`/templates/${encodeURIComponent(id)}`, { enabled }),
    onSettled: invalidate,
  });
}

/** Creates a template (no `id` yet) or stores a new version of an existing one (admin). */
export function useSaveTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({
    mutationFn: ({ existingId, definition }: { existingId: string | null; definition: unknown }) =>
      existingId
        ? apiPut<TemplateUpdate>(`/templates/${encodeURIComponent(existingId)}`, definition)
        : apiPost<TemplateView>('/templates', definition).then((t) => ({ ...t, changed: true })),
    onSettled: invalidate,
  });
}
