// Loads TA-Lib reference outputs (generated with npm talib@2.0.5, TA-Lib C core 0.6.0-dev; see
// ../shared/data/README.md section 4c) and compares indicator series against them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** OHLCV inputs of a fixture, as TA-Lib read them. */
export interface FixtureInput {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** A parsed fixture: its inputs, any output column, and where TA-Lib says that column starts. */
export interface LoadedFixture {
  name: string;
  rows: number;
  input: FixtureInput;
  /** Column values, NaN for empty cells (inside TA-Lib's lookback). */
  column(name: string): Float64Array;
  /** TA-Lib's outBegIdx for the function that produced `column`, from the `.meta.json`. */
  begIndex(column: string): number;
}

/** A fixture file that may be absent (the SPY series lives outside the repo). */
export interface TalibFixture {
  name: string;
  path: string;
  available: boolean;
  load(): LoadedFixture;
}

interface MetaFunction {
  column_prefix: string;
  begIndex: number;
}

function fixture(name: string, path: string): TalibFixture {
  let cached: LoadedFixture | undefined;
  return {
    name,
    path,
    available: existsSync(path),
    load() {
      cached ??= parse(name, path);
      return cached;
    },
  };
}

function parse(name: string, path: string): LoadedFixture {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const rows = lines.length - 1;
  const columns = new Map<string, Float64Array>(header.map((h) => [h, new Float64Array(rows)]));
  const byIndex = header.map((h) => columns.get(h)!);
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1]!.split(',');
    for (let c = 0; c < byIndex.length; c++) {
      const cell = cells[c] ?? '';
      byIndex[c]![r] = cell === '' ? Number.NaN : Number(cell);
    }
  }
  const meta = JSON.parse(readFileSync(path.replace(/\.csv$/, '.meta.json'), 'utf8')) as {
    functions: MetaFunction[];
  };
  const column = (col: string): Float64Array => {
    const values = columns.get(col);
    if (!values) throw new Error(`${name}: no column ${col}`);
    return values;
  };
  return {
    name,
    rows,
    input: {
      open: column('open'),
      high: column('high'),
      low: column('low'),
      close: column('close'),
      volume: column('volume'),
    },
    column,
    begIndex(col) {
      // Multi-output columns are <prefix>_<output>; the longest matching prefix is the producing call.
      const fn = meta.functions
        .filter((f) => col === f.column_prefix || col.startsWith(`${f.column_prefix}_`))
        .sort((a, b) => b.column_prefix.length - a.column_prefix.length)[0];
      if (!fn) throw new Error(`${name}: no meta entry for ${col}`);
      return fn.begIndex;
    },
  };
}

/** TA-Lib on the 252-bar regression-test series; committed with the repo. */
const REGTEST_252 = fixture(
  'regtest252',
  resolve(repoRoot, 'test/fixtures/talib/talib_outputs_regtest252.csv'),
);

/** TA-Lib on SPY daily 1999-2020 (5,241 bars); present only where the shared data folder is. */
const SPY_D = fixture('SPY_D', resolve(repoRoot, '../shared/data/talib/talib_outputs_SPY_D.csv'));

/** Every fixture an indicator test runs against; absent ones are skipped with it.skipIf. */
export const TALIB_FIXTURES: readonly TalibFixture[] = [REGTEST_252, SPY_D];

/** Asserts `actual` is NaN before TA-Lib's begIndex for `column`, then equals TA-Lib to 1e-9 (relative). */
export function expectTalibMatch(actual: Float64Array, fx: LoadedFixture, column: string): void {
  const expected = fx.column(column);
  const begin = fx.begIndex(column);
  expect(actual.length, `${fx.name} ${column}: length`).toBe(fx.rows);
  // Relative 1e-9, absolute 1e-9 near 0; a NaN on either side fails the <=.
  const matches = (a: number, e: number) => Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e));
  const problems: string[] = [];
  for (let i = 0; i < fx.rows; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (i < begin) {
      if (!Number.isNaN(a)) problems.push(`bar ${i}: expected NaN inside the lookback (${begin}), got ${a}`);
    } else if (!matches(a, e)) {
      problems.push(`bar ${i}: got ${a}, TA-Lib ${e}`);
    }
  }
  expect(problems.slice(0, 5), `${fx.name} ${column}: ${problems.length} mismatching bars`).toEqual([]);
}
