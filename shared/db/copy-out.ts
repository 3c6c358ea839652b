// Reads as binary COPY data: each value arrives as its binary send form (8 bytes a float8), with no
// text to format in PostgreSQL and none to parse here, and no row objects. A bytea result would
// travel hex-encoded (twice the bytes, encoded and decoded); a row per object costs more to build
// than the query costs to run.
import type { Sql } from './client.ts';
import { COPY_BINARY_HEADER } from './copy.ts';

/** How a copied field is decoded: a 4-byte integer or an 8-byte float. */
export type CopyField = 'int4' | 'float8';

/** The stream postgres.js hands out for `copy ... to stdout`, as far as it is used here. */
interface CopyStream {
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * The bytes the stream yields, joined. Listens for events rather than iterating: async iteration of
 * postgres.js's copy stream was seen to hang after the last chunk.
 */
function drain(stream: CopyStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const out = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        out.set(chunk, at);
        at += chunk.byteLength;
      }
      resolve(out);
    };
    stream.on('data', (chunk) => {
      chunks.push(chunk);
      size += chunk.byteLength;
    });
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      reject(err);
    };
    stream.on('end', finish);
    stream.on('close', () => fail(new Error('binary COPY stream closed before its end')));
    stream.on('error', fail);
  });
}

/**
 * Runs `query` (a trusted select) as `copy (query) to stdout (format binary)` and decodes its rows into
 * one Float64Array per field, in row order; `fields` names each field's binary type (the query casts to
 * them). A null is NaN.
 */
export async function copyOutColumns(
  sql: Sql,
  query: string,
  fields: readonly CopyField[],
): Promise<Float64Array[]> {
  const stream = await sql.unsafe(`copy (${query}) to stdout (format binary)`).readable();
  const bytes = await drain(stream as unknown as CopyStream);
  // postgres.js (3.4) pauses the socket when the stream's buffer is full (rows arriving before the
  // listener is attached) and resumes it only from the stream's read(), which is never called again
  // once the data has ended: the connection then hangs its next query. Resuming after the end is a
  // no-op on a flowing socket.
  (stream as unknown as { _read: (size: number) => void })._read(0);
  for (let i = 0; i < 11; i++)
    if (bytes[i] !== COPY_BINARY_HEADER[i]) throw new Error('binary COPY data without its signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = 19 + view.getInt32(15);
  // One pass to count the rows, so each column is allocated once at its size.
  let rows = 0;
  for (let at = start; view.getInt16(at) !== -1; rows++) {
    const n = view.getInt16(at);
    if (n !== fields.length) throw new Error(`binary COPY row of ${n} fields, expected ${fields.length}`);
    at += 2;
    for (let f = 0; f < n; f++) {
      const len = view.getInt32(at);
      at += 4 + Math.max(0, len);
    }
  }
  const columns = fields.map(() => new Float64Array(rows));
  for (let r = 0, at = start; r < rows; r++) {
    at += 2;
    for (let f = 0; f < fields.length; f++) {
      const len = view.getInt32(at);
      at += 4;
      if (len < 0) columns[f]![r] = Number.NaN;
      else {
        columns[f]![r] = fields[f] === 'int4' ? view.getInt32(at) : view.getFloat64(at);
        at += len;
      }
    }
  }
  return columns;
}
