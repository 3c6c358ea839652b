import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyFill,
  type Ledger,
  type LedgerFill,
  LedgerRefusal,
  type LedgerRules,
  ledgerEquity,
  markLedger,
  newLedger,
  replayLedger,
} from '../../shared/portfolio/ledger/ledger.ts';

// The ledger's invariants over thousands of random fills (fast-check, fixed seeds): random bars per day,
// orders split into partial fills priced anywhere in the bar with slippage and fees; impossible fills mixed
// in. An independent model (plain sums) checks equity = cash + Σ qty × mark after every fill and every mark.

const KEYS = ['equity:AAA', 'equity:BBB', 'equity:CCC', 'crypto:XYZ'];

interface Bar {
  open: number;
  high: number;
  low: number;
  close: number;
}

/** A day: each instrument's bar, and orders (side, units, where in the bar, split into how many partial fills). */
const dayArb = fc.record({
  moves: fc.array(fc.double({ min: -0.08, max: 0.08, noNaN: true }), {
    minLength: KEYS.length,
    maxLength: KEYS.length,
  }),
  spreads: fc.array(fc.double({ min: 0, max: 0.05, noNaN: true }), {
    minLength: KEYS.length,
    maxLength: KEYS.length,
  }),
  orders: fc.array(
    fc.record({
      key: fc.integer({ min: 0, max: KEYS.length - 1 }),
      buy: fc.boolean(),
      qty: fc.double({ min: 0.001, max: 40, noNaN: true }),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      parts: fc.integer({ min: 1, max: 4 }),
      // Sometimes an impossible fill: a price outside the bar, a negative price, a zero quantity.
      corrupt: fc.constantFrom(null, null, null, null, null, null, null, 'outside', 'negative', 'zero'),
    }),
    { maxLength: 8 },
  ),
});

const rulesArb = fc.record({
  feeRate: fc.double({ min: 0, max: 0.01, noNaN: true }),
  feeFixed: fc.double({ min: 0, max: 2, noNaN: true }),
  slippageRate: fc.double({ min: 0, max: 0.01, noNaN: true }),
  allowShort: fc.boolean(),
  margin: fc.boolean(),
  cash: fc.double({ min: 100, max: 100_000, noNaN: true }),
});

interface Model {
  cash: number;
  qty: Map<string, number>;
  mark: Map<string, number>;
}

const modelEquity = (m: Model) => {
  let v = m.cash;
  for (const [k, q] of m.qty) v += q * m.mark.get(k)!;
  return v;
};

function snapshot(l: Ledger) {
  return { cash: l.cash, positions: [...l.positions].map(([k, p]) => [k, { ...p }]) };
}

