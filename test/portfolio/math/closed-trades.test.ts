import { describe, expect, it } from 'vitest';
import { closedTrades, type TradeFill } from '../../../shared/portfolio/ledger/trades.ts';
import { convictionBook, convictionSizing, tradeOutcome } from '../../../shared/risk/conviction.ts';
import { capExposure } from '../../../shared/risk/index.ts';

// Conviction from a ledger: closed trades are flat-to-flat round trips over the fills (adds and trims
// inside), worked by hand here, and the book folds their outcomes per setup.

const fill = (
  date: string,
  symbol: string,
  side: 'buy' | 'sell',
  qty: number,
  price: number,
  rule = 'rebalance:next_open',
  fee = 0,
): TradeFill => ({ date, symbol, asset_type: 'equity', side, qty, price, fee, rule });

describe('closed trades from fills', () => {
  it('closes a trade only when the position is flat again, with every fill and fee in its profit', () => {
    const trades = closedTrades([
      fill('2026-01-02', 'AAA', 'buy', 10, 100, 'rebalance:next_open', 1),
      fill('2026-01-05', 'AAA', 'buy', 10, 110, 'rebalance:next_open', 1),
      // A trim realises nothing on its own.
      fill('2026-01-06', 'AAA', 'sell', 5, 120, 'rebalance:next_open', 1),
      fill('2026-01-07', 'BBB', 'buy', 4, 50),
      fill('2026-01-08', 'AAA', 'sell', 15, 90, 'rebalance:next_open', 1),
      fill('2026-01-09', 'BBB', 'sell', 4, 45, 'stop'),
      fill('2026-01-12', 'CCC', 'buy', 1, 10),
    ]);
    // AAA: -1000 - 1100 + 600 + 1350 - 4 fees = -154; BBB: -200 + 180 = -20, stopped out; CCC still open.
    expect(trades).toEqual([
      {
        symbol: 'AAA',
        assetType: 'equity',
        setup: 'rebalance',
        side: 'long',
        entryDate: '2026-01-02',
        exitDate: '2026-01-08',
        // (10 × 100 + 10 × 110) / 20 in, (5 × 120 + 15 × 90) / 20 out.
        entryPrice: 105,
        exitPrice: 97.5,
        pnl: -154,
        returnPct: -154 / 2100,
        stoppedOut: false,
        outcome: 'loss',
      },
      {
        symbol: 'BBB',
        assetType: 'equity',
        setup: 'rebalance',
        side: 'long',
        entryDate: '2026-01-07',
        exitDate: '2026-01-09',
        entryPrice: 50,
        exitPrice: 45,
        pnl: -20,
        returnPct: -0.1,
        stoppedOut: true,
        outcome: 'stop',
      },
    ]);
  });

  it('reads a position opened by a sale as a short, priced by its sales in and purchases out', () => {
    const [t] = closedTrades([
      fill('2026-01-02', 'AAA', 'sell', 4, 50, 'entry'),
      fill('2026-01-05', 'AAA', 'buy', 4, 45, 'target'),
    ]);
    expect(t).toMatchObject({
      side: 'short',
      entryPrice: 50,
      exitPrice: 45,
      pnl: 20,
      returnPct: 0.1,
      outcome: 'win',
    });
  });

  it('reads stop-loss rules as stop-outs, a trailing stop by its profit, and reopens after flat', () => {
    const trades = closedTrades([
      fill('2026-01-02', 'AAA', 'buy', 1, 10, 'entry'),
      fill('2026-01-03', 'AAA', 'sell', 1, 12, 'trailing_stop'),
      fill('2026-01-04', 'AAA', 'buy', 1, 10, 'entry'),
      fill('2026-01-05', 'AAA', 'sell', 1, 9, 'stop_gap_open'),
      fill('2026-01-06', 'AAA', 'buy', 0.1, 10, 'entry'),
      fill('2026-01-07', 'AAA', 'sell', 0.07, 11, 'exit'),
      fill('2026-01-08', 'AAA', 'sell', 0.03, 11, 'exit'),
    ]);
    expect(trades.map((t) => [t.entryDate, t.outcome])).toEqual([
      ['2026-01-02', 'win'],
      ['2026-01-04', 'stop'],
      ['2026-01-06', 'win'],
    ]);
    expect(tradeOutcome(5, true)).toBe('stop');
    expect(tradeOutcome(0, false)).toBe('loss');
  });

  it('folds outcomes into conviction per setup: +1 a win, -2 a stop-out, clamped to 0.5-1.5', () => {
    const wins = Array.from({ length: 3 }, () => ({ setup: 'rebalance', outcome: 'win' as const }));
    const book = convictionBook([
      ...wins,
      { setup: 'rebalance', outcome: 'stop' },
      { setup: 'other', outcome: 'loss' },
    ]);
    expect(book).toEqual({ rebalance: 1, other: 0 });
    expect(convictionSizing(book, 'rebalance').sizeMultiplier).toBe(1.1);
    const stops = Array.from({ length: 9 }, () => ({ setup: 'x', outcome: 'stop' as const }));
    expect(convictionSizing(convictionBook(stops), 'x').sizeMultiplier).toBe(0.5);
  });

  it('scales a book above 100% back to 100% and says by how much', () => {
    const out = capExposure([
      { asset: 'A', weight: 0.6 },
      { asset: 'B', weight: 0.6 },
    ]);
    expect(out.weights.map((w) => w.weight)).toEqual([0.5, 0.5]);
    expect(out.decision).toMatchObject({ rule: 'exposure_cap', sizeMultiplier: 1 / 1.2 });
    expect(capExposure([{ asset: 'A', weight: 1 }]).decision).toBeNull();
  });
});
