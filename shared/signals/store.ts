import type { Sql } from '../db/client.ts';
import { parseTemplate, type SignalTemplate } from './schema.ts';
import { BUILTIN_TEMPLATES } from './templates/index.ts';

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
  const res = await sql`
    insert into signal_templates (id, version, name, description, direction, definition, builtin)
    select id, version, name, description, direction, definition::jsonb, true
    from jsonb_to_recordset(${sql.json(rows as never)})
      as t(id text, version int, name text, description text, direction text, definition text)
    on conflict (id, version) do nothing`;
  return res.count;
}

/** The latest version of every enabled template, parsed and validated. */
export async function loadActiveTemplates(sql: Sql): Promise<SignalTemplate[]> {
  const rows = await sql<{ definition: unknown }[]>`
    select distinct on (id) definition from signal_templates
    where enabled
    order by id, version desc`;
  return rows.map((r) => parseTemplate(r.definition));
}
