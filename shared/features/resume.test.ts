import { describe, expect, it } from 'vitest';
import { randomWalkBars } from '../../test/support/indicator-contract.ts';
import type { BarSeries } from '../domain/market.ts';
import { KernelState } from '../indicators/state.ts';
import { ASSET_FEATURE_NAMES } from './catalogue.ts';
import { computeFeatures } from './compute.ts';

const N = 720;
/** Bars a resumed day reads: more than the longest lookback (252) and CCI's alignment. */
const TAIL = 290;

/** A random walk with a flat stretch (runs of equal closes) and a benchmark that misses some dates. */
function fixture(): { bars: BarSeries; benchmark: BarSeries } {
  const walk = randomWalkBars(N, 13);
  const dates = Array.from({ length: N }, (_, i) =>
    new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
  );
  const bars: BarSeries = { dates, ...walk };
  for (let i = 420; i < 450; i++) {
    for (const field of ['open', 'high', 'low', 'close'] as const) bars[field][i] = bars.close[419]!;
  }
  const other = randomWalkBars(N, 17);
  const keep = dates.map((_, i) => i % 41 !== 3);
  const pick = (a: Float64Array) => a.filter((_, i) => keep[i]);
  const benchmark: BarSeries = {
    dates: dates.filter((_, i) => keep[i]),
    open: pick(other.open),
    high: pick(other.high),
    low: pick(other.low),
    close: pick(other.close),
    volume: pick(other.volume),
  };
  return { bars, benchmark };
}

const slice = (bars: BarSeries, from: number, to: number): BarSeries => ({
  dates: bars.dates.slice(from, to),
  open: bars.open.slice(from, to),
  high: bars.high.slice(from, to),
  low: bars.low.slice(from, to),
  close: bars.close.slice(from, to),
  volume: bars.volume.slice(from, to),
});

describe('computeFeatures resumed from a stored kernel state', () => {
  const { bars, benchmark } = fixture();
  const opts = { periodsPerYear: 252, benchmark };
  const whole = computeFeatures(bars, opts);

  /** Day `day` from the state recorded after bar `at`, on the TAIL bars up to the day; returns the next state. */
  function resumeDay(stored: Float64Array, at: number, day: number) {
    const first = day + 1 - TAIL;
    const state = new KernelState(stored, at - first);
    const values = computeFeatures(slice(bars, first, day + 1), opts, TAIL - 1, state, first);
    return { values, saved: Float64Array.from(state.saved) };
  }

  it('gives every feature the whole series’ values bit for bit, day after day, each day from the last', () => {
    const recording = new KernelState();
    computeFeatures(slice(bars, 0, 330), opts, 329, recording);
    let stored = Float64Array.from(recording.saved);
    let compared = 0;
    // Through the flat stretch and past it: 390 consecutive one-day runs, each resuming the previous one's state.
    for (let day = 330; day < N; day++) {
      const { values, saved } = resumeDay(stored, day - 1, day);
      for (const name of ASSET_FEATURE_NAMES) {
        if (!Object.is(values[name][TAIL - 1], whole[name][day])) {
          expect.fail(`${name} on day ${day}: ${values[name][TAIL - 1]} != ${whole[name][day]}`);
        }
        compared++;
      }
      stored = saved;
    }
    expect(compared).toBe(ASSET_FEATURE_NAMES.length * (N - 330));
  });

  it('resumes a state several bars old (days without a run), and records what a full pass records', () => {
    const recording = new KernelState();
    computeFeatures(slice(bars, 0, 500), opts, 499, recording);
    const { values, saved } = resumeDay(Float64Array.from(recording.saved), 499, 505);
    for (const name of ASSET_FEATURE_NAMES)
      expect(Object.is(values[name][TAIL - 1], whole[name][505]), name).toBe(true);
    const full = new KernelState();
    computeFeatures(slice(bars, 0, 506), opts, 505, full);
    expect(saved).toEqual(Float64Array.from(full.saved));
  });

  it('refuses a state of another shape, or a day not after the state', () => {
    const recording = new KernelState();
    computeFeatures(slice(bars, 0, 500), opts, 499, recording);
    const stored = Float64Array.from(recording.saved);
    const tail = slice(bars, 506 - TAIL, 506);
    expect(() =>
      computeFeatures(tail, opts, TAIL - 1, new KernelState(stored.subarray(1), TAIL - 2), 506 - TAIL),
    ).toThrow(/kernel state/);
    const longer = Float64Array.of(...stored, 0);
    expect(() =>
      computeFeatures(tail, opts, TAIL - 1, new KernelState(longer, TAIL - 2), 506 - TAIL),
    ).toThrow(/left unread/);
    expect(() =>
      computeFeatures(tail, opts, TAIL - 2, new KernelState(stored, TAIL - 2), 506 - TAIL),
    ).toThrow(RangeError);
  });
});
