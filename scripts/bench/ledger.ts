// The paper ledger's speed (`npm run bench -- --only ledger`, or alone `npx tsx scripts/bench/ledger.ts`):
// fills drawn over the real S&P set's bars (../shared/data) — each day a few assets bought or sold at a
// price inside the day's range, with slippage, fees and partial fills — applied by the ledger (every check:
// price, quantity, fee, the bar's range, no negative quantity or cash) and marked at each close, against an
// anchor measured in the same run: a plain typed-array loop doing the same cash and quantity arithmetic
// with no checks. Then the same orders end to end through the paper broker (submit, fill at the next open
// by the fill contract). Target: 10,000 fills per second or more (issue #15).
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createPaperBroker, newPaperState, type PaperBar } from '../../shared/brokers/paper/index.ts';
import { applyFill, type LedgerFill, markLedger, newLedger } from '../../shared/portfolio/ledger/ledger.ts';
import { type Dataset, loadSp500, SP500_CSV, tradingCalendar } from './data.ts';
import { timings } from './measure.ts';
import { num, ratio, table } from './report.ts';

const TARGET_FILLS_PER_S = 10_000;
const SLIPPAGE = 0.0005;
const FEE_RATE = 0.0005;

/** One line of the closing summary. */
interface LedgerVerdict {
  target: string;
  result: string;
  pass: boolean;
}

