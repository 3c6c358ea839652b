import type { AssetRow } from '../../../shared/api/contracts/assets.ts';

// CSV export of the screener's result: every page of the current filter and sort, fetched through
// the cursor up to a cap, written as RFC 4180 CSV.

/** One page of GET /assets as the export needs it. */
export interface Page<T> {
  items: T[];
  total: number;
  next_cursor: string | null;
}

/** The rows of every page, in order, stopping at `cap` rows (`truncated` then says so). */
export async function collectPages<T>(
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  opts: { cap: number; onProgress?: (done: number, total: number) => void },
): Promise<{ items: T[]; total: number; truncated: boolean }> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  let total = 0;
  for (;;) {
    const page = await fetchPage(cursor);
    total = page.total;
    items.push(...page.items);
    opts.onProgress?.(Math.min(items.length, opts.cap), Math.min(total, opts.cap));
    if (items.length >= opts.cap) {
      const truncated = items.length > opts.cap || page.next_cursor !== null;
      return { items: items.slice(0, opts.cap), total, truncated };
    }
    // A cursor seen before would loop forever; an empty page with a cursor would too.
    if (page.next_cursor === null || page.items.length === 0 || seen.has(page.next_cursor)) break;
    seen.add(page.next_cursor);
    cursor = page.next_cursor;
  }
  return { items, total, truncated: false };
}

// Spreadsheets evaluate a cell starting with these as a formula (CSV injection); a text cell gets
// a leading apostrophe so it stays text. Numbers are written as numbers and never prefixed.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: quoted when it holds a separator, quote or line break. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document with a header row; lines end with CRLF as RFC 4180 says. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The screener export: identity, latest close, the chosen feature columns, signals, review and flags. */
export function assetsCsv(rows: readonly AssetRow[], columns: readonly string[]): string {
  const header = [
    'symbol',
    'name',
    'asset_type',
    'sector',
    'date',
    'close',
    ...columns,
    'signals',
    'attention_score',
    'review_direction',
    'review_model',
    'quality_flags',
  ];
  return toCsv(
    header,
    rows.map((r) => [
      r.symbol,
      r.name,
      r.asset_type,
      r.sector,
      r.date,
      r.close,
      ...columns.map((c) => r.features[c] ?? null),
      r.signals.map((s) => s.template).join(';'),
      r.review?.attention_score ?? null,
      r.review?.direction ?? null,
      r.review?.model ?? null,
      r.quality_flags.map((f) => f.kind).join(';'),
    ]),
  );
}
