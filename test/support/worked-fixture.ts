// Loads the worked-example fixtures in test/fixtures/worked/: small CSVs copied from cited sources (each
// file's `#` header lines say where from) for the indicators TA-Lib lacks.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const worked = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/worked');

/** A parsed worked example: its row count and any numeric column by its header name. */
export interface WorkedFixture {
  rows: number;
  /** Column values, NaN for empty cells (where the source has no value yet). */
  column(name: string): Float64Array;
}

/** Reads test/fixtures/worked/<name>.csv, skipping its `#` provenance lines. */
export function loadWorked(name: string): WorkedFixture {
  const lines = readFileSync(resolve(worked, `${name}.csv`), 'utf8')
    .split(/\r?\n/)
    .filter((line) => line !== '' && !line.startsWith('#'));
  const header = lines[0]!.split(',');
  const body = lines.slice(1).map((line) => line.split(','));
  return {
    rows: body.length,
    column(col) {
      const c = header.indexOf(col);
      if (c < 0) throw new Error(`worked/${name}.csv: no column ${col}`);
      return Float64Array.from(body, (cells) => (cells[c] === '' ? Number.NaN : Number(cells[c])));
    },
  };
}
