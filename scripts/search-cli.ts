// `stratos search`: the weekly strategy search from the command line — the week's dataset snapshot
// (built when missing), the TPE optimizer over every algorithm with a live progress line on stderr, the
// trial ledger, and the best variations per algorithm with their statistics and deflated Sharpe.
import { IsoDate } from '../shared/domain/market.ts';
import { AppError, errorMessage } from '../shared/errors/index.ts';
import { buildDataset, loadDataset, weekStart } from '../shared/search/dataset.ts';
import { prepareDataset } from '../shared/search/evaluate.ts';
import { finishRun, recordCycle, startRun, weekTrialCount } from '../shared/search/ledger.ts';
import { runSearch, topVariations } from '../shared/search/optimize.ts';
import type { Session } from './local/session.ts';
import { defaultWorkers, discoverAsJobs, pruneAndDiscover } from './search-workers.ts';

type Values = Record<string, string | boolean | undefined>;
type WithSession = <T>(fn: (s: Session) => Promise<T>) => Promise<T>;

const usage = (message: string) => new AppError('invalid_input', message, { retryable: false });

/** A whole number in [min, max] from an option, or its default. */
function intOption(values: Values, name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < min || n > max)
    throw usage(`--${name} must be a whole number from ${min} to ${max}, got ${String(raw)}`);
  return n;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const num = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/** `stratos search --week D [--cycles N] [--budget-s S] [--seed K] [--size N] [--top N] [--rebuild] [--prune] [--groups …]`, or `--run ID --prune|--groups`. */
