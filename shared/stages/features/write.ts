// Feature rows go to PostgreSQL as binary COPY data: 129 float8 columns a row are 8 bytes each on the wire,
// with no number formatting here and no parsing there, which was most of a backfill's time as text
// (arrays of decimal strings through unnest); a daily run's few rows still go as arrays. Only typed arrays and the postgres.js client are used, so
// the module runs unchanged under Node and Deno.
import type postgres from 'postgres';
import type { Sql } from '../../db/client.ts';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER, copyIn, pgDays } from '../../db/copy.ts';
import { ASSET_FEATURE_NAMES, type FeatureName, UNIVERSE_FEATURE_NAMES } from '../../features/catalogue.ts';
import type { AssetFeatures } from '../../features/compute.ts';

/** One asset's computed features, of which rows [start, end) of `dates` are written. */
export interface FeatureBlock {
  assetId: number;
  dates: readonly string[];
  values: AssetFeatures;
  /** The universe-ranked features, aligned with `dates`; written as null when absent. */
  ranks?: Partial<Record<FeatureName, Float64Array>>;
  start: number;
  end: number;
}

/** The catalogue columns, in COPY order; names come from the catalogue, never from input. */
const NAMES = [...ASSET_FEATURE_NAMES, ...UNIVERSE_FEATURE_NAMES];
/** The columns a features write fills, in COPY order. */
const COLUMNS = ['asset_id', 'date', ...NAMES];

/** The block's columns in NAMES order (NaN, written as null, for a rank it does not carry). */
function columnsOf(b: FeatureBlock): Float64Array[] {
  const asset = ASSET_FEATURE_NAMES.map((n) => b.values[n]);
  const ranks = UNIVERSE_FEATURE_NAMES.map(
    (n) => b.ranks?.[n] ?? new Float64Array(b.dates.length).fill(Number.NaN),
  );
  return [...asset, ...ranks];
}
/** Bytes handed to the connection at a time. */
const PIECE_BYTES = 1 << 20;
/** The most bytes a row takes: field count, then length and 8 bytes per column. */
const ROW_BYTES = 2 + COLUMNS.length * 12;
/** Up to this many rows go as one insert with an array parameter per column, more through COPY. */
const SMALL_WRITE_ROWS = 2_000;
// Rewrites a stored row only when a value changed, so a rerun writes nothing.
const ON_CONFLICT = `on conflict (asset_id, date) do update
  set ${NAMES.map((n) => `${n} = excluded.${n}`).join(', ')}, computed_at = now()
  where (${NAMES.map((n) => `d.${n}`).join(', ')}) is distinct from (${NAMES.map((n) => `excluded.${n}`).join(', ')})`;
const INSERT_ARRAYS = `insert into daily_features as d (${COLUMNS.join(', ')})
  select * from unnest(${COLUMNS.map((c, i) => `$${i + 1}::${c === 'asset_id' ? 'bigint' : c === 'date' ? 'date' : 'float8'}[]`).join(', ')})
  ${ON_CONFLICT}`;
// Dropped at commit: a pooled connection never carries a table shaped by an older catalogue.
const CREATE_STAGING = `create temp table features_in (asset_id bigint, date date, ${NAMES.map((n) => `${n} float8`).join(', ')}) on commit drop`;
const INSERT_STAGED = `insert into daily_features as d (${COLUMNS.join(', ')})
  select ${COLUMNS.join(', ')} from features_in
  ${ON_CONFLICT}`;
/** The rows of `blocks` as binary COPY data in pieces of about PIECE_BYTES; NaN and ±Infinity become null. */
export function* encodeFeatureRows(blocks: readonly FeatureBlock[]): Generator<Uint8Array> {
  let buf = new Uint8Array(PIECE_BYTES + ROW_BYTES);
  let view = new DataView(buf.buffer);
  buf.set(COPY_BINARY_HEADER);
  let at = COPY_BINARY_HEADER.length;
  for (const b of blocks) {
    const columns = columnsOf(b);
    for (let i = b.start; i < b.end; i++) {
      if (at > PIECE_BYTES) {
        yield buf.subarray(0, at);
        buf = new Uint8Array(PIECE_BYTES + ROW_BYTES);
        view = new DataView(buf.buffer);
        at = 0;
      }
      view.setInt16(at, COLUMNS.length);
      view.setInt32(at + 2, 8);
      view.setBigInt64(at + 6, BigInt(b.assetId));
      view.setInt32(at + 14, 4);
      view.setInt32(at + 18, pgDays(b.dates[i]!));
      at += 22;
      for (const column of columns) {
        const x = column[i]!;
        if (Number.isFinite(x)) {
          view.setInt32(at, 8);
          view.setFloat64(at + 4, x);
          at += 12;
        } else {
          view.setInt32(at, -1);
          at += 4;
        }
      }
    }
  }
  buf.set(COPY_BINARY_TRAILER, at);
  yield buf.subarray(0, at + COPY_BINARY_TRAILER.length);
}

