import {
  keepPreviousData,
  type QueryClient,
  queryOptions,
  useMutation,
  useQueryClient,
} from '@tanstack/react-query';
import type { TemplateScorecards } from '../../../../shared/api/contracts/scorecards.ts';
import type {
  TemplateDetail,
  TemplateList,
  TemplatePreview,
  TemplateUpdate,
  TemplateValidation,
  TemplateView,
} from '../../../../shared/api/contracts/templates.ts';
import type { AssetType } from '../../../../shared/domain/market.ts';
import { apiGet, apiPatch, apiPost, apiPut } from '../client.ts';
import { resourceKeys } from './keys.ts';

const templatesBase = resourceKeys('templates');

/** GET /templates, GET /templates/:id, POST /templates/preview and GET /scorecards/templates. */
export const templateKeys = {
  ...templatesBase,
  scorecards: (assetType?: AssetType) => [...templatesBase.all, 'scorecards', assetType ?? 'all'] as const,
  preview: (key: string) => [...templatesBase.all, 'preview', key] as const,
};

/** The signal templates (latest versions). */
export const templatesQuery = () =>
  queryOptions({
    queryKey: templateKeys.lists(),
    queryFn: ({ signal }) => apiGet<TemplateList>('/templates', undefined, { signal }),
    staleTime: 5 * 60_000,
  });

/** One template with every stored version and whether it is a built-in. */
export const templateDetailQuery = (id: string) =>
  queryOptions({
    queryKey: templateKeys.detail(id),
    queryFn: ({ signal }) =>
      apiGet<TemplateDetail>(`/templates/${encodeURIComponent(id)}`, undefined, { signal }),
  });

/** Every template's scorecard per market (or one market): firings and forward returns vs the baseline. */
export const templateScorecardsQuery = (assetType?: AssetType) =>
  queryOptions({
    queryKey: templateKeys.scorecards(assetType),
    queryFn: ({ signal }) =>
      apiGet<TemplateScorecards>('/scorecards/templates', { asset_type: assetType }, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });

/** Which assets a valid draft fires on, each universe on its latest date; nothing is written. */
export const templatePreviewQuery = (definition: unknown, key: string) =>
  queryOptions({
    queryKey: templateKeys.preview(key),
    queryFn: () => apiPost<TemplatePreview>('/templates/preview', { template: definition }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

/** Server-side validation of a draft: the same zod schema that guards the writes. */
export function validateTemplate(definition: unknown): Promise<TemplateValidation> {
  return apiPost<TemplateValidation>('/templates/validate', definition);
}

/** After a template write: the list, the template's detail, its scorecards and previews. */
export function invalidateTemplates(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: templateKeys.all });
}

/** Enables or disables a template (admin). */
export function useSetTemplateEnabled() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      apiPatch<TemplateView>(`/templates/${encodeURIComponent(id)}`, { enabled }),
    onSettled: () => invalidateTemplates(queryClient),
  });
}

/** Creates a template (no `id` yet) or stores a new version of an existing one (admin). */
export function useSaveTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ existingId, definition }: { existingId: string | null; definition: unknown }) =>
      existingId
        ? apiPut<TemplateUpdate>(`/templates/${encodeURIComponent(existingId)}`, definition)
        : apiPost<TemplateView>('/templates', definition).then((t) => ({ ...t, changed: true })),
    onSettled: () => invalidateTemplates(queryClient),
  });
}
