import { describe, expect, it } from 'vitest';
import type { RawBar } from '../domain/market.ts';
import { JUMP_SIGMAS, screenBars } from './screen.ts';

const bar = (date: string, close: number, symbol = 'AAA'): RawBar => ({
  symbol,
  date,
  open: close,
  high: close * 1.01,
  low: close * 0.99,
  close,
  volume: 1000,
});

/** 61 closes alternating ±1%: a steady distribution of daily log returns (sd ≈ 1%). */
const calm = Array.from({ length: 61 }, (_, i) => 100 * (i % 2 === 0 ? 1 : 1.01));

describe('screenBars', () => {
  const opts = { today: '2026-11-20', recentCloses: new Map([['AAA', calm]]) };

  it('rejects invalid bars, future dates and duplicates in one batch, with reasons', () => {
    const { accepted, rejected } = screenBars(
      [
        { bar: { ...bar('2026-11-18', 100), high: 50 }, source: 'p' },
        { bar: bar('2026-11-21', 100), source: 'p' },
        { bar: bar('2026-11-19', 100), source: 'p' },
        { bar: bar('2026-11-19', 101), source: 'q' },
      ],
      opts,
    );
    expect(rejected.map((r) => r.reason)).toEqual([
      'high 50 is below low 99',
      'date 2026-11-21 is in the future (today is 2026-11-20)',
      'duplicate bar for AAA on 2026-11-19 in one batch',
    ]);
    expect(accepted.map((a) => a.bar.close)).toEqual([100]);
  });

  it(`flags (keeps) a close more than ${JUMP_SIGMAS} standard deviations from the recent returns`, () => {
    // ±1% alternation has sd ≈ 1.0%; a +15% day is ~14 sd away, a +5% day ~5 sd.
    const { accepted, rejected } = screenBars(
      [
        { bar: bar('2026-11-19', 105), source: 'p' },
        { bar: bar('2026-11-20', 105 * 1.15), source: 'p' },
      ],
      opts,
    );
    expect(rejected).toEqual([]);
    expect(accepted[0]!.flags).toEqual([]);
    expect(accepted[1]!.flags).toHaveLength(1);
    expect(accepted[1]!.flags[0]).toMatch(
      /moved 14\.0% \(log\).*standard deviations beyond the last 60 returns/,
    );
  });

  it('does not judge jumps without at least 20 returns of history', () => {
    const { accepted } = screenBars([{ bar: bar('2026-11-20', 500), source: 'p' }], {
      today: '2026-11-20',
      recentCloses: new Map([['AAA', [100, 101, 100]]]),
    });
    expect(accepted[0]!.flags).toEqual([]);
  });

  it('flags a move after a perfectly flat period instead of dividing by zero', () => {
    const { accepted } = screenBars([{ bar: bar('2026-11-20', 120), source: 'p' }], {
      today: '2026-11-20',
      recentCloses: new Map([['AAA', Array.from({ length: 40 }, () => 100)]]),
    });
    expect(accepted[0]!.flags[0]).toMatch(/after a flat period/);
  });
});