/**
 * COPYs the rows of `blocks` into `table` (a trusted identifier) in binary, inside the transaction `tx`;
 * returns the rows copied.
 */
export async function copyFeatureBlocks(
  tx: postgres.TransactionSql,
  table: string,
  blocks: readonly FeatureBlock[],
): Promise<number> {
  await copyIn(
    tx,
    `copy ${table} (${COLUMNS.join(', ')}) from stdin (format binary)`,
    encodeFeatureRows(blocks),
  );
  return blocks.reduce((n, b) => n + b.end - b.start, 0);
}

/**
 * Upserts the rows of `blocks` into `daily_features`, rewriting only rows whose values changed (a rerun
 * writes nothing and leaves `computed_at` as it was), the universe ranks the block carries included. A daily
 * run's few rows go as one insert with an array parameter per column; a range's many rows as binary
 * COPY, which costs a round trip or two more (on TCP without TCP_NODELAY, which postgres.js leaves off,
 * the statement after a COPY waits ~40 ms for a delayed ACK), but a small fraction of formatting and
 * parsing thousands of rows of decimal text. An asset with no stored row in its block's dates (a first
 * backfill) only adds rows: its rows are copied straight into `daily_features`, written once. The
 * others go into a temporary table and one insert from it that keeps only what differs. Two jobs
 * copying the same new rows at once cannot both succeed: the second fails on the primary key and its
 * retry finds the rows stored. Returns the rows inserted or changed.
 */
export async function upsertFeatureBlocks(sql: Sql, blocks: readonly FeatureBlock[]): Promise<number> {
  const rows = blocks.reduce((n, b) => n + Math.max(0, b.end - b.start), 0);
  if (rows === 0) return 0;
  if (rows <= SMALL_WRITE_ROWS) {
    const params: (number | string | null)[][] = COLUMNS.map(() => []);
    for (const b of blocks) {
      const columns = columnsOf(b);
      for (let i = b.start; i < b.end; i++) {
        params[0]!.push(b.assetId);
        params[1]!.push(b.dates[i]!);
        for (let c = 0; c < columns.length; c++) {
          const x = columns[c]![i]!;
          params[c + 2]!.push(Number.isFinite(x) ? x : null);
        }
      }
    }
    return (await sql.unsafe(INSERT_ARRAYS, params as never[])).count;
  }
  const written = blocks.filter((b) => b.end > b.start);
  return sql.begin(async (tx) => {
    // An unknown asset's rows take the insert too: there the asset check refuses them with its
    // message, which postgres.js loses when a COPY is refused after its last row.
    const direct = await tx<{ id: number }[]>`
      select x.id from unnest(
        ${written.map((b) => b.assetId)}::bigint[],
        ${written.map((b) => b.dates[b.start]!)}::date[],
        ${written.map((b) => b.dates[b.end - 1]!)}::date[]
      ) as x(id, first, last)
      where exists (select 1 from assets a where a.id = x.id)
        and not exists (select 1 from daily_features f where f.asset_id = x.id and f.date between x.first and x.last)`;
    const copied = new Set(direct.map((r) => Number(r.id)));
    const fresh = written.filter((b) => copied.has(b.assetId));
    const rest = written.filter((b) => !copied.has(b.assetId));
    let count = fresh.length > 0 ? await copyFeatureBlocks(tx, 'daily_features', fresh) : 0;
    if (rest.length > 0) {
      await tx.unsafe(CREATE_STAGING);
      await copyFeatureBlocks(tx, 'features_in', rest);
      count += (await tx.unsafe(INSERT_STAGED)).count;
    }
    return count;
  });
}
