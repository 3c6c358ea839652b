// Rows packed as float8send bytes: a loader receives a few strings per asset instead of a row object
// per asset-day, which would cost more to parse than the query costs to run.

/**
 * SQL aggregate packing rows for transfer: each row's values of `columns` (SQL expressions the caller
 * has whitelisted) as big-endian float8 (float8send; NaN for null) back to back, the rows
 * concatenated in `orderBy` order into one bytea.
 */
export function packRows(columns: readonly string[], orderBy: string): string {
  const row =
    columns.length > 0 ? columns.map((c) => `float8send(coalesce(${c}, 'NaN'))`).join(' || ') : "''";
  return `string_agg(${row}, ''::bytea order by ${orderBy})`;
}

/** Decodes rows packed by packRows into `out` (one array per column), row k landing at `offset + k`. */
export function unpackRows(bytes: Uint8Array | null, out: readonly Float64Array[], offset: number): void {
  if (!bytes || out.length === 0) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows = bytes.byteLength / 8 / out.length;
  for (let k = 0, at = 0; k < rows; k++)
    for (const column of out) column[offset + k] = view.getFloat64(at++ * 8);
}

/** Big-endian float8 values packed back to back, as float8send writes them. */
export function float8s(bytes: Uint8Array | null): Float64Array {
  if (!bytes) return new Float64Array(0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8);
  return out;
}

/** Big-endian int4 values packed back to back, as int4send writes them. */
export function int4s(bytes: Uint8Array | null): Int32Array {
  if (!bytes) return new Int32Array(0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4);
  return out;
}

/**
 * SQL aggregates packing columns without ORDER BY: each column's values (big-endian float8 via
 * float8send, NaN for null; `int4` ones via int4send) back to back in one bytea. Aggregates of one
 * query see the rows in the same order, so the columns align without a sort.
 */
export function packColumns(columns: readonly { sql: string; int4?: boolean }[]): string {
  return columns
    .map((c) =>
      c.int4
        ? `string_agg(int4send(${c.sql}), ''::bytea)`
        : `string_agg(float8send(coalesce(${c.sql}, 'NaN')), ''::bytea)`,
    )
    .join(', ');
}
