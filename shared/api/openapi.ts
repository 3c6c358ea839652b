import { z } from 'zod';

// The OpenAPI 3.1 document of an HTTP API, generated from the zod schemas its routes validate and
// answer with: the route table that registers the handlers is the only input, so the two cannot drift.

/** Who may call a route: anyone, readers (publishable key or signed-in user) and up, or admins and up. */
export type Access = 'public' | 'reader' | 'admin';
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What the document needs to know about one route. */
export interface RouteDoc {
  method: Method;
  /** Hono syntax: `/runs/:id`. */
  path: string;
  summary: string;
  access: Access;
  query?: z.ZodObject | undefined;
  params?: z.ZodObject | undefined;
  body?: z.ZodType | undefined;
  /** Success status and its body. */
  status: number;
  response: z.ZodType;
  /** Further statuses with their own body (e.g. 503 with the health report). */
  alternates?: Record<number, z.ZodType> | undefined;
  /** Error statuses the handler itself may answer, besides 400 (bad input) and 401/403 (access). */
  errors?: number[] | undefined;
}

/** `/runs/:id` -> `/runs/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input: `{error, code, details}` names each offending field',
  401: 'Missing or invalid credentials',
  403: 'Valid credentials without the role this route needs',
  404: 'Not found',
  409: 'Conflict with the current state',
  503: 'Unavailable',
};

const SECURITY: Record<Access, Record<string, string[]>[]> = {
  public: [],
  // A publishable key, a signed-in user's access token, or anything stronger.
  reader: [{ apikey: [] }, { bearer: [] }],
  // The admin token or an admin user's access token as a bearer, or the secret key.
  admin: [{ bearer: [] }, { apikey: [] }],
};

const stripMeta = (schema: Record<string, unknown>) => {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
};

/**
 * Builds the document. `named` maps component names to schemas (a schemas module's exports): every
 * route's body and response must be one of them, so the document refers to them by name.
 */
export function openApiDocument(
  routes: readonly RouteDoc[],
  named: Record<string, unknown>,
  info: { title: string; version: string; description: string; server: string },
): Record<string, unknown> {
  const names = new Map<unknown, string>();
  for (const [name, value] of Object.entries(named)) {
    if (value instanceof z.ZodType && !names.has(value)) names.set(value, name);
  }
  const nameOf = (schema: z.ZodType, what: string) => {
    const name = names.get(schema);
    if (!name) throw new Error(`${what} is not a named schema: export it from the schemas module`);
    return name;
  };
  const outputs = z.registry<{ id: string }>();
  const inputs = z.registry<{ id: string }>();
  const add = (reg: typeof outputs, schema: z.ZodType, id: string) => {
    if (!reg.has(schema)) reg.add(schema, { id });
  };
  add(outputs, named.ApiError as z.ZodType, 'ApiError');

  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const where = `${r.method.toUpperCase()} ${r.path}`;
    const responseName = nameOf(r.response, `the response of ${where}`);
    add(outputs, r.response, responseName);
    const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
    const json = (description: string, id: string) => ({
      description,
      content: { 'application/json': { schema: ref(id) } },
    });
    const responses: Record<string, unknown> = { [r.status]: json('Success', responseName) };
    for (const [status, schema] of Object.entries(r.alternates ?? {})) {
      const id = nameOf(schema, `a response of ${where}`);
      add(outputs, schema, id);
      responses[status] = json(ERROR_TEXT[Number(status)] ?? 'Alternate response', id);
    }
    const errors = new Set(r.errors ?? []);
    if (r.query || r.params || r.body) errors.add(400);
    if (r.access !== 'public') {
      errors.add(401);
      errors.add(403);
    }
    for (const status of [...errors].sort())
      responses[status] = json(ERROR_TEXT[status] ?? 'Error', 'ApiError');

    const parameters = [...parameterDocs(r.params, 'path'), ...parameterDocs(r.query, 'query')];
    const operation: Record<string, unknown> = {
      operationId: `${r.method}${openApiPath(r.path)
        .replace(/[{}]/g, '')
        .replace(/(^|[/_-])(\w)/g, (_, __, ch: string) => ch.toUpperCase())}`,
      summary: r.summary,
      security: SECURITY[r.access],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: ref(inputName(r.body, where)) } },
            },
          }
        : {}),
      responses,
    };
    const path = openApiPath(r.path);
    paths[path] = { ...paths[path], [r.method]: operation };
  }

  function inputName(schema: z.ZodType, where: string): string {
    const base = nameOf(schema, `the body of ${where}`);
    // A body converts in input mode (before defaults and transforms); keep it apart from outputs.
    const id = outputs.has(schema) ? `${base}Input` : base;
    add(inputs, schema, id);
    return id;
  }

  const uri = (id: string) => `#/components/schemas/${id}`;
  const convert = (reg: typeof outputs, io: 'input' | 'output') =>
    Object.fromEntries(
      Object.entries(z.toJSONSchema(reg, { io, uri, unrepresentable: 'any' }).schemas).map(([id, s]) => [
        id,
        stripMeta(s as Record<string, unknown>),
      ]),
    );
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.server }],
    paths,
    components: {
      schemas: { ...convert(outputs, 'output'), ...convert(inputs, 'input') },
      securitySchemes: {
        apikey: {
          type: 'apiKey',
          in: 'header',
          name: 'apikey',
          description: 'The publishable key (reader) or the secret key (service)',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            "A signed-in user's access token (admin when app_metadata.role is admin) or the admin token",
        },
      },
    },
  };
}

function parameterDocs(schema: z.ZodObject | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => {
    const f = field as z.ZodType;
    return {
      name,
      in: where,
      required: where === 'path' || !f.safeParse(undefined).success,
      ...(f.description ? { description: f.description } : {}),
      schema: stripMeta(
        z.toJSONSchema(f, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
      ),
      ...(where === 'query' ? { style: 'form', explode: true } : {}),
    };
  });
}
