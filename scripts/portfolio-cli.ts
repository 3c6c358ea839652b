// `stratos portfolio ...`, `stratos rebalance` and `stratos weekly`: portfolios, their ledger and the
// original weekly flow from the command line. Everything runs on paper unless a portfolio was approved for
// live trading by an admin and STRATOS_LIVE_TRADING=enabled.

import { runTargets, triggerRun } from '../shared/api/service.ts';
import { addDays } from '../shared/calendar/index.ts';
import { AppError } from '../shared/errors/index.ts';
import { sentimentSeries } from '../shared/news/sentiment/inputs.ts';
import { ledgerEquity } from '../shared/portfolio/ledger/ledger.ts';
import {
  approveLive,
  createPortfolio,
  type DecisionRow,
  getPortfolio,
  listPortfolios,
  loadLedger,
  type PortfolioRow,
} from '../shared/portfolio/ledger/store.ts';
import { tradePortfolio } from '../shared/portfolio/run/index.ts';
import { engageKillSwitch, releaseKillSwitch } from '../shared/portfolio/run/kill.ts';
import { planRebalance, planRows } from '../shared/portfolio/run/rebalance.ts';
import { reconcilePortfolio } from '../shared/portfolio/run/reconcile.ts';
import { drainUntilIdle, type Session } from './local/session.ts';

type Values = Record<string, string | boolean | undefined>;
type WithSession = <T>(fn: (s: Session) => Promise<T>) => Promise<T>;

const usage = (message: string) => new AppError('invalid_input', message, { retryable: false });

const str = (v: string | boolean | undefined, name: string): string => {
  if (typeof v !== 'string' || v === '') throw usage(`needs --${name}`);
  return v;
};
const num = (v: string | boolean | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n))
    throw usage(`--${name} expects a number, got "${String(v)}"`);
  return n;
};

const fmt = (x: number | null, digits = 2) => (x === null || Number.isNaN(x) ? '-' : x.toFixed(digits));
const pct = (x: number | null) => (x === null || Number.isNaN(x) ? '-' : `${(x * 100).toFixed(2)}%`);

/** The BUY / SELL / HOLD table with its reasons, one line per asset, trades first. */
export function decisionTable(rows: readonly DecisionRow[]): string {
  const order = { SELL: 0, BUY: 1, HOLD: 2, REFUSED: 3 } as const;
  const sorted = [...rows].sort(
    (a, b) => order[a.action] - order[b.action] || a.symbol.localeCompare(b.symbol),
  );
  const lines = sorted.map(
    (r) =>
      `${r.action.padEnd(7)} ${r.symbol.padEnd(10)} ${fmt(r.qty, 4).padStart(12)} ${pct(r.current_weight).padStart(8)} ${pct(r.target_weight).padStart(8)} ${fmt(r.score, 3).padStart(7)}  ${r.reason}`,
  );
  return [
    `${'action'.padEnd(7)} ${'symbol'.padEnd(10)} ${'qty'.padStart(12)} ${'now'.padStart(8)} ${'target'.padStart(8)} ${'score'.padStart(7)}  reason`,
    ...lines,
  ].join('\n');
}

function summary(p: PortfolioRow): string {
  const what =
    p.kind === 'strategy'
      ? `strategy ${p.strategy_id} v${p.strategy_version}`
      : `rebalance ${JSON.stringify(p.rule)}`;
  return `${p.id.padEnd(20)} ${p.mode.padEnd(5)} ${p.broker.padEnd(6)} ${p.universe.padEnd(14)} cash ${fmt(p.cash)}  last ${p.last_date ?? '-'}  ${p.trading_enabled ? '' : '(paused) '}${what}`;
}

/** The rebalance rule from flags (defaults: weekly on Monday, top 10, equal weight). */
function ruleFrom(values: Values) {
  return {
    every: (values.every as string | undefined) ?? 'weekly',
    top_n: num(values['top-n'], 'top-n') ?? 10,
    weighting: (values.weighting as string | undefined) ?? 'equal',
    ...(values['max-weight'] !== undefined ? { max_weight: num(values['max-weight'], 'max-weight') } : {}),
    ...(values.threshold !== undefined ? { threshold: num(values.threshold, 'threshold') } : {}),
  };
}

