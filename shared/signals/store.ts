import type {
  TemplateDetail,
  TemplateUpdate,
  TemplateValidation,
  TemplateView,
} from '../api/contracts/templates.ts';
import type { Sql } from '../db/client.ts';
import { AppError } from '../errors/index.ts';
import { parseTemplate, type SignalTemplate, TemplateValidationError } from './schema.ts';
import { BUILTIN_TEMPLATES } from './templates/index.ts';

// Versions are immutable: a change inserts version = latest + 1, so every fact's
// (template, template_version) keeps naming the definition that produced it. `enabled` is a
// property of the template, kept equal on all its versions; a new version inherits it.

const BUILTIN_IDS = new Set(BUILTIN_TEMPLATES.map((t) => t.id));

/** Stores the built-in templates; an existing (id, version) is left as it is. Returns rows added. */
export async function syncBuiltinTemplates(sql: Sql): Promise<number> {
  const rows = BUILTIN_TEMPLATES.map((t) => ({
    id: t.id,
    version: t.version,
    name: t.name,
    description: t.description,
    direction: t.direction,
    definition: JSON.stringify(t),
  }));
  // A version newer than the stored ones is inserted as that version and keeps the template's
  // enabled state (a disabled built-in stays disabled across code upgrades).
  const res = await sql`
    insert into signal_templates (id, version, name, description, direction, definition, builtin, enabled)
    select t.id, t.version, t.name, t.description, t.direction, t.definition::jsonb, true,
      coalesce((select s.enabled from signal_templates s where s.id = t.id order by s.version desc limit 1), true)
    from jsonb_to_recordset(${sql.json(rows as never)})
      as t(id text, version int, name text, description text, direction text, definition text)
    on conflict (id, version) do nothing`;
  return res.count;
}

/** The latest version of every enabled template, parsed and validated. */
export async function loadActiveTemplates(sql: Sql): Promise<SignalTemplate[]> {
  const rows = await sql<{ definition: unknown }[]>`
    select definition from (
      select distinct on (id) definition, enabled from signal_templates order by id, version desc
    ) latest
    where enabled`;
  return rows.map((r) => parseTemplate(r.definition));
}

const isRecord = (json: unknown): json is Record<string, unknown> =>
  typeof json === 'object' && json !== null && !Array.isArray(json);

/** Validates a definition as a client sends it: the store assigns versions, so a given one is replaced. */
export function parseTemplateInput(json: unknown, version = 1): SignalTemplate {
  return parseTemplate(isRecord(json) ? { ...json, version } : json);
}

/** Every problem of a definition, without storing it. */
export function validateTemplate(json: unknown): TemplateValidation {
  try {
    parseTemplateInput(json);
    return { valid: true, issues: [] };
  } catch (err) {
    if (err instanceof TemplateValidationError) return { valid: false, issues: err.issues };
    throw err;
  }
}

/** Stores a new template as version 1; an id already stored or taken by a built-in is a conflict. */
export async function createTemplate(sql: Sql, json: unknown): Promise<TemplateView> {
  const t = parseTemplateInput(json);
  if (BUILTIN_IDS.has(t.id)) throw new AppError('conflict', `"${t.id}" is a built-in template id`);
  const [row] = await sql<TemplateView[]>`
    insert into signal_templates (id, version, name, description, direction, definition)
    select ${t.id}, ${t.version}, ${t.name}, ${t.description}, ${t.direction}, ${sql.json(t as never)}
    where not exists (select 1 from signal_templates where id = ${t.id})
    on conflict (id, version) do nothing
    returning id, version, name, description, direction, enabled, definition`;
  if (!row)
    throw new AppError('conflict', `template "${t.id}" already exists; PUT /templates/${t.id} changes it`);
  return row;
}

/**
 * Stores a changed definition as version latest + 1 (never rewriting a stored version); an
 * identical definition changes nothing and returns the latest version. Built-ins change in code.
 */
export function updateTemplate(sql: Sql, id: string, json: unknown): Promise<TemplateUpdate> {
  return sql.begin(async (tx) => {
    // Serializes changes to one template, so two concurrent updates cannot pick the same version.
    await tx`select pg_advisory_xact_lock(hashtext('signal_templates'), hashtext(${id}))`;
    const [latest] = await tx<(TemplateView & { builtin: boolean })[]>`
      select id, version, name, description, direction, enabled, definition, builtin
      from signal_templates where id = ${id} order by version desc limit 1`;
    if (!latest) throw new AppError('not_found', `unknown template "${id}"`);
    if (latest.builtin) {
      throw new AppError(
        'conflict',
        `"${id}" is a built-in template, versioned in code; create a copy under a new id`,
      );
    }
    // The body may omit the id; naming another template is an error, not a rename.
    const t = parseTemplateInput(isRecord(json) ? { id, ...json } : json, latest.version);
    if (t.id !== id) {
      throw new TemplateValidationError([
        { path: 'id', message: `must be "${id}", the template being changed` },
      ]);
    }
    const [same] = await tx<{ same: boolean }[]>`
      select definition = ${tx.json(t as never)} as same
      from signal_templates where id = ${id} and version = ${latest.version}`;
    const { builtin: _, ...current } = latest;
    if (same?.same) return { ...current, changed: false };
    const next = { ...t, version: latest.version + 1 };
    const [row] = await tx<TemplateView[]>`
      insert into signal_templates (id, version, name, description, direction, definition, enabled)
      values (${id}, ${next.version}, ${next.name}, ${next.description}, ${next.direction},
        ${tx.json(next as never)}, ${latest.enabled})
      returning id, version, name, description, direction, enabled, definition`;
    return { ...row!, changed: true };
  });
}

/** Enables or disables a template (all its versions); the signals stage evaluates enabled ones only. */
export async function setTemplateEnabled(sql: Sql, id: string, enabled: boolean): Promise<TemplateView> {
  const res = await sql`update signal_templates set enabled = ${enabled} where id = ${id}`;
  if (res.count === 0) throw new AppError('not_found', `unknown template "${id}"`);
  const [row] = await sql<TemplateView[]>`
    select id, version, name, description, direction, enabled, definition
    from signal_templates where id = ${id} order by version desc limit 1`;
  return row!;
}

/** A template with every stored version, newest first. */
export async function getTemplate(sql: Sql, id: string): Promise<TemplateDetail> {
  type Row = Omit<TemplateDetail['versions'][number], 'created_at'> & {
    created_at: Date;
    enabled: boolean;
    builtin: boolean;
  };
  const rows = await sql<Row[]>`
    select version, name, description, direction, definition, enabled, builtin, created_at
    from signal_templates where id = ${id} order by version desc`;
  const latest = rows[0];
  if (!latest) throw new AppError('not_found', `unknown template "${id}"`);
  return {
    id,
    version: latest.version,
    enabled: latest.enabled,
    builtin: latest.builtin,
    versions: rows.map(({ enabled: _e, builtin: _b, created_at, ...v }) => ({
      ...v,
      created_at: created_at.toISOString(),
    })),
  };
}