/** A deterministic xorshift stream, so every run draws the same fills. */
function stream(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** The fills: per day, orders on random assets split into 1-3 partial fills; a sale sells the whole holding. */
function drawFills(data: Dataset, days: readonly string[], perDay: number) {
  const rand = stream(15);
  const bars = new Map<string, Map<string, PaperBar>>();
  for (const t of data.tickers) {
    const m = new Map<string, PaperBar>();
    const s = t.series;
    for (let i = 0; i < s.dates.length; i++)
      m.set(s.dates[i]!, {
        open: s.open[i]!,
        high: s.high[i]!,
        low: s.low[i]!,
        close: s.close[i]!,
        volume: s.volume[i]!,
      });
    bars.set(t.symbol, m);
  }
  const symbols = data.tickers.map((t) => t.symbol);
  const held = new Map<string, number>();
  const fills: LedgerFill[] = [];
  const marks: { date: string; marks: Map<string, number> }[] = [];
  for (const date of days) {
    for (let k = 0; k < perDay; k++) {
      const symbol = symbols[Math.floor(rand() * symbols.length)]!;
      const bar = bars.get(symbol)!.get(date);
      if (!bar) continue;
      const have = held.get(symbol) ?? 0;
      const buying = have === 0 || rand() < 0.55;
      const total = buying ? 1 + Math.floor(rand() * 20) : have;
      const raw = bar.low + rand() * (bar.high - bar.low);
      const price = raw * (buying ? 1 + SLIPPAGE : 1 - SLIPPAGE);
      let left = total;
      const parts = 1 + Math.floor(rand() * 3);
      for (let part = 0; part < parts && left > 0; part++) {
        const q = part === parts - 1 ? left : Math.max(1, Math.floor(left / 2));
        left -= q;
        fills.push({
          date,
          key: `equity:${symbol}`,
          side: buying ? 'buy' : 'sell',
          qty: q,
          price,
          fee: q * price * FEE_RATE,
          low: bar.low,
          high: bar.high,
        });
      }
      if (buying) held.set(symbol, have + total);
      else held.delete(symbol);
    }
    const m = new Map<string, number>();
    for (const s of held.keys()) {
      const c = bars.get(s)!.get(date)?.close;
      if (c !== undefined) m.set(`equity:${s}`, c);
    }
    marks.push({ date, marks: m });
  }
  return { fills, marks, bars };
}

/** Applies every fill of each day through the ledger, then marks at the day's closes. */
function ledgerPass(
  fills: readonly LedgerFill[],
  marks: readonly { date: string; marks: Map<string, number> }[],
) {
  const ledger = newLedger(1e9);
  const rules = { allowShort: false, margin: false, slippageRate: SLIPPAGE };
  let k = 0;
  for (const day of marks) {
    while (k < fills.length && fills[k]!.date === day.date) applyFill(ledger, fills[k++]!, rules);
    markLedger(ledger, day.marks);
  }
  return ledger;
}

/** The anchor: the same cash and quantity arithmetic over typed arrays, no checks, no maps. */
function anchorPass(
  side: Int8Array,
  asset: Int32Array,
  qty: Float64Array,
  price: Float64Array,
  fee: Float64Array,
  nAssets: number,
) {
  const held = new Float64Array(nAssets);
  let cash = 1e9;
  for (let i = 0; i < side.length; i++) {
    const signed = side[i]! * qty[i]!;
    cash -= signed * price[i]! + fee[i]!;
    held[asset[i]!] = held[asset[i]!]! + signed;
  }
  return cash + held[0]!;
}

/** The ledger bench: prints its table and returns the verdict lines. */
export function benchLedger(data: Dataset, opts: { quick?: boolean } = {}): LedgerVerdict[] {
  const days = tradingCalendar(data).slice(opts.quick ? -250 : -1000);
  const { fills, marks, bars } = drawFills(data, days, 40);
  const keys = [...new Set(fills.map((f) => f.key))];
  const index = new Map(keys.map((k, i) => [k, i]));
  const side = Int8Array.from(fills, (f) => (f.side === 'buy' ? 1 : -1));
  const asset = Int32Array.from(fills, (f) => index.get(f.key)!);
  const qty = Float64Array.from(fills, (f) => f.qty);
  const price = Float64Array.from(fills, (f) => f.price);
  const fee = Float64Array.from(fills, (f) => f.fee);
  const runs = opts.quick ? 3 : 7;
  const ours = timings(runs, () => void ledgerPass(fills, marks));
  const anchor = timings(runs, () => void anchorPass(side, asset, qty, price, fee, keys.length));

  // End to end through the paper broker: each day's orders submitted at the close, filled at the next open.
  const orders = days.slice(0, opts.quick ? 60 : 200);
  const symbols = data.tickers.slice(0, 100).map((t) => t.symbol);
  const broker = (() => {
    let closes = new Map<string, number>();
    const b = createPaperBroker(
      {
        costs: { fee_rate: FEE_RATE, fee_fixed: 0, slippage_rate: SLIPPAGE },
        assetType: 'equity',
        wholeUnits: true,
        price: (s) => closes.get(s),
        now: () => new Date(),
      },
      newPaperState(1e12),
    );
    return { b, setCloses: (m: Map<string, number>) => (closes = m) };
  })();
  let paperFills = 0;
  const t0 = performance.now();
  for (const [d, date] of orders.entries()) {
    const today = new Map<string, PaperBar>();
    for (const s of symbols) {
      const bar = bars.get(s)!.get(date);
      if (bar) today.set(s, bar);
    }
    paperFills += broker.b.applyBars(date, today).length;
    broker.setCloses(new Map([...today].map(([s, bar]) => [s, bar.close])));
    for (const s of today.keys())
      void broker.b.submitOrder({
        clientOrderId: `b-${d}-${s}`,
        symbol: s,
        side: 'buy',
        qty: 1,
        type: 'market',
        timeInForce: 'day',
      });
  }
  const paperMs = performance.now() - t0;

  const perSecond = (n: number, msv: number) => (n / msv) * 1000;
  const ledgerRate = perSecond(fills.length, ours.best);
  console.log(
    table(
      ['path', 'fills', 'best ms', 'fills/s', 'vs anchor'],
      [
        [
          'ledger: applyFill with every check + daily marks',
          fills.length.toLocaleString('en-US'),
          num(ours.best),
          Math.round(ledgerRate).toLocaleString('en-US'),
          ratio(ours.best / anchor.best),
        ],
        [
          'anchor: typed-array cash/qty loop, no checks',
          fills.length.toLocaleString('en-US'),
          num(anchor.best),
          Math.round(perSecond(fills.length, anchor.best)).toLocaleString('en-US'),
          '1x',
        ],
        [
          'paper broker: submit at the close, fill at the next open',
          paperFills.toLocaleString('en-US'),
          num(paperMs),
          Math.round(perSecond(paperFills, paperMs)).toLocaleString('en-US'),
          '-',
        ],
      ],
      ['left', 'right', 'right', 'right', 'right'],
    ),
  );
  console.log(
    `(${days.length} days of the S&P set, ${keys.length} assets; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')})`,
  );
  return [
    {
      target: 'paper ledger applies >= 10,000 fills/s',
      result: `${Math.round(ledgerRate).toLocaleString('en-US')} fills/s (${ratio(ours.best / anchor.best)} the unchecked loop)`,
      pass: ledgerRate >= TARGET_FILLS_PER_S,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(SP500_CSV)) {
    console.log(`${SP500_CSV} is missing: the ledger bench needs ../shared/data.`);
    process.exit(0);
  }
  for (const v of benchLedger(loadSp500(), { quick: process.argv.includes('--quick') }))
    console.log(`${v.pass ? 'PASS' : 'MISS'}  ${v.target}: ${v.result}`);
}
