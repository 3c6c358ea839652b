import type { Sql } from '../../db/client.ts';
import type { AssetType } from '../../domain/market.ts';
import { runBacktest } from '../../engine/backtest.ts';
import { AppError } from '../../errors/index.ts';
import { type EquityRow, type FillRow, getPortfolio } from '../ledger/store.ts';
import { portfolioPanel, portfolioSpec } from './strategy.ts';

// Paper against backtest, line by line (DESIGN Part 2, decision 1): the same spec over the same panel
// from the portfolio's start to its last traded day, run by the engine's backtest, must give the fills,
// the cash and the equity the paper ledger recorded day by day. Every difference is listed with the
// cause found for it: a bar revised after the paper day priced it, a day traded with the kill switch
// engaged or the portfolio paused, or, when neither explains it, `unexplained`.

/** One line that differs, and why. */
export interface ReconcileDifference {
  date: string;
  kind: 'fill' | 'cash' | 'equity';
  /** `fill 12 price`, `fill 3 missing in paper`, ... */
  what: string;
  paper: string | number | null;
  backtest: string | number | null;
  cause: string;
}

/** The reconciliation of one strategy portfolio with its backtest. */
export interface Reconciliation {
  portfolio: string;
  from: string | null;
  to: string | null;
  days: number;
  fills: { paper: number; backtest: number };
  /** Final equity of each. */
  equity: { paper: number | null; backtest: number | null };
  differences: ReconcileDifference[];
  /** The backtest's equity per day, for charts beside the paper curve. */
  backtestCurve: { date: string; equity: number }[];
}