/** `stratos portfolio create|list|show|reconcile|kill|resume|pause|unpause|live`. */
export function portfolioCommand(withSession: WithSession) {
  return {
    summary:
      'paper portfolios: create, list, show, reconcile with the backtest, kill switch, pause, live approval',
    usage: [
      'stratos portfolio create --id ID --universe U (--strategy S [--version N] | [--every weekly|daily] [--top-n N] [--weighting equal|inverse_vol|min_variance|vol_target] [--broker paper|alpaca|ibkr]) [--cash N] [--start D] [--fee-rate R] [--slippage R]',
      '       stratos portfolio list | show ID | reconcile ID [--json]',
      '       stratos portfolio kill [--reason TEXT] | resume | pause ID | unpause ID | live ID --confirm',
    ].join('\n'),
    positionals: true,
    options: {
      id: { type: 'string' as const, help: 'portfolio id (snake_case)' },
      name: { type: 'string' as const, help: 'display name (default: the id)' },
      universe: { type: 'string' as const, help: 'universe id, e.g. equity_all' },
      strategy: { type: 'string' as const, help: 'a stored strategy id: stepped by the engine every day' },
      version: { type: 'string' as const, help: 'strategy version (default: the latest)' },
      every: { type: 'string' as const, help: 'rebalance: weekly (default) | daily' },
      'top-n': { type: 'string' as const, help: 'rebalance: names held (default 10)' },
      weighting: {
        type: 'string' as const,
        help: 'rebalance: equal | inverse_vol | min_variance | vol_target',
      },
      'max-weight': { type: 'string' as const, help: 'rebalance: largest weight of one name (default 0.2)' },
      threshold: {
        type: 'string' as const,
        help: 'rebalance: weight differences below it are HOLD (default 0.01)',
      },
      broker: {
        type: 'string' as const,
        help: "rebalance: paper (default) | alpaca | ibkr (the broker's paper account unless approved live)",
      },
      cash: { type: 'string' as const, help: 'starting cash (default 100000)' },
      start: { type: 'string' as const, help: 'first trading day (default: the latest complete day)' },
      'fee-rate': { type: 'string' as const, help: 'rebalance: fee as a fraction of value (default 0)' },
      slippage: { type: 'string' as const, help: 'rebalance: slippage as a fraction of price (default 0)' },
      reason: { type: 'string' as const, help: 'kill: why trading stops' },
      confirm: { type: 'boolean' as const, help: 'live: confirm real-money trading for this portfolio' },
      json: { type: 'boolean' as const, help: 'print JSON' },
    },
    run: async ({ values, positionals }: { values: Values; positionals: string[] }): Promise<number> => {
      const [action, arg] = positionals;
      if (action === 'create')
        return withSession(async (s) => {
          const universe = str(values.universe, 'universe');
          const [target] = await runTargets(s.ctx, { universe });
          const id = str(values.id, 'id');
          const p = await createPortfolio(s.ctx.sql, {
            id,
            name: (values.name as string | undefined) ?? id,
            universe,
            starting_cash: num(values.cash, 'cash') ?? 100_000,
            ...(values.broker !== undefined ? { broker: values.broker } : {}),
            start_date: (values.start as string | undefined) ?? target!.date,
            ...(values.strategy
              ? {
                  strategy: values.strategy,
                  ...(values.version ? { strategy_version: num(values.version, 'version') } : {}),
                }
              : { rule: ruleFrom(values) }),
            costs: {
              fee_rate: num(values['fee-rate'], 'fee-rate') ?? 0,
              slippage_rate: num(values.slippage, 'slippage') ?? 0,
            },
          });
          console.log(`created ${summary(p)}`);
          return 0;
        });
      if (action === 'list')
        return withSession(async (s) => {
          const rows = await listPortfolios(s.ctx.sql);
          if (values.json === true)
            console.log(
              JSON.stringify({ items: rows.map(({ engine_state: _, broker_state: __, ...r }) => r) }),
            );
          else for (const p of rows) console.log(summary(p));
          return 0;
        });
      if (action === 'show' && arg)
        return withSession(async (s) => {
          const p = await getPortfolio(s.ctx.sql, arg);
          const ledger = await loadLedger(s.ctx.sql, p);
          console.log(summary(p));
          console.log(
            `equity ${fmt(ledgerEquity(ledger))}  cash ${fmt(ledger.cash)}  starting ${fmt(p.starting_cash)}`,
          );
          for (const [key, pos] of ledger.positions)
            console.log(
              `  ${key.padEnd(20)} ${fmt(pos.qty, 4).padStart(12)} @ ${fmt(pos.avgPrice)}  mark ${fmt(pos.mark)}`,
            );
          const rows = await s.ctx.sql<DecisionRow[]>`
            select date::text as date, symbol, action, qty, target_weight, current_weight, score, rule, reason
            from portfolio_decisions where portfolio_id = ${arg}
              and date = (select max(date) from portfolio_decisions where portfolio_id = ${arg})`;
          if (rows.length) console.log(`decisions of ${rows[0]!.date}:\n${decisionTable(rows)}`);
          return 0;
        });
      if (action === 'reconcile' && arg)
        return withSession(async (s) => {
          const rec = await reconcilePortfolio(s.ctx.sql, arg, s.ctx.benchmarks, sentimentSeries(s.ctx));
          if (values.json === true) {
            const { backtestCurve: _, ...rest } = rec;
            console.log(JSON.stringify(rest));
          } else {
            console.log(
              `${arg}: ${rec.from ?? '-'}..${rec.to ?? '-'}, ${rec.days} days; fills paper ${rec.fills.paper} / backtest ${rec.fills.backtest}; equity paper ${fmt(rec.equity.paper)} / backtest ${fmt(rec.equity.backtest)}; ${rec.differences.length} difference(s)`,
            );
            for (const d of rec.differences)
              console.log(
                `  ${d.date} ${d.kind} ${d.what}: paper ${d.paper ?? '-'} / backtest ${d.backtest ?? '-'} (${d.cause})`,
              );
          }
          return rec.differences.some((d) => d.cause === 'unexplained') ? 1 : 0;
        });
      if (action === 'kill')
        return withSession(async (s) => {
          const out = await engageKillSwitch(
            s.ctx.sql,
            (values.reason as string | undefined) ?? 'kill switch from the CLI',
            'cli',
            process.env,
          );
          console.log(
            `kill switch engaged: ${out.cancelled} working order(s) cancelled${out.portfolios.length ? ` (${out.portfolios.join(', ')})` : ''}; no portfolio trades until \`stratos portfolio resume\``,
          );
          for (const b of out.brokers)
            console.log(
              `  ${b.broker}${b.live ? ' (live)' : ''}: ${b.error ? `NOT CANCELLED: ${b.error}` : `${b.cancelled} cancelled`}`,
            );
          // The switch is on either way; an account whose orders may still work is a failure to act on.
          return out.brokers.some((b) => b.error) ? 1 : 0;
        });
      if (action === 'resume')
        return withSession(async (s) => {
          await releaseKillSwitch(s.ctx.sql, 'cli');
          console.log('kill switch released: portfolios trade again from their next trade run');
          return 0;
        });
      if ((action === 'pause' || action === 'unpause') && arg)
        return withSession(async (s) => {
          await getPortfolio(s.ctx.sql, arg);
          await s.ctx.sql`update portfolios set trading_enabled = ${action === 'unpause'} where id = ${arg}`;
          console.log(`${arg}: trading ${action === 'pause' ? 'paused' : 'enabled'}`);
          return 0;
        });
      if (action === 'live' && arg) {
        if (values.confirm !== true) throw usage('live trading moves real money: add --confirm');
        return withSession(async (s) => {
          const p = await approveLive(s.ctx.sql, arg, 'cli', process.env);
          console.log(`${summary(p)}\n${arg} is approved for live trading`);
          return 0;
        });
      }
      throw usage(
        'expected create, list, show ID, reconcile ID, kill, resume, pause ID, unpause ID or live ID',
      );
    },
  };
}

