import type { Sql } from '../db/client.ts';
import { AppError } from '../errors/index.ts';
import {
  BUILTIN_STRATEGIES,
  type BuiltinParameter,
  builtinParameters,
  builtinSpec,
} from './builtins/index.ts';
import { strategyName } from './naming.ts';
import { parseStrategy, type StrategyIssue, type StrategySpec, StrategyValidationError } from './spec.ts';

// Versions are immutable, as signal templates': a change stores version = latest + 1, so every
// backtest's (strategy_id, strategy_version) keeps naming the spec that produced it.

/** A stored strategy version as the API and CLI show it. */
export interface StrategyView {
  id: string;
  version: number;
  /** `<ASSET>_<TYPE>_<ID>`, unique among strategies. */
  name: string;
  description: string;
  builtin: boolean;
  /** A built-in's parameters (`--set`, POST /backtests `set`) with defaults and ranges; empty for others. */
  parameters: BuiltinParameter[];
  spec: StrategySpec;
  created_at: string;
}

/** A strategy with every stored version, newest first. */
export interface StrategyDetail {
  id: string;
  version: number;
  builtin: boolean;
  versions: StrategyView[];
}

/** POST /strategies/validate: every problem by field path, and the name the spec would be stored under. */
export interface StrategyValidation {
  valid: boolean;
  issues: StrategyIssue[];
  name: string | null;
}

interface Row {
  id: string;
  version: number;
  name: string;
  description: string;
  builtin: boolean;
  spec: unknown;
  created_at: Date;
}

const BUILTIN_IDS = new Set(BUILTIN_STRATEGIES.map((b) => b.id));

function view(r: Row): StrategyView {
  return {
    id: r.id,
    version: r.version,
    name: r.name,
    description: r.description,
    builtin: r.builtin,
    parameters: r.builtin ? builtinParameters(r.id) : [],
    spec: parseStrategy(r.spec),
    created_at: r.created_at.toISOString(),
  };
}

const isRecord = (json: unknown): json is Record<string, unknown> =>
  typeof json === 'object' && json !== null && !Array.isArray(json);

async function templateIds(sql: Sql): Promise<Set<string>> {
  const rows = await sql<{ id: string }[]>`select distinct id from signal_templates`;
  return new Set(rows.map((r) => r.id));
}

/** Names stored for strategies other than `id`: a new version may keep its own strategy's name. */
async function takenNames(sql: Sql, id: string): Promise<Set<string>> {
  const rows = await sql<{ name: string }[]>`select distinct name from strategies where id <> ${id}`;
  return new Set(rows.map((r) => r.name));
}

/**
 * Validates a spec as a client sends it (the store assigns versions, so a given one is replaced),
 * against the stored templates; throws StrategyValidationError naming each bad field.
 */
export async function parseStrategyInput(sql: Sql, json: unknown, version = 1): Promise<StrategySpec> {
  return parseStrategy(isRecord(json) ? { ...json, version } : json, { templates: await templateIds(sql) });
}

/** Every problem of a spec without storing it, and the name it would get. */
export async function validateStrategy(sql: Sql, json: unknown): Promise<StrategyValidation> {
  try {
    const spec = await parseStrategyInput(sql, json);
    return { valid: true, issues: [], name: strategyName(spec, null, await takenNames(sql, spec.id)) };
  } catch (err) {
    if (err instanceof StrategyValidationError) return { valid: false, issues: err.issues, name: null };
    throw err;
  }
}

/**
 * Stores the built-in strategies with their default parameters; an existing (id, version) is left as
 * it is. Returns rows added. Run by `stratos migrate`, as the built-in templates are.
 */
export async function syncBuiltinStrategies(sql: Sql): Promise<number> {
  let added = 0;
  for (const b of BUILTIN_STRATEGIES) {
    const spec = builtinSpec(b.id);
    const name = strategyName(spec, null, await takenNames(sql, spec.id));
    const res = await sql`
      insert into strategies (id, version, name, description, spec, builtin)
      values (${spec.id}, ${spec.version}, ${name}, ${b.description}, ${sql.json(spec as never)}, true)
      on conflict (id, version) do nothing`;
    added += res.count;
  }
  return added;
}

/** The latest version of every strategy, by id. */
export async function listStrategies(sql: Sql): Promise<StrategyView[]> {
  const rows = await sql<Row[]>`
    select distinct on (id) id, version, name, description, builtin, spec, created_at
    from strategies order by id, version desc`;
  return rows.map(view);
}

/** A strategy with every stored version, newest first; unknown is not_found. */
export async function getStrategy(sql: Sql, id: string): Promise<StrategyDetail> {
  const rows = await sql<Row[]>`
    select id, version, name, description, builtin, spec, created_at
    from strategies where id = ${id} order by version desc`;
  const latest = rows[0];
  if (!latest) throw new AppError('not_found', `unknown strategy "${id}"`);
  return { id, version: latest.version, builtin: latest.builtin, versions: rows.map(view) };
}

/** One stored version (default: the latest); unknown is not_found. */
export async function loadStrategy(sql: Sql, id: string, version?: number): Promise<StrategyView> {
  const [row] = await sql<Row[]>`
    select id, version, name, description, builtin, spec, created_at from strategies
    where id = ${id} and (${version ?? null}::int is null or version = ${version ?? null}::int)
    order by version desc limit 1`;
  if (!row)
    throw new AppError('not_found', `unknown strategy "${id}"${version ? ` version ${version}` : ''}`);
  return view(row);
}

/**
 * Stores a spec as the next version of its id (version 1 when new); a spec equal to the latest
 * version stores nothing and returns it with `changed` false. Built-ins change in code only.
 */
export function saveStrategy(sql: Sql, json: unknown): Promise<StrategyView & { changed: boolean }> {
  return sql.begin(async (tx) => {
    const db = tx as unknown as Sql;
    const first = await parseStrategyInput(db, json);
    if (BUILTIN_IDS.has(first.id))
      throw new AppError('conflict', `"${first.id}" is a built-in strategy; save a copy under a new id`);
    // Serializes saves of one id, so two concurrent saves cannot pick the same version.
    await tx`select pg_advisory_xact_lock(hashtext('strategies'), hashtext(${first.id}))`;
    const [latest] = await tx<Row[]>`
      select id, version, name, description, builtin, spec, created_at
      from strategies where id = ${first.id} order by version desc limit 1`;
    if (latest) {
      const current = parseStrategy(latest.spec);
      const same = await parseStrategyInput(db, json, current.version);
      const [eq] = await tx<{ same: boolean }[]>`
        select ${tx.json(same as never)}::jsonb = ${tx.json(current as never)}::jsonb as same`;
      if (eq?.same) return { ...view(latest), changed: false };
    }
    const spec = await parseStrategyInput(db, json, (latest?.version ?? 0) + 1);
    const name = strategyName(spec, null, await takenNames(db, spec.id));
    const [row] = await tx<Row[]>`
      insert into strategies (id, version, name, description, spec)
      values (${spec.id}, ${spec.version}, ${name}, ${spec.description}, ${tx.json(spec as never)})
      returning id, version, name, description, builtin, spec, created_at`;
    return { ...view(row!), changed: true };
  });
}
