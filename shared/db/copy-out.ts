// Reads as binary COPY data: each value arrives as its binary send form, with no text to format in
// PostgreSQL and none to parse here, and no row objects.
import type { Sql } from './client.ts';
import { COPY_BINARY_HEADER } from './copy.ts';

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

/** The binary COPY data of `query` (a trusted select), its signature checked; the connection left usable. */
async function copyOut(sql: Sql, query: string): Promise<{ view: DataView; start: number }> {
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
  return { view, start: 19 + view.getInt32(15) };
}

/**
 * Runs `query` and returns each row's fields as raw bytes (null for NULL): a bytea field is its bytes
 * as they are, where a bytea result column would travel hex-encoded. postgres.js hands out one stream
 * chunk per row, so few wide rows (packed columns) copy far faster than many narrow ones.
 */
export async function copyOutRows(sql: Sql, query: string): Promise<(Uint8Array | null)[][]> {
  const { view, start } = await copyOut(sql, query);
  const rows: (Uint8Array | null)[][] = [];
  for (let at = start; view.getInt16(at) !== -1; ) {
    const n = view.getInt16(at);
    at += 2;
    const row: (Uint8Array | null)[] = [];
    for (let f = 0; f < n; f++) {
      const len = view.getInt32(at);
      at += 4;
      row.push(len < 0 ? null : new Uint8Array(view.buffer, view.byteOffset + at, len));
      at += Math.max(0, len);
    }
    rows.push(row);
  }
  return rows;
}