/** `stratos rebalance --portfolio P [--dry-run] [--date D]`. */
export function rebalanceCommand(withSession: WithSession) {
  return {
    summary: 'rebalance a portfolio: print the BUY/SELL/HOLD table with reasons; --dry-run sends nothing',
    usage:
      "stratos rebalance --portfolio P [--dry-run] [--date D]\n\nWithout --dry-run, the trade run of the date executes: the previous orders fill, the new ones go to the portfolio's broker.",
    options: {
      portfolio: { type: 'string' as const, help: 'portfolio id (required)' },
      'dry-run': { type: 'boolean' as const, help: 'print the orders it would send, send nothing' },
      date: { type: 'string' as const, help: 'decision date (default: the latest complete day)' },
    },
    run: ({ values }: { values: Values }): Promise<number> =>
      withSession(async (s) => {
        const id = str(values.portfolio, 'portfolio');
        const p = await getPortfolio(s.ctx.sql, id);
        const [target] = await runTargets(s.ctx, {
          universe: p.universe,
          date: values.date as string | undefined,
        });
        const date = target!.date;
        if (values['dry-run'] === true) {
          if (p.kind !== 'rebalance')
            throw usage(
              `${id} follows a strategy: its orders come from the engine, see \`stratos portfolio show ${id}\``,
            );
          const plan = await planRebalance(
            s.ctx.sql,
            p,
            await loadLedger(s.ctx.sql, p),
            date,
            s.ctx.benchmarks,
            sentimentSeries(s.ctx),
          );
          console.log(
            `${id} ${date} (dry run, nothing sent): equity ${fmt(plan.equity)}, ${plan.targets.method}${plan.targets.fallback ? ` (fallback: ${plan.targets.fallback})` : ''}`,
          );
          console.log(decisionTable(planRows(plan)));
          return 0;
        }
        const out = await tradePortfolio(s.ctx, id, date);
        const rows = await s.ctx.sql<DecisionRow[]>`
          select date::text as date, symbol, action, qty, target_weight, current_weight, score, rule, reason
          from portfolio_decisions where portfolio_id = ${id} and date = ${out.lastDate ?? date}::date`;
        console.log(
          `${id} ${out.lastDate ?? date}: ${out.days} day(s) stepped, ${out.fills} fill(s)${out.trading ? '' : ' (trading disabled)'}`,
        );
        console.log(decisionTable(rows));
        return 0;
      }),
  };
}

