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

/** Days from 0000-03-01 (the start of days_from_civil's eras) to 2000-01-01, where PostgreSQL counts from. */
const PG_EPOCH_CIVIL = 730_425;

/** Days since 2000-01-01 of a 'YYYY-MM-DD' date: a `date` field of binary COPY data. */
export function pgDays(date: string): number {
  // Calendar arithmetic (Hinnant's days_from_civil), no Date per row; years 0-99 stay where they are.
  const digit = (i: number) => date.charCodeAt(i) - 48;
  const month = digit(5) * 10 + digit(6);
  const day = digit(8) * 10 + digit(9);
  // Years start in March, so a leap day ends its year.
  const year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3) - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - PG_EPOCH_CIVIL;
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
