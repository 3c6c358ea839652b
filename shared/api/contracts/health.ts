// The public endpoints: GET /health and GET /openapi.json.
import { z } from 'zod';
import { RunView } from './runs.ts';

/** GET /health: database reachability, the latest bar date and the latest runs. */
export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ ok: z.boolean(), latency_ms: z.number() }),
  latest_date: z.string().nullable(),
  runs: z.array(RunView),
});
export type Health = z.infer<typeof Health>;

/** GET /openapi.json: an OpenAPI 3.1 document. */
export const OpenApiDocument = z
  .object({
    openapi: z.string(),
    info: z.record(z.string(), z.unknown()),
    paths: z.record(z.string(), z.unknown()),
  })
  .loose();
