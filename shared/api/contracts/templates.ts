// /templates: signal templates, their versions, validation and preview.
import { z } from 'zod';
import { AssetType, Direction, IsoDate } from '../../domain/market.ts';
import { UniverseId } from '../../domain/universes.ts';
import { SignalTemplate } from '../../signals/schema.ts';

/** A template's latest version with its enabled state. */
export const TemplateView = z.object({
  id: z.string(),
  version: z.number(),
  name: z.string(),
  description: z.string(),
  direction: Direction,
  enabled: z.boolean(),
  definition: z.record(z.string(), z.unknown()),
});
export type TemplateView = z.infer<typeof TemplateView>;

/** GET /templates. */
export const TemplateList = z.object({ items: z.array(TemplateView) });
export type TemplateList = z.infer<typeof TemplateList>;

/** Path of /templates/:id: a template id as the template schema spells it. */
export const TemplatePath = z.object({ id: SignalTemplate.shape.id }).strict();

/** Body of PATCH /templates/:id. */
export const TemplateEnabledBody = z.object({ enabled: z.boolean() }).strict();

/** One stored version of a template; versions are immutable once written. */
export const TemplateVersionView = z.object({
  version: z.number(),
  name: z.string(),
  description: z.string(),
  direction: Direction,
  definition: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

/** GET /templates/:id: the template's state and every version, newest first. */
export const TemplateDetail = z.object({
  id: z.string(),
  /** The latest version: the one the signals stage evaluates while the template is enabled. */
  version: z.number(),
  enabled: z.boolean(),
  builtin: z.boolean(),
  versions: z.array(TemplateVersionView),
});
export type TemplateDetail = z.infer<typeof TemplateDetail>;

/** PUT /templates/:id: the latest version; `changed` is false when the definition was identical. */
export const TemplateUpdate = TemplateView.extend({ changed: z.boolean() });
export type TemplateUpdate = z.infer<typeof TemplateUpdate>;

/** POST /templates/validate: every problem, each naming the offending field by its dot path. */
export const TemplateValidation = z.object({
  valid: z.boolean(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type TemplateValidation = z.infer<typeof TemplateValidation>;

/** Body of POST /templates/preview: a definition (validated like POST /templates) and where to try it. */
export const TemplatePreviewRequest = z
  .object({
    template: z.unknown(),
    /** Default: each universe's latest date with features. */
    date: IsoDate.optional(),
    /** Default: the `<type>_all` universe of each asset type the template applies to. */
    universe: UniverseId.optional(),
  })
  .strict();

/** An asset the previewed template would fire on. */
export const TemplatePreviewItem = z.object({
  universe: z.string(),
  date: z.string(),
  asset_id: z.number(),
  symbol: z.string(),
  asset_type: AssetType,
  direction: Direction,
  strength: z.number(),
  evidence: z.record(z.string(), z.number().nullable()),
});

/** POST /templates/preview; `date`/`universe` are null when each universe used its own default. */
export const TemplatePreview = z.object({
  template: z.string(),
  date: z.string().nullable(),
  universe: z.string().nullable(),
  items: z.array(TemplatePreviewItem),
});
export type TemplatePreview = z.infer<typeof TemplatePreview>;