// Fills and cash come from the same float operations in the same order; the ledger's equity sums its
// positions in key order, the engine's in asset order, so equity may differ in the last ulps, no more.
const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Reconciles a strategy portfolio's ledger with a backtest of its spec over the days it traded. */
export async function reconcilePortfolio(
  sql: Sql,
  id: string,
  benchmarks: Record<AssetType, string>,
  sentiment: string,
): Promise<Reconciliation> {
  const p = await getPortfolio(sql, id);
  if (p.kind !== 'strategy')
    throw new AppError(
      'invalid_input',
      `portfolio "${id}" follows a rebalance rule: there is no backtest to reconcile with`,
    );
  const empty: Reconciliation = {
    portfolio: id,
    from: null,
    to: null,
    days: 0,
    fills: { paper: 0, backtest: 0 },
    equity: { paper: null, backtest: null },
    differences: [],
    backtestCurve: [],
  };
  if (p.last_date === null) return empty;
  const spec = await portfolioSpec(sql, p);
  const loaded = await portfolioPanel(sql, p, spec, p.last_date, benchmarks, sentiment);
  const { panel } = loaded;
  const bt = runBacktest(spec, panel, { cash: p.starting_cash, from: loaded.from, to: loaded.to });
  const fills = await sql<FillRow[]>`
    select seq, client_order_id, date::text as date, symbol, asset_type, side, qty, price, fee, rule, note, bar_low, bar_high
    from portfolio_fills where portfolio_id = ${id} order by seq`;
  const equity = await sql<EquityRow[]>`
    select date::text as date, cash, positions_value, equity, benchmark_close
    from portfolio_equity where portfolio_id = ${id} order by date`;
  const disabled = new Set(
    (
      await sql<{ date: string }[]>`
        select date::text as date from portfolio_decisions where portfolio_id = ${id} and rule = 'trading_disabled'`
    ).map((r) => r.date),
  );
  const differences: ReconcileDifference[] = [];

  const revision = (f: FillRow): string | null => {
    const a = panel.assets.findIndex((x) => x.symbol === f.symbol && x.assetType === f.asset_type);
    const d = panel.dates.indexOf(f.date);
    if (a < 0 || d < 0) return `the bar of ${f.symbol} on ${f.date} is no longer stored`;
    const i = a * panel.nDays + d;
    if (panel.low[i] !== f.bar_low || panel.high[i] !== f.bar_high)
      return `bar revised after the paper day: ${f.symbol} ${f.date} low/high ${f.bar_low}/${f.bar_high} then, ${panel.low[i]}/${panel.high[i]} now`;
    return null;
  };
  const causeOn = (date: string, f?: FillRow): string => {
    const r = f ? revision(f) : null;
    if (r) return r;
    const before = [...disabled].filter((d) => d < date);
    if (before.length)
      return `trading was disabled on ${before.sort().at(-1)} (kill switch or paused): the paper skipped decisions the backtest took`;
    return 'unexplained';
  };

  const n = Math.max(fills.length, bt.fills.length);
  for (let k = 0; k < n; k++) {
    const pf = fills[k];
    const bf = bt.fills[k];
    const bDate = bf ? panel.dates[bf.day]! : null;
    if (!pf || !bf) {
      const date = (pf?.date ?? bDate)!;
      differences.push({
        date,
        kind: 'fill',
        what: `fill ${k} missing in ${pf ? 'the backtest' : 'paper'}`,
        paper: pf ? `${pf.side} ${pf.qty} ${pf.symbol} @ ${pf.price}` : null,
        backtest: bf ? `${bf.side} ${bf.qty} ${panel.assets[bf.asset]!.symbol} @ ${bf.price}` : null,
        cause: causeOn(date, pf),
      });
      continue;
    }
    const fields: [string, string | number, string | number][] = [
      ['date', pf.date, bDate!],
      ['symbol', pf.symbol, panel.assets[bf.asset]!.symbol],
      ['side', pf.side, bf.side],
      ['qty', pf.qty, bf.qty],
      ['price', pf.price, bf.price],
      ['fee', pf.fee, bf.fee],
      ['rule', pf.rule, bf.rule],
    ];
    for (const [what, a, b] of fields)
      if (typeof a === 'number' && typeof b === 'number' ? !same(a, b) : a !== b)
        differences.push({
          date: pf.date,
          kind: 'fill',
          what: `fill ${k} ${what}`,
          paper: a,
          backtest: b,
          cause: causeOn(pf.date, pf),
        });
  }

  // Cash per day from the backtest's fills, equity per day from its curve.
  const btCash = new Map<string, number>();
  let cash = p.starting_cash;
  let j = 0;
  for (let d = loaded.from; d <= loaded.to; d++) {
    for (; j < bt.fills.length && bt.fills[j]!.day === d; j++) {
      const f = bt.fills[j]!;
      cash += f.side === 'buy' ? -f.qty * f.price - f.fee : f.qty * f.price - f.fee;
    }
    btCash.set(panel.dates[d]!, cash);
  }
  const backtestCurve = Array.from(bt.equity, (e, k) => ({ date: panel.dates[loaded.from + k]!, equity: e }));
  const btEquity = new Map(backtestCurve.map((x) => [x.date, x.equity]));
  for (const e of equity) {
    const bc = btCash.get(e.date);
    const be = btEquity.get(e.date);
    if (bc === undefined || be === undefined) {
      differences.push({
        date: e.date,
        kind: 'equity',
        what: 'day missing in the backtest',
        paper: e.equity,
        backtest: null,
        cause: causeOn(e.date),
      });
      continue;
    }
    if (!same(e.cash, bc))
      differences.push({
        date: e.date,
        kind: 'cash',
        what: 'cash at the close',
        paper: e.cash,
        backtest: bc,
        cause: causeOn(e.date),
      });
    if (!same(e.equity, be))
      differences.push({
        date: e.date,
        kind: 'equity',
        what: 'equity at the close',
        paper: e.equity,
        backtest: be,
        cause: causeOn(e.date),
      });
  }
  const paperDays = new Set(equity.map((e) => e.date));
  for (const x of backtestCurve)
    if (!paperDays.has(x.date))
      differences.push({
        date: x.date,
        kind: 'equity',
        what: 'day missing in paper',
        paper: null,
        backtest: x.equity,
        cause: 'the trade stage did not run for that day',
      });

  return {
    portfolio: id,
    from: panel.dates[loaded.from]!,
    to: panel.dates[loaded.to]!,
    days: equity.length,
    fills: { paper: fills.length, backtest: bt.fills.length },
    equity: { paper: equity.at(-1)?.equity ?? null, backtest: backtestCurve.at(-1)?.equity ?? null },
    differences: differences.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    backtestCurve,
  };
}
