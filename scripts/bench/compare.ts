// Side by side on the shared indicators: ns per bar for ours and each peer over the same series, and the
// largest relative difference between ours and each peer on a sample, so that no row compares two different
// computations without saying so.
import type { Dataset, Ticker } from './data.ts';
import { INDICATOR_CASES, type IndicatorCase, type TiCall, type TiLib } from './indicators.ts';
import { bestOfRounds, firstDefined, maxRelDiff, type Outcome } from './measure.ts';
import { type HarnessResult, loadTalibBinding, runHarness, type TalibBinding } from './talib.ts';

interface CompareOptions {
  /** Timed rounds (best of) for ours, technicalindicators, the talib binding and the C harness. */
  runs: { ours: number; ti: number; talib: number; c: number };
  /** How many series the agreement check samples, spread over the set. */
  sampleSize: number;
}

/** A peer's ns per bar and its largest relative difference from ours, or why there is none. */
export interface PeerResult {
  ns: Outcome<number>;
  diff: Outcome<number>;
  /** The largest difference that still counts as the same computation. */
  tolerance: number;
}

export interface IndicatorRow {
  case: IndicatorCase;
  ours: number;
  ti: PeerResult;
  talib: PeerResult;
  c: PeerResult;
}

export interface Comparison {
  rows: IndicatorRow[];
  sampled: number;
  /** Bars from which technicalindicators' values are compared (see TI_SETTLE_BARS). */
  tiSettleBars: number;
}

// technicalindicators seeds some recursive averages differently from TA-Lib (MACD's fast EMA starts on the
// first bar, not with the slow one); that difference decays geometrically, so its values are compared only
// after this many bars of output.
const TI_SETTLE_BARS = 250;
// Same computation: TA-Lib's running sums leave ~1e-13 relative residues; technicalindicators sums in
// other orders and seeds some averages its own way, which settles to ~1e-8.
const TALIB_TOLERANCE = 1e-9;
const TI_TOLERANCE = 1e-6;

const unavailable = (reason: string, tolerance: number): PeerResult => ({
  ns: { ok: false, reason },
  diff: { ok: false, reason },
  tolerance,
});

/** Series spread evenly over the set. */
function sampleIndices(count: number, size: number): number[] {
  const step = Math.max(1, Math.floor(count / size));
  const out: number[] = [];
  for (let i = 0; i < count && out.length < size; i += step) out.push(i);
  return out;
}

export async function compareIndicators(data: Dataset, opts: CompareOptions): Promise<Comparison> {
  const { tickers, bars } = data;
  const sample = sampleIndices(tickers.length, opts.sampleSize);
  const nsPerBar = (ms: number) => (ms * 1e6) / bars;
  // The C harness runs in its own process. Ours are timed before the in-process peers, whose garbage
  // would otherwise be collected during our passes.
  const harness = runHarness(tickers, opts.runs.c, sample);
  const ours = bestOfRounds(
    INDICATOR_CASES.map((c) => () => {
      for (const t of tickers) c.ours(t.series);
    }),
    opts.runs.ours,
  ).map(nsPerBar);
  const talib = bindingResults(tickers, sample, opts.runs.talib, nsPerBar);
  const ti = await tiResults(tickers, sample, opts.runs.ti, nsPerBar);
  const rows = INDICATOR_CASES.map(
    (c, i): IndicatorRow => ({
      case: c,
      ours: ours[i]!,
      ti: ti[i]!,
      talib: talib[i]!,
      c: harnessResult(c, harness, tickers, sample),
    }),
  );
  return { rows, sampled: sample.length, tiSettleBars: TI_SETTLE_BARS };
}

/** A case the peer can run: the pass to time, and how far its outputs were from ours. */
interface Runnable {
  pass: () => void;
  diff: number;
  tolerance: number;
}

/** Times the runnable cases; the others keep their reason. */
function timePeer(
  checked: (PeerResult | Runnable)[],
  rounds: number,
  nsPerBar: (ms: number) => number,
): PeerResult[] {
  const timed = checked.flatMap((c) => ('pass' in c ? [c] : []));
  const ms = bestOfRounds(
    timed.map((c) => c.pass),
    rounds,
  );
  return checked.map((c) => {
    if (!('pass' in c)) return c;
    const value = nsPerBar(ms[timed.indexOf(c)]!);
    return { ns: { ok: true, value }, diff: { ok: true, value: c.diff }, tolerance: c.tolerance };
  });
}

