// The two TA-Lib peers built by setup-talib.sh: the `talib` npm binding, loaded in-process, and the C
// harness, run as a child process over a bars file. Either may be missing; the bench then says why.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../local/database.ts';
import type { Ticker } from './data.ts';
import type { Outcome } from './measure.ts';

const OUT_DIR = join(ROOT, '.stratos/bench/talib/out');
const BINDING = join(OUT_DIR, 'talib.node');
const HARNESS = join(OUT_DIR, 'talib-harness');
const HARNESS_SOURCE = join(ROOT, 'scripts/bench/talib-harness.c');
const SETUP_HINT = 'run scripts/bench/setup-talib.sh';

/** TA-Lib's outputs from its first defined bar (`begIndex`), in TA-Lib's output order. */
interface TalibOutput {
  begIndex: number;
  nbElement: number;
  result: Record<string, number[]>;
}

/** The part of the `talib` binding the bench uses: the synchronous `execute`. */
export interface TalibBinding {
  execute(params: Record<string, unknown>): TalibOutput;
}

export function loadTalibBinding(): Outcome<TalibBinding> {
  if (!existsSync(BINDING)) return { ok: false, reason: `not built (${SETUP_HINT})` };
  try {
    const binding = createRequire(import.meta.url)(BINDING) as TalibBinding;
    return { ok: true, value: binding };
  } catch (err) {
    return { ok: false, reason: `cannot load ${BINDING}: ${(err as Error).message.split('\n')[0]}` };
  }
}

/** What the C harness measured: ns per bar by label, and TA-Lib's outputs on the sampled series. */
export interface HarnessResult {
  nsPerBar: Map<string, number>;
  /** Keyed by `${series index}|${label}`. */
  outputs: Map<string, { begIndex: number; values: number[][] }>;
}

/** Runs the C harness over the tickers: best of `runs` rounds per indicator, outputs for `sample`. */
export function runHarness(
  tickers: readonly Ticker[],
  runs: number,
  sample: readonly number[],
): Outcome<HarnessResult> {
  if (!existsSync(HARNESS)) return { ok: false, reason: `not built (${SETUP_HINT})` };
  if (statSync(HARNESS_SOURCE).mtimeMs > statSync(HARNESS).mtimeMs) {
    return { ok: false, reason: `talib-harness.c changed since the last build (${SETUP_HINT})` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'stratos-bench-'));
  try {
    const file = join(dir, 'bars.bin');
    writeFileSync(file, barsFile(tickers));
    const res = spawnSync(HARNESS, [file, String(runs), ...sample.map(String)], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (res.error) return { ok: false, reason: `talib-harness: ${res.error.message}` };
    if (res.status !== 0)
      return { ok: false, reason: res.stderr.trim() || `talib-harness exited ${res.status}` };
    return { ok: true, value: parseHarnessOutput(res.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The harness' input: uint32 series count, then per series uint32 n and n float64 each of O, H, L, C, V. */
function barsFile(tickers: readonly Ticker[]): Buffer {
  let bytes = 4;
  for (const t of tickers) bytes += 4 + 5 * 8 * t.series.close.length;
  const buf = Buffer.alloc(bytes);
  let at = buf.writeUInt32LE(tickers.length, 0);
  for (const { series: s } of tickers) {
    at = buf.writeUInt32LE(s.close.length, at);
    for (const column of [s.open, s.high, s.low, s.close, s.volume]) {
      for (const v of column) at = buf.writeDoubleLE(v, at);
    }
  }
  return buf;
}

function parseHarnessOutput(stdout: string): HarnessResult {
  const result: HarnessResult = { nsPerBar: new Map(), outputs: new Map() };
  for (const line of stdout.split('\n')) {
    const [kind, ...fields] = line.split(' ');
    if (kind === 'time') {
      result.nsPerBar.set(fields[0]!, Number(fields[1]));
    } else if (kind === 'out') {
      const [series, label, output, begIndex, ...values] = fields;
      const key = `${series}|${label}`;
      const entry = result.outputs.get(key) ?? { begIndex: Number(begIndex), values: [] };
      entry.values[Number(output)] = values.map(Number);
      result.outputs.set(key, entry);
    }
  }
  return result;
}