export function searchCommand(withSession: WithSession) {
  return {
    summary: 'weekly strategy search: TPE over 10 screening algorithms on a week’s 1,000-ticker snapshot',
    usage:
      'stratos search --week YYYY-MM-DD [--cycles N] [--budget-s S] [--seed K] [--size N] [--top N] [--rebuild] [--prune] [--groups [--group-budget-s S] [--workers N]]\nstratos search --run ID (--prune | --groups [--group-budget-s S] [--workers N] [--queue])\n\nThe week is the ISO week containing the date; its snapshot is built from stored bars when missing (or with --rebuild). A variation’s daily result is the equal-weight mean next-session open-to-close return of its picks.',
    options: {
      week: { type: 'string' as const, help: 'a date in the week to search (required)' },
      cycles: {
        type: 'string' as const,
        help: 'optimizer cycles, 8 variations per algorithm each (default 200)',
      },
      'budget-s': { type: 'string' as const, help: 'stop after the cycle that passes this many seconds' },
      seed: { type: 'string' as const, help: 'sampler seed: same seed, same trials (default 1)' },
      size: { type: 'string' as const, help: 'tickers sampled when building the snapshot (default 1000)' },
      top: { type: 'string' as const, help: 'variations printed per algorithm (default 3)' },
      rebuild: { type: 'boolean' as const, help: 'rebuild the week’s snapshot from the stored bars' },
      prune: { type: 'boolean' as const, help: 'prune the run: hard gates, then the best 8 per algorithm' },
      groups: {
        type: 'boolean' as const,
        help: 'prune, then discover groups and select the week’s group (implies --prune)',
      },
      'group-budget-s': { type: 'string' as const, help: 'time budget of group discovery (default 600)' },
      workers: { type: 'string' as const, help: 'worker threads of group discovery (default: every core)' },
      run: { type: 'string' as const, help: 'prune/group an existing search run instead of searching again' },
      queue: {
        type: 'boolean' as const,
        help: 'with --run: discover groups as queue jobs drained by --workers loops',
      },
    },
    run: async ({ values }: { values: Values }): Promise<number> => {
      const groupBudgetS = intOption(values, 'group-budget-s', 600, 1, 86_400);
      const discovery = {
        groups: values.groups === true,
        workers: intOption(values, 'workers', defaultWorkers(), 1, 256),
        budgetMs: groupBudgetS * 1000,
        prune: {},
        group: {},
        selection: {},
        log: (line: string) => console.error(line),
        out: (line: string) => console.log(line),
      };
      if (values.run !== undefined) {
        const existing = intOption(values, 'run', 0, 1, Number.MAX_SAFE_INTEGER);
        return withSession(async (s) => {
          if (values.queue) await discoverAsJobs(s.ctx, existing, discovery.workers, groupBudgetS);
          else await pruneAndDiscover(s.ctx.sql, existing, discovery);
          return 0;
        });
      }
      const date = IsoDate.safeParse(values.week);
      if (!date.success) throw usage('search needs --week YYYY-MM-DD');
      const cycles = intOption(values, 'cycles', 200, 1, 100_000);
      const seed = intOption(values, 'seed', 1, 0, 2_147_483_647);
      const size = intOption(values, 'size', 1000, 10, 100_000);
      const top = intOption(values, 'top', 3, 1, 100);
      const budgetS =
        values['budget-s'] === undefined ? undefined : intOption(values, 'budget-s', 0, 1, 604_800);
      const week = weekStart(date.data);
      return withSession(async (s) => {
        const sql = s.ctx.sql;
        const [stored] = await sql`select 1 from search_datasets where week = ${week}`;
        if (!stored || values.rebuild) {
          const built = await buildDataset(sql, week, { size, seed });
          console.error(
            `dataset ${week}: sessions ${built.sessions[0]} … ${built.sessions.at(-1)}, ${built.sampled} of ${built.eligible} eligible tickers`,
          );
        }
        const loadStarted = performance.now();
        const data = prepareDataset(await loadDataset(sql, week));
        const loadMs = performance.now() - loadStarted;
        const runId = await startRun(sql, { week, seed, cycles, ...(budgetS ? { budgetS } : {}) });
        const live = process.stderr.isTTY;
        // A failure after the search finished (pruning, groups) leaves the run succeeded.
        let finished = false;
        try {
          const result = await runSearch(data, {
            seed,
            cycles,
            ...(budgetS ? { budgetMs: budgetS * 1000 } : {}),
            onCycle: async (r) => {
              await recordCycle(sql, runId, r.cycle, r.trials);
              const left = Number.isFinite(r.budgetLeftMs)
                ? `, budget left ${(r.budgetLeftMs / 1000).toFixed(0)} s`
                : '';
              const line = `cycle ${r.cycle}/${cycles}, ${r.totalTrials} trials, best score ${pct(r.best?.stats.score ?? Number.NaN)} (${r.best?.key ?? '—'}), ${(r.elapsedMs / 1000).toFixed(1)} s${left}`;
              if (live) process.stderr.write(`\r\x1b[2K${line}`);
              else if (r.cycle % 10 === 0 || r.cycle === cycles) console.error(line);
            },
          });
          if (live) process.stderr.write('\n');
          await finishRun(sql, runId, { stoppedBy: result.stoppedBy });
          finished = true;
          const count = await weekTrialCount(sql, week);
          const seconds = result.elapsedMs / 1000;
          console.log(
            `search run ${runId}, week ${week}: ${data.dataset.symbols.length} tickers, snapshot loaded in ${loadMs.toFixed(0)} ms; ${result.cycles} cycles, ${result.trials.length} trials in ${seconds.toFixed(1)} s (${Math.round((result.trials.length / seconds) * 60)} per minute), stopped by ${result.stoppedBy}; ${count.trials} distinct trials in the week's ledger`,
          );
          console.log(
            'algorithm          variation                                        mean/day  std/day  pos.days  buys  Sharpe/day  DSR    overlap',
          );
          for (const v of topVariations(result.trials, top, count)) {
            const t = v.trial;
            console.log(
              [
                t.algorithm.padEnd(18),
                t.key.slice(t.algorithm.length + 1).padEnd(48),
                pct(t.stats.meanReturn).padStart(8),
                pct(t.stats.stdReturn).padStart(8),
                `${t.stats.positiveShare * 5}/5`.padStart(8),
                String(t.stats.totalBuys).padStart(5),
                num(t.stats.sharpe).padStart(10),
                num(v.dsr, 3).padStart(6),
                `${num(v.maxOverlap)}`.padStart(7),
              ].join(' '),
            );
          }
          if (values.prune || values.groups) await pruneAndDiscover(sql, runId, discovery);
          return 0;
        } catch (err) {
          if (!finished) await finishRun(sql, runId, { error: errorMessage(err) });
          throw err;
        }
      });
    },
  };
}