/** `stratos weekly`: the original weekly flow end to end on the local stack. */
export function weeklyCommand(withSession: WithSession) {
  return {
    summary:
      'the weekly flow: data with warm-up, sentiment, composite score, targets, delta trades, dry run or paper',
    usage:
      'stratos weekly [--universe equity_all] [--date D] [--top-n 10] [--weighting equal] [--execute]\n\nRuns the pipeline for the date (with 300 days of warm-up history when the universe has none), then plans the rebalance of the paper portfolio weekly_<universe> (created on first use) and prints the BUY/SELL/HOLD table; --execute sends the orders to the paper broker.',
    options: {
      universe: { type: 'string' as const, help: 'universe id (default equity_all)' },
      date: { type: 'string' as const, help: 'decision date (default: the latest complete day)' },
      'top-n': { type: 'string' as const, help: 'names held (default 10)' },
      weighting: { type: 'string' as const, help: 'equal | inverse_vol | min_variance | vol_target' },
      execute: { type: 'boolean' as const, help: 'send the orders to the paper broker (default: dry run)' },
    },
    run: ({ values }: { values: Values }): Promise<number> =>
      withSession(async (s) => {
        const universe = (values.universe as string | undefined) ?? 'equity_all';
        const [target] = await runTargets(s.ctx, { universe, date: values.date as string | undefined });
        const date = target!.date;
        const [bars] = await s.ctx.sql<{ n: number }[]>`
          select count(*)::int as n from daily_bars b join assets a on a.id = b.asset_id
          join universes u on u.id = ${universe} and u.asset_type = a.asset_type
          where b.date between ${addDays(date, -300)}::date and ${date}::date`;
        const from = (bars?.n ?? 0) < 200 ? addDays(date, -300) : undefined;
        console.log(
          `1. data: the pipeline for ${universe} ${date}${from ? ` with history from ${from}` : ''} (sentiment where its stage runs)`,
        );
        await triggerRun(s.ctx, { stage: 'pipeline', universe, date, ...(from ? { from } : {}) });
        await drainUntilIdle(s.ctx, 'weekly');
        const id = `weekly_${universe}`.replace(/[^a-z0-9_]/g, '_');
        const existing = await s.ctx.sql`select 1 from portfolios where id = ${id}`;
        if (existing.length === 0)
          await createPortfolio(s.ctx.sql, {
            id,
            name: `Weekly flow on ${universe}`,
            universe,
            starting_cash: 100_000,
            start_date: date,
            rule: {
              every: 'weekly',
              top_n: num(values['top-n'], 'top-n') ?? 10,
              weighting: (values.weighting as string | undefined) ?? 'equal',
            },
          });
        const p = await getPortfolio(s.ctx.sql, id);
        console.log('2. composite score -> targets -> risk -> delta trades');
        const plan = await planRebalance(
          s.ctx.sql,
          p,
          await loadLedger(s.ctx.sql, p),
          date,
          s.ctx.benchmarks,
          sentimentSeries(s.ctx),
        );
        const components = ['momentum', 'sentiment', 'signals', 'review'] as const;
        const present = components.filter((c) => plan.scores.some((x) => x.components[c] !== null));
        console.log(
          `   ${plan.scores.length} assets scored from ${present.join(', ') || 'nothing'}; ${plan.targets.method} weights over ${plan.targets.weights.length}${plan.targets.fallback ? ` (fallback: ${plan.targets.fallback})` : ''}`,
        );
        console.log(decisionTable(planRows(plan)));
        if (values.execute !== true) {
          console.log('3. dry run: nothing sent (add --execute to send the orders to the paper broker)');
          return 0;
        }
        const out = await tradePortfolio(s.ctx, id, date);
        console.log(
          `3. paper: ${id} traded ${date} (${out.decisions} decision(s) recorded; orders fill at the next open)`,
        );
        return 0;
      }),
  };
}