describe('ledger invariants (property)', () => {
  it('keeps equity = cash + Σ qty × mark at every step, refuses impossible fills unchanged, and replays exactly', () => {
    let fillsApplied = 0;
    fc.assert(
      fc.property(rulesArb, fc.array(dayArb, { minLength: 5, maxLength: 40 }), (r, days) => {
        const rules: LedgerRules = {
          allowShort: r.allowShort,
          margin: r.margin,
          slippageRate: r.slippageRate,
        };
        const ledger = newLedger(r.cash);
        const model: Model = { cash: r.cash, qty: new Map(), mark: new Map() };
        const closes = new Map(KEYS.map((k, i) => [k, 20 + 30 * i]));
        const accepted: LedgerFill[] = [];
        const marksByDay: { date: string; marks: Map<string, number> }[] = [];
        const curve: number[] = [];
        days.forEach((day, d) => {
          const date = new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
          const bars = new Map<string, Bar>();
          KEYS.forEach((k, i) => {
            const open = closes.get(k)!;
            const close = open * (1 + day.moves[i]!);
            const high = Math.max(open, close) * (1 + day.spreads[i]!);
            const low = Math.min(open, close) * (1 - day.spreads[i]!);
            bars.set(k, { open, high, low, close });
          });
          for (const o of day.orders) {
            const key = KEYS[o.key]!;
            const bar = bars.get(key)!;
            const raw = bar.low + o.at * (bar.high - bar.low);
            const price = raw * (o.buy ? 1 + r.slippageRate : 1 - r.slippageRate);
            let left = o.qty;
            for (let p = 0; p < o.parts; p++) {
              const qty = p === o.parts - 1 ? left : left / 2;
              left -= qty;
              const fill: LedgerFill = {
                date,
                key,
                side: o.buy ? 'buy' : 'sell',
                qty: o.corrupt === 'zero' ? 0 : qty,
                price: o.corrupt === 'negative' ? -price : o.corrupt === 'outside' ? bar.high * 1.2 : price,
                fee: qty * price * r.feeRate + r.feeFixed,
                low: bar.low,
                high: bar.high,
              };
              const before = snapshot(ledger);
              try {
                applyFill(ledger, fill, rules);
              } catch (err) {
                expect(err).toBeInstanceOf(LedgerRefusal);
                const reason = (err as LedgerRefusal).reason;
                if (o.corrupt === 'zero') expect(reason).toBe('non_positive_qty');
                else if (o.corrupt === 'negative') expect(reason).toBe('negative_price');
                else if (o.corrupt === 'outside') expect(reason).toBe('outside_bar');
                else expect(['negative_quantity', 'negative_cash']).toContain(reason);
                expect(snapshot(ledger)).toEqual(before);
                continue;
              }
              expect(o.corrupt).toBeNull();
              accepted.push(fill);
              fillsApplied++;
              const signed = fill.side === 'buy' ? fill.qty : -fill.qty;
              model.cash -= signed * fill.price + fill.fee;
              const q = (model.qty.get(key) ?? 0) + signed;
              if (Math.abs(q) < 1e-9) {
                model.qty.delete(key);
                model.mark.delete(key);
              } else {
                model.qty.set(key, q);
                if (!model.mark.has(key)) model.mark.set(key, fill.price);
              }
              // Never an impossible state once accepted.
              if (!rules.allowShort)
                for (const p of ledger.positions.values()) expect(p.qty).toBeGreaterThan(0);
              if (!rules.margin) expect(ledger.cash).toBeGreaterThanOrEqual(0);
              expect(ledgerEquity(ledger)).toBeCloseTo(modelEquity(model), 6);
            }
          }
          const marks = new Map([...bars].map(([k, b]) => [k, b.close]));
          markLedger(ledger, marks);
          for (const k of model.qty.keys()) model.mark.set(k, marks.get(k)!);
          for (const [k, b] of bars) closes.set(k, b.close);
          expect(ledger.cash).toBeCloseTo(model.cash, 6);
          expect(ledgerEquity(ledger)).toBeCloseTo(modelEquity(model), 6);
          marksByDay.push({ date, marks });
          curve.push(ledgerEquity(ledger));
        });
        // Replaying the accepted fills rebuilds the positions and the equity curve exactly.
        const replay = replayLedger(r.cash, accepted, marksByDay, rules);
        expect(snapshot(replay.ledger)).toEqual(snapshot(ledger));
        expect(replay.curve.map((p) => p.equity)).toEqual(curve);
      }),
      { seed: 20261208, numRuns: 300 },
    );
    // Thousands of fills, not a handful: the property is only as strong as what it saw.
    expect(fillsApplied).toBeGreaterThan(5_000);
  });

  it('refuses a sale into a negative quantity and a purchase into negative cash with their reasons', () => {
    const rules: LedgerRules = { allowShort: false, margin: false, slippageRate: 0 };
    const l = newLedger(100);
    const base = { date: '2026-01-05', key: 'equity:AAA', fee: 0, low: 9, high: 11 };
    expect(() => applyFill(l, { ...base, side: 'sell', qty: 1, price: 10 }, rules)).toThrow(
      expect.objectContaining({ reason: 'negative_quantity' }),
    );
    expect(() => applyFill(l, { ...base, side: 'buy', qty: 11, price: 10 }, rules)).toThrow(
      expect.objectContaining({ reason: 'negative_cash' }),
    );
    applyFill(l, { ...base, side: 'buy', qty: 10, price: 10 }, rules);
    expect(l.cash).toBe(0);
    expect(() => applyFill(l, { ...base, side: 'buy', qty: 1, price: 8.5 }, rules)).toThrow(
      expect.objectContaining({ reason: 'outside_bar' }),
    );
  });
});
