// Bulk writes as binary COPY data: 8 bytes a float8 on the wire, no number formatting here and no
// parsing in PostgreSQL. Only typed arrays and the postgres.js client are used, so this runs unchanged
// under Node and Deno.
import type postgres from 'postgres';

/** "PGCOPY\n\xff\r\n\0", flags, header extension length: how binary COPY data starts. */
export const COPY_BINARY_HEADER = Uint8Array.from([
  80, 71, 67, 79, 80, 89, 10, 255, 13, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);
/** A field count of -1: how binary COPY data ends. */
export const COPY_BINARY_TRAILER = Uint8Array.from([255, 255]);

const DAY_MS = 86_400_000;
/** PostgreSQL counts dates in days from 2000-01-01. */
const PG_EPOCH_DAYS = Date.UTC(2000, 0, 1) / DAY_MS;

/** Days since 2000-01-01 of a 'YYYY-MM-DD' date: a `date` field of binary COPY data. */
export function pgDays(date: string): number {
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const day = new Date(0);
  day.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return day.getTime() / DAY_MS - PG_EPOCH_DAYS;
}

/**
 * Streams `pieces` through `statement` (a `copy ... from stdin` naming a trusted table) inside the
 * transaction `tx`. Each piece is produced when the socket has taken the previous one, so a lazy
 * iterable overlaps its work with the server's and never buffers whole. A refusal throws the
 * server's error instead of hanging.
 */
export async function copyIn(
  tx: postgres.TransactionSql,
  statement: string,
  pieces: Iterable<Uint8Array>,
): Promise<void> {
  const stream = await tx.unsafe(statement).writable();
  const finished = new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', reject);
  });
  // A refusal while pieces are still being sent destroys the stream with the server's error: the loop
  // stops and `finished` throws it.
  finished.catch(() => {});
  for (const piece of pieces) {
    if (stream.destroyed) break;
    await new Promise<void>((resolve) => stream.write(piece, () => resolve()));
  }
  if (stream.destroyed) await finished;
  stream.end();
  // postgres.js (3.4) never settles the stream when the server refuses the data after the last piece:
  // a query queued behind the COPY on the same connection fails instead (the transaction is aborted,
  // or the connection is gone), so a refused COPY throws rather than hangs. It is queued once the
  // stream has sent CopyDone (streams call _final on a later tick), or it would interleave with the COPY.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const table = /^copy\s+([^\s(]+)/i.exec(statement)?.[1] ?? 'COPY';
  const check = tx`select 1`.catch((err: Error) => {
    throw new Error(`COPY into ${table} was refused: ${err.message}`);
  });
  await Promise.all([finished, check]);
}
