import type { Sql } from '../db/client.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import { listAssets } from './assets.ts';
import type { AssetListQuery } from './contracts/assets.ts';

// GET /assets answers repeated queries from memory. Computed, a page costs 1-3 ms of Node and 1.3-5
// ms of PostgreSQL CPU per request (the API bench, /proc), which on 2 cores caps the list at a few
// hundred requests a second and puts p95 over 100 ms at 32 clients; the V8 profile of the gateway
// (`scripts/bench/api.ts --profile`) puts the Node share in the page's assembly (shared/api), Node's
// HTTP, postgres.js row parsing and garbage collection, with zod, auth and JSON under 2% each, so no
// single part of the computed path is worth the cache's tenfold. The list only changes when a stage
// writes, so a query seen before is answered with its stored body after one read of the data
// generation (migration 20261209000200: moved by every write to a table the list reads), and a client
// that sends the ETag it holds gets a 304. Credentials are still checked on every request (by the
// route's guard).

/**
 * Bodies kept at most (characters of JSON text, summed): a 50-row page is 15-30 thousand, so a few
 * hundred pages, small beside an Edge Function's memory and the heap the collector must walk.
 */
const MAX_BYTES = 4 * 1024 * 1024;

interface Entry {
  generation: bigint;
  body: string;
  etag: string;
}

/** One answer of GET /assets: a body with its ETag, or a 304 when the client's ETag is current. */
export type AssetListAnswer = { status: 200; body: string; etag: string } | { status: 304; etag: string };

/** The generation a snapshot sees: the sum of the per-backend counters. */
async function readGeneration(sql: Sql): Promise<bigint> {
  const [row] = await sql<{ g: string }[]>`select sum(n)::text as g from public.api_data_generation`;
  return BigInt(row!.g);
}

/** The cache key of a parsed query: its fields in a fixed order, defaults applied. */
function keyOf(query: AssetListQuery): string {
  return JSON.stringify(Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A strong ETag of a body: two 32-bit FNV-1a hashes with different offsets and the length, so equal
 * bodies (in any process) share it and different ones almost surely do not.
 */
function etagOf(body: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ body.length;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return `"${(a >>> 0).toString(36)}-${(b >>> 0).toString(36)}-${body.length.toString(36)}"`;
}

/** Whether an If-None-Match header names `etag` (a list, `*`, or weak forms). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * GET /assets through a response cache of one process: the body of a query computed in a
 * repeatable-read snapshot is stored with the generation that snapshot saw, and served while the
 * current generation is the same (a write moves it, and the next request computes again).
 */
export function createAssetListCache(ctx: PipelineContext) {
  const entries = new Map<string, Entry>();
  let generation = -1n;
  let bytes = 0;

  const drop = (key: string, e: Entry) => {
    entries.delete(key);
    bytes -= e.body.length;
  };

  const store = (key: string, e: Entry) => {
    // Bodies of an older generation can never be served again.
    if (e.generation > generation) {
      entries.clear();
      bytes = 0;
      generation = e.generation;
    } else if (e.generation < generation) {
      return;
    }
    const old = entries.get(key);
    if (old) drop(key, old);
    if (e.body.length > MAX_BYTES) return;
    entries.set(key, e);
    bytes += e.body.length;
    // Oldest first: the Map's order is insertion order, and a hit re-inserts its entry.
    for (const [k, v] of entries) {
      if (bytes <= MAX_BYTES) break;
      drop(k, v);
    }
  };

  return {
    /** The answer to a parsed query, given the request's If-None-Match header. */
    async list(query: AssetListQuery, ifNoneMatch: string | undefined): Promise<AssetListAnswer> {
      const key = keyOf(query);
      // Read after the request arrived: a write committed before it is part of this generation.
      const now = await readGeneration(ctx.sql);
      let entry = entries.get(key);
      if (entry && entry.generation === now) {
        entries.delete(key);
        entries.set(key, entry);
      } else {
        entry = await ctx.sql.begin('isolation level repeatable read read only', async (tx) => {
          const snapshot = tx as unknown as Sql;
          const seen = await readGeneration(snapshot);
          const body = JSON.stringify(await listAssets({ ...ctx, sql: snapshot }, query));
          return { generation: seen, body, etag: etagOf(body) };
        });
        store(key, entry);
      }
      return matches(ifNoneMatch, entry.etag)
        ? { status: 304, etag: entry.etag }
        : { status: 200, body: entry.body, etag: entry.etag };
    },
  };
}
