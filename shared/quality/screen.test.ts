import { describe, expect, it } from 'vitest';
import type { RawBar } from '../domain/market.ts';
import type { IncomingBar } from '../providers/types.ts';
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

  it('rejects invalid bars, future dates and bars outside the requested window, with reasons', () => {
    const { accepted, rejected } = screenBars(
      [
        { bar: { ...bar('2026-11-18', 100), high: 50 }, source: 'p' },
        { bar: bar('2026-11-21', 100), source: 'p' },
        { bar: bar('2026-11-10', 100), source: 'p' },
        { bar: bar('2026-11-19', 100), source: 'p' },
      ],
      { ...opts, window: { from: '2026-11-15', to: '2026-11-20' } },
    );
    expect(rejected.map((r) => r.reason)).toEqual([
      'high 50 is below low 99',
      'future_date: 2026-11-21 is after today (2026-11-20)',
      'outside_window: 2026-11-10 is outside the requested 2026-11-15..2026-11-20',
    ]);
    expect(accepted.map((a) => a.bar)).toEqual([bar('2026-11-19', 100)]);
  });

  it.each([
    ['"NaN"', 'NaN', 'non_numeric: close "NaN" is not a number'],
    ['an empty string', '', 'non_numeric: close "" is not a number'],
    ['null', null, 'non_numeric: missing close'],
    ['"abc"', 'abc', 'non_numeric: close "abc" is not a number'],
    ['Infinity', Number.POSITIVE_INFINITY, 'non_numeric: close is Infinity, not a finite number'],
  ])('rejects a bar whose close is %s alone, keeping it as it arrived', (_, close, reason) => {
    const broken = { ...bar('2026-11-18', 100), close };
    const { accepted, rejected } = screenBars(
      [
        { bar: bar('2026-11-17', 100), source: 'p' },
        { bar: broken, source: 'p' },
        { bar: bar('2026-11-18', 100, 'BBB'), source: 'p' },
      ],
      opts,
    );
    expect(rejected).toEqual([{ bar: broken, source: 'p', reason }]);
    expect(accepted.map((a) => `${a.bar.symbol} ${a.bar.date}`)).toEqual([
      'AAA 2026-11-17',
      'BBB 2026-11-18',
    ]);
  });

  it('keeps one of identical copies of a date and rejects the others as duplicates', () => {
    const { accepted, rejected } = screenBars(
      [
        { bar: bar('2026-11-19', 100), source: 'p' },
        { bar: bar('2026-11-19', 100), source: 'p' },
        { bar: bar('2026-11-19', 100), source: 'p' },
      ],
      opts,
    );
    expect(accepted.map((a) => a.bar)).toEqual([bar('2026-11-19', 100)]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'duplicate: copy 2 of 3 identical bars for AAA on 2026-11-19 in one batch',
      'duplicate: copy 3 of 3 identical bars for AAA on 2026-11-19 in one batch',
    ]);
  });

  it('rejects every copy of a date whose copies disagree, naming the values, and keeps the other dates', () => {
    const first = bar('2026-11-19', 100);
    const second = { ...bar('2026-11-19', 100), close: 100.5, volume: 2000 };
    const { accepted, rejected } = screenBars(
      [
        { bar: bar('2026-11-18', 100), source: 'p' },
        { bar: first, source: 'p' },
        { bar: second, source: 'p' },
      ],
      opts,
    );
    const reason =
      'duplicate_conflict: 2 different bars for AAA on 2026-11-19 in one batch (close 100 vs 100.5; volume 1000 vs 2000); none is stored';
    expect(rejected).toEqual([
      { bar: first, source: 'p', reason },
      { bar: second, source: 'p', reason },
    ]);
    expect(accepted.map((a) => a.bar.date)).toEqual(['2026-11-18']);
  });

  it('treats a non-number copy of a date as a conflict with its numeric copy', () => {
    const { accepted, rejected } = screenBars(
      [
        { bar: bar('2026-11-19', 100) as IncomingBar, source: 'p' },
        { bar: { ...bar('2026-11-19', 100), close: 'NaN' }, source: 'p' },
      ],
      opts,
    );
    expect(accepted).toEqual([]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'duplicate_conflict: 2 different bars for AAA on 2026-11-19 in one batch (close 100 vs "NaN"); none is stored',
      'duplicate_conflict: 2 different bars for AAA on 2026-11-19 in one batch (close 100 vs "NaN"); none is stored',
    ]);
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

  it('still rejects future dates and repeated dates, and flags jumps, in a batch validated by its parser', () => {
    const { accepted, rejected } = screenBars(
      [
        { bar: bar('2026-11-18', 100), source: 'csv' },
        { bar: bar('2026-11-19', 100 * 1.15), source: 'csv' },
        { bar: bar('2026-11-19', 100 * 1.15), source: 'csv' },
        { bar: bar('2026-11-21', 100), source: 'csv' },
      ],
      { ...opts, validated: true },
    );
    expect(rejected.map((r) => r.reason)).toEqual([
      'duplicate: copy 2 of 2 identical bars for AAA on 2026-11-19 in one batch',
      'future_date: 2026-11-21 is after today (2026-11-20)',
    ]);
    expect(accepted.map((a) => [a.bar.date, a.flags.length])).toEqual([
      ['2026-11-18', 0],
      ['2026-11-19', 1],
    ]);
  });

  it('flags a move after a perfectly flat period instead of dividing by zero', () => {
    const { accepted } = screenBars([{ bar: bar('2026-11-20', 120), source: 'p' }], {
      today: '2026-11-20',
      recentCloses: new Map([['AAA', Array.from({ length: 40 }, () => 100)]]),
    });
    expect(accepted[0]!.flags[0]).toMatch(/after a flat period/);
  });
});
