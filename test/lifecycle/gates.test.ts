import { describe, expect, it } from 'vitest';
import { LifecycleGates } from '../../shared/lifecycle/config.ts';
import {
  evaluateBacktest,
  liveVerdict,
  paperBand,
  paperVerdict,
  robustSharpeVariance,
} from '../../shared/lifecycle/gates.ts';
import { createRng } from '../../shared/providers/demo/generate.ts';

const GATES = LifecycleGates.parse({});
const DAYS = 252;

/** An equity curve from 100,000 compounding `days` daily returns of mean `mu` and volatility `sigma`. */
function curve(label: string, mu: number, sigma: number, days = DAYS): Float64Array {
  const rng = createRng(label);
  const out = new Float64Array(days + 1);
  out[0] = 100_000;
  for (let i = 1; i <= days; i++) out[i] = out[i - 1]! * (1 + mu + sigma * rng.normal());
  return out;
}

describe('promotion gates', () => {
  // Ten pure-noise strategies on a year of daily data: seeded so that the best of them shows an
  // annualised Sharpe near 1.5 (what the best of ten noise strategies reaches on average, REFERENCES P6).
  const noise = Array.from({ length: 10 }, (_, k) => curve(`noise-c${k}`, 0, 0.01));
  const edge = curve('edge', 0.003, 0.01);
  const all = [...noise, edge];
  const perPeriod = all.map((c) => evaluateBacktest(c, 60, 252, { trials: 1, sharpeVariance: NaN }, GATES));
  const count = {
    trials: all.length,
    sharpeVariance: robustSharpeVariance(perPeriod.map((e) => e.sharpe_period!)),
  };
  const evaluated = all.map((c) => evaluateBacktest(c, 60, 252, count, GATES));

  it('promotes none of ten noise strategies, though the best has a raw Sharpe near 1.5', () => {
    const best = evaluated.slice(0, 10).reduce((a, b) => (b.sharpe! > a.sharpe! ? b : a));
    expect(best.sharpe!).toBeGreaterThan(1.45);
    expect(best.sharpe!).toBeLessThan(1.6);
    // A raw Sharpe gate of 1 alone would have promoted it: the deflated Sharpe is what stops it.
    expect(best.checks.find((c) => c.gate === 'sharpe')!.pass).toBe(true);
    expect(best.dsr!).toBeLessThan(0.95);
    for (const e of evaluated.slice(0, 10)) expect(e.pass).toBe(false);
    expect(best.noise_sharpe).toBeGreaterThan(1.2);
  });

  it('promotes the strategy with a real edge, counting all eleven trials', () => {
    const e = evaluated[10]!;
    expect(e.trials).toBe(11);
    expect(e.sharpe!).toBeGreaterThan(3);
    expect(e.dsr!).toBeGreaterThanOrEqual(0.95);
    expect(e.pass).toBe(true);
  });

  it('deflates harder the more trials were tried: the same edge fails against a large ledger', () => {
    const e = evaluateBacktest(
      curve('modest', 0.0012, 0.01),
      60,
      252,
      { trials: 20_000, sharpeVariance: NaN },
      GATES,
    );
    const few = evaluateBacktest(
      curve('modest', 0.0012, 0.01),
      60,
      252,
      { trials: 2, sharpeVariance: NaN },
      GATES,
    );
    expect(few.dsr!).toBeGreaterThan(e.dsr!);
    expect(e.checks.find((c) => c.gate === 'dsr')!.pass).toBe(false);
  });

  it('holds each gate to its threshold', () => {
    const e = evaluated[10]!;
    const strict = evaluateBacktest(edge, 5, 252, count, { ...GATES, min_trades: 20, max_drawdown: 0.001 });
    expect(strict.pass).toBe(false);
    expect(strict.checks.filter((c) => !c.pass).map((c) => c.gate)).toEqual(['trades', 'max_drawdown']);
    expect(e.max_drawdown).toBeLessThan(0);
    const flat = evaluateBacktest(new Float64Array(253).fill(100_000), 0, 252, count, GATES);
    expect(flat.pass).toBe(false);
    expect(flat.sharpe).toBeNull();
    expect(flat.dsr).toBeNull();
  });

  it('robust variance ignores a lone outlier that the sample variance would chase', () => {
    const xs = [0.01, -0.02, 0.03, 0, -0.01, 0.02, 5];
    expect(robustSharpeVariance(xs)).toBeLessThan(0.002);
    expect(Number.isNaN(robustSharpeVariance([1]))).toBe(true);
  });
});

describe('paper and live verdicts', () => {
  const band = { mean_daily: 0.001, std_daily: 0.01 };

  it('rejects at the stop at once, waits for the minimum days, promotes inside the band', () => {
    expect(paperVerdict(band, 2, -0.06, 5, GATES).action).toBe('reject');
    expect(paperVerdict(band, 3, 0.01, 5, GATES)).toMatchObject({ action: 'stay' });
    const b = paperBand(band, 10, 2);
    expect(b.low).toBeCloseTo(0.01 - 2 * 0.01 * Math.sqrt(10));
    expect(paperVerdict(band, 10, 0.01, 5, GATES).action).toBe('promote');
  });

  it('waits for a live slot, and rejects at the timeout outside the band', () => {
    expect(paperVerdict(band, 10, 0.01, 0, GATES)).toMatchObject({ action: 'stay' });
    expect(paperVerdict(band, 10, 0.2, 5, GATES)).toMatchObject({ action: 'stay' });
    const timeout = paperVerdict(band, 30, 0.5, 5, GATES);
    expect(timeout.action).toBe('reject');
    expect(timeout.reason).toMatch(/timeout/);
  });

  it('retires a live strategy past its drawdown gate', () => {
    expect(liveVerdict([100, 110, 90], GATES).action).toBe('retire');
    expect(liveVerdict([100, 105, 100], GATES).action).toBe('stay');
  });
});