async function tiResults(
  tickers: readonly Ticker[],
  sample: readonly number[],
  rounds: number,
  nsPerBar: (ms: number) => number,
): Promise<PeerResult[]> {
  let lib: TiLib;
  try {
    lib = await import('technicalindicators');
  } catch (err) {
    const reason = `cannot import technicalindicators: ${(err as Error).message}`;
    return INDICATOR_CASES.map(() => unavailable(reason, TI_TOLERANCE));
  }
  const checked = INDICATOR_CASES.map((c): PeerResult | Runnable => {
    const call = c.ti;
    if (!call) return unavailable('no such indicator', TI_TOLERANCE);
    return {
      pass: () => {
        for (const t of tickers) call.run(lib, t.plain);
      },
      diff: tiDiff(c, call, lib, tickers, sample),
      tolerance: call.tolerance ?? TI_TOLERANCE,
    };
  });
  return timePeer(checked, rounds, nsPerBar);
}

/** technicalindicators drops the lookback: its outputs hold the last bars, compared once its seeds settled. */
function tiDiff(
  c: IndicatorCase,
  call: TiCall,
  lib: TiLib,
  tickers: readonly Ticker[],
  sample: readonly number[],
): number {
  let worst = 0;
  for (const i of sample) {
    const t = tickers[i]!;
    const ours = c.ours(t.series);
    const n = t.series.close.length;
    call.outputs(lib, t.plain).forEach((peer, k) => {
      if (!peer) return;
      const start = n - peer.length;
      worst = Math.max(worst, maxRelDiff(ours[k]!, peer, start, start + TI_SETTLE_BARS));
    });
  }
  return worst;
}

function executeTalib(binding: TalibBinding, c: IndicatorCase, t: Ticker) {
  return binding.execute({
    name: c.talib.name,
    startIdx: 0,
    endIdx: t.series.close.length - 1,
    ...c.talib.params(t.plain),
  });
}

function bindingResults(
  tickers: readonly Ticker[],
  sample: readonly number[],
  rounds: number,
  nsPerBar: (ms: number) => number,
): PeerResult[] {
  const binding = loadTalibBinding();
  if (!binding.ok) return INDICATOR_CASES.map(() => unavailable(binding.reason, TALIB_TOLERANCE));
  const checked = INDICATOR_CASES.map((c): PeerResult | Runnable => {
    try {
      let worst = 0;
      for (const i of sample) {
        const t = tickers[i]!;
        const out = executeTalib(binding.value, c, t);
        worst = Math.max(worst, talibDiff(c.ours(t.series), out.begIndex, Object.values(out.result)));
      }
      return {
        pass: () => {
          for (const t of tickers) executeTalib(binding.value, c, t);
        },
        diff: worst,
        tolerance: TALIB_TOLERANCE,
      };
    } catch (err) {
      return unavailable(`talib ${c.talib.name} failed: ${(err as Error).message}`, TALIB_TOLERANCE);
    }
  });
  return timePeer(checked, rounds, nsPerBar);
}

function harnessResult(
  c: IndicatorCase,
  harness: Outcome<HarnessResult>,
  tickers: readonly Ticker[],
  sample: readonly number[],
): PeerResult {
  if (!harness.ok) return unavailable(harness.reason, TALIB_TOLERANCE);
  const ns = harness.value.nsPerBar.get(c.label);
  if (ns === undefined) return unavailable('not in talib-harness.c', TALIB_TOLERANCE);
  let worst = 0;
  for (const i of sample) {
    const out = harness.value.outputs.get(`${i}|${c.label}`);
    if (!out) return unavailable(`talib-harness printed no outputs for series ${i}`, TALIB_TOLERANCE);
    worst = Math.max(worst, talibDiff(c.ours(tickers[i]!.series), out.begIndex, out.values));
  }
  return { ns: { ok: true, value: ns }, diff: { ok: true, value: worst }, tolerance: TALIB_TOLERANCE };
}

/** TA-Lib starts each output at `begIndex`: ours must start on the same bar and match from there. */
function talibDiff(ours: Float64Array[], begIndex: number, outputs: number[][]): number {
  let worst = 0;
  outputs.forEach((values, k) => {
    const mine = ours[k]!;
    const lookback = values.length > 0 ? begIndex : mine.length;
    if (firstDefined(mine) !== lookback) worst = Number.POSITIVE_INFINITY;
    else worst = Math.max(worst, maxRelDiff(mine, values, begIndex));
  });
  return worst;
}
