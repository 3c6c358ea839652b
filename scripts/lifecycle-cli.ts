// `stratos lifecycle ...`: the strategy lifecycle from the command line — one discovery cycle now, the
// board as a table, a strategy's history, admin actions with a reason, and the loop's settings.
import {
  lifecycleAct,
  lifecycleBoard,
  lifecycleConfigure,
  lifecycleDetail,
  lifecycleEnrol,
  lifecycleRunCycle,
} from '../shared/api/lifecycle.ts';
import { IsoDate } from '../shared/domain/market.ts';
import { AppError, formatIssues } from '../shared/errors/index.ts';
import { LifecycleConfigPatch } from '../shared/lifecycle/config.ts';
import { drainUntilIdle, type Session } from './local/session.ts';

type Values = Record<string, string | boolean | string[] | undefined>;
type WithSession = <T>(fn: (s: Session) => Promise<T>) => Promise<T>;

const usage = (message: string) => new AppError('invalid_input', message, { retryable: false });
const ACTIONS = ['promote', 'reject', 'pause', 'resume'] as const;
const fmt = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
const pct = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(2)}%`;

/** The reason an action needs: a non-blank --reason. */
function reasonOf(values: Values): string {
  const r = values.reason;
  if (typeof r !== 'string' || r.trim() === '') throw usage('needs --reason TEXT');
  return r.trim();
}

/** The settings change from flags, validated as PATCH /lifecycle/config validates its body. */
function patchOf(values: Values): LifecycleConfigPatch {
  const raw: Record<string, unknown> = {};
  if (values.discovery !== undefined) {
    if (values.discovery !== 'on' && values.discovery !== 'off') throw usage('--discovery expects on or off');
    raw.discovery_enabled = values.discovery === 'on';
  }
  const number = (name: string, key: string) => {
    const v = values[name];
    if (v === undefined) return;
    const n = Number(v);
    if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n))
      throw usage(`--${name} expects a number`);
    raw[key] = n;
  };
  number('rate', 'proposals_per_hour');
  number('lookback-days', 'lookback_days');
  number('seed', 'seed');
  if (typeof values.universe === 'string') raw.universe = values.universe;
  const sets = Array.isArray(values.set) ? values.set : [];
  if (sets.length > 0) {
    const gates: Record<string, number> = {};
    for (const s of sets) {
      const [key, value, ...rest] = s.split('=');
      const n = Number(value);
      if (!key || value === undefined || rest.length > 0 || value.trim() === '' || !Number.isFinite(n))
        throw usage(`--set expects gate=number, got "${s}"`);
      gates[key] = n;
    }
    raw.gates = gates;
  }
  const parsed = LifecycleConfigPatch.safeParse(raw);
  if (!parsed.success) throw usage(formatIssues(parsed.error.issues));
  return parsed.data;
}

/** `stratos lifecycle run|list|show|enrol|promote|reject|pause|resume|config`. */
export function lifecycleCommand(withSession: WithSession) {
  return {
    summary:
      'strategy lifecycle: run a discovery cycle, list the board, promote/reject/pause/resume with a reason',
    usage: [
      'stratos lifecycle run [--date D]',
      '       stratos lifecycle list [--json] | show ID [--json]',
      '       stratos lifecycle enrol|promote|reject|pause|resume ID --reason TEXT',
      '       stratos lifecycle config [--discovery on|off] [--rate N] [--universe U] [--lookback-days N] [--seed N] [--set gate=value ...]',
      '',
      'Gates (--set): min_trades, min_sharpe, min_return, max_drawdown, min_dsr, paper_min_days, paper_band_z,',
      'paper_stop, paper_timeout_days, max_live, live_max_drawdown, paper_cash.',
    ].join('\n'),
    positionals: true,
    options: {
      date: {
        type: 'string' as const,
        help: 'run: the last trading day the cycle reads (default: the latest complete day)',
      },
      reason: { type: 'string' as const, help: 'why (required by enrol, promote, reject, pause, resume)' },
      discovery: {
        type: 'string' as const,
        help: 'config: on | off (proposals; paper and live keep advancing)',
      },
      rate: { type: 'string' as const, help: 'config: strategies proposed per hour (0-50, default 3)' },
      universe: { type: 'string' as const, help: 'config: universe the proposals trade' },
      'lookback-days': {
        type: 'string' as const,
        help: 'config: calendar days of each backtest (default 365)',
      },
      seed: { type: 'string' as const, help: "config: the proposals' seed" },
      set: { type: 'string' as const, multiple: true, help: 'config: a gate, gate=number (repeatable)' },
      json: { type: 'boolean' as const, help: 'print JSON' },
    },
    run: async ({ values, positionals }: { values: Values; positionals: string[] }): Promise<number> => {
      const [action, id, ...extra] = positionals;
      if (extra.length > 0) throw usage(`unexpected arguments: ${extra.join(' ')}`);
      if (action === 'run') {
        const date = values.date === undefined ? undefined : IsoDate.safeParse(values.date);
        if (date && !date.success) throw usage('--date expects YYYY-MM-DD');
        return withSession(async (s) => {
          const started = await lifecycleRunCycle(s.ctx, date?.data);
          await drainUntilIdle(s.ctx);
          const [run] = await s.ctx.sql<{ status: string; summary: Record<string, unknown> }[]>`
            select status, summary from pipeline_runs where id = ${started.run_id}`;
          console.log(
            `lifecycle ${started.hour} as of ${started.date}: run ${started.run_id} ${run!.status} ${JSON.stringify(run!.summary)}`,
          );
          return run!.status === 'succeeded' ? 0 : 1;
        });
      }
      if (action === 'list')
        return withSession(async (s) => {
          const board = await lifecycleBoard(s.ctx);
          if (values.json) {
            console.log(JSON.stringify(board, null, 2));
            return 0;
          }
          const h = board.header;
          console.log(
            `tested today ${h.tested_today}, success rate ${pct(h.success_rate)}, graduation rate ${pct(h.graduation_rate)}, live P&L ${fmt(h.live_pnl)}; discovery ${board.config.discovery_enabled ? 'on' : 'off'}, ${board.config.proposals_per_hour}/hour over ${board.config.universe}`,
          );
          console.log(
            `${'phase'.padEnd(8)} ${'strategy'.padEnd(30)} ${'name'.padEnd(18)} ${'Sharpe'.padStart(7)} ${'DSR'.padStart(6)} ${'return'.padStart(8)} ${'maxDD'.padStart(8)} ${'trades'.padStart(6)} ${'paper'.padStart(5)} ${'P&L'.padStart(10)}`,
          );
          for (const c of [...board.columns.live, ...board.columns.paper, ...board.columns.backtest])
            console.log(
              `${(c.phase + (c.paused ? '*' : '')).padEnd(8)} ${c.strategy_id.padEnd(30)} ${c.name.padEnd(18)} ${fmt(c.sharpe).padStart(7)} ${fmt(c.dsr, 3).padStart(6)} ${pct(c.total_return).padStart(8)} ${pct(c.max_drawdown).padStart(8)} ${fmt(c.trades, 0).padStart(6)} ${fmt(c.paper_days, 0).padStart(5)} ${fmt(c.pnl).padStart(10)}`,
            );
          console.log(`rejected ${h.counts.rejected}, retired ${h.counts.retired} (* paused)`);
          return 0;
        });
      if (action === 'config')
        return withSession(async (s) => {
          const config = await lifecycleConfigure(s.ctx, patchOf(values), 'cli');
          console.log(JSON.stringify(config, null, 2));
          return 0;
        });
      if (!id) throw usage(`lifecycle ${action ?? ''} needs a strategy id`.trim());
      if (action === 'show')
        return withSession(async (s) => {
          const d = await lifecycleDetail(s.ctx, id);
          if (values.json) {
            console.log(JSON.stringify(d, null, 2));
            return 0;
          }
          const c = d.card;
          console.log(
            `${c.strategy_id} (${c.name}) ${c.phase}${c.paused ? ', paused' : ''}: Sharpe ${fmt(c.sharpe)}, DSR ${fmt(c.dsr, 3)} over ${fmt(c.trials, 0)} trials, return ${pct(c.total_return)}, max drawdown ${pct(c.max_drawdown)}, ${fmt(c.trades, 0)} trades${c.portfolio_id ? `; portfolio ${c.portfolio_id}, ${c.paper_days} paper days, P&L ${fmt(c.pnl)}` : ''}`,
          );
          for (const t of d.transitions)
            console.log(
              `${t.at}  ${t.action.padEnd(7)} ${(t.from_phase ?? '-').padEnd(8)} → ${t.to_phase.padEnd(8)} ${t.actor.padEnd(6)} ${t.reason}`,
            );
          return 0;
        });
      if (action === 'enrol') {
        const reason = reasonOf(values);
        return withSession(async (s) => {
          const c = await lifecycleEnrol(s.ctx, id, reason, 'cli');
          console.log(`${c.strategy_id}: ${c.phase} (the next cycle backtests and gates it)`);
          return 0;
        });
      }
      const act = ACTIONS.find((a) => a === action);
      if (!act)
        throw usage(
          `unknown lifecycle action "${action ?? ''}": run, list, show, enrol, ${ACTIONS.join(', ')}, config`,
        );
      const reason = reasonOf(values);
      return withSession(async (s) => {
        const c = await lifecycleAct(s.ctx, id, act, reason, 'cli');
        console.log(`${c.strategy_id}: ${c.phase}${c.paused ? ' (paused)' : ''} — ${c.last_reason}`);
        return 0;
      });
    },
  };
}
