import { z } from 'zod';
import { AppError } from '../errors/index.ts';

// Keyset cursors of GET /assets: the last row's sort value with its symbol and id, so the next page
// starts strictly after it under any sort, however rows are inserted or removed in between.

/** Where a page ended: the sort it was taken under and the last row's position in that order. */
export interface AssetCursor {
  sort: string;
  order: 'asc' | 'desc';
  /** The last row's sort value; null when it had none (such rows come last). */
  value: number | string | null;
  symbol: string;
  id: number;
  /** The total counted for the first page, carried along the chain so later pages need not count. */
  total?: number;
}

const Payload = z
  .object({
    s: z.string().max(64),
    o: z.enum(['asc', 'desc']),
    v: z.union([z.number(), z.string().max(200), z.null()]),
    k: z.string().max(64),
    i: z.number().int().positive(),
    t: z.number().int().nonnegative().optional(),
  })
  .strict();

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** The opaque text of a cursor. */
export function encodeCursor(c: AssetCursor): string {
  return toBase64Url(JSON.stringify({ s: c.sort, o: c.order, v: c.value, k: c.symbol, i: c.id, t: c.total }));
}

/**
 * Reads a cursor for a request sorted by `sort`/`order`; anything that is not a cursor of this
 * server for that sort is a 400, never a 500.
 */
export function decodeCursor(text: string, sort: string, order: 'asc' | 'desc'): AssetCursor {
  let payload: z.infer<typeof Payload>;
  try {
    payload = Payload.parse(JSON.parse(fromBase64Url(text)));
  } catch {
    throw new AppError('invalid_input', 'invalid cursor: pass the next_cursor of a previous page unchanged', {
      details: [{ path: 'cursor', message: 'not a cursor' }],
    });
  }
  if (payload.s !== sort || payload.o !== order) {
    const message = `the cursor belongs to sort=${payload.s}&order=${payload.o}, not sort=${sort}&order=${order}`;
    throw new AppError('invalid_input', message, { details: [{ path: 'cursor', message }] });
  }
  return { sort, order, value: payload.v, symbol: payload.k, id: payload.i, total: payload.t };
}
