import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { RunTrigger, type RunView } from '../shared/api/contracts/runs.ts';
import { listRuns, runTargets, triggerRun } from '../shared/api/service.ts';
import { importCsv } from '../shared/bars/import.ts';
import { addDays, todayUtc } from '../shared/calendar/index.ts';
import { benchmarksFromEnv, providerChain } from '../shared/config.ts';
import { AssetType, IsoDate } from '../shared/domain/market.ts';
import { STAGES } from '../shared/domain/stages.ts';
import { UniverseId } from '../shared/domain/universes.ts';
import { AppError, errorMessage, formatIssues } from '../shared/errors/index.ts';
import { FEATURE_NAMES } from '../shared/features/catalogue.ts';
import { featuresCsvLines } from '../shared/features/csv.ts';
import { refuseFutureRunDate } from '../shared/pipeline/run-date.ts';
import { createCsvProvider } from '../shared/providers/csv/index.ts';
import { ACCEPTED_HEADERS, parseBarsCsv } from '../shared/providers/csv/parse.ts';
import { PROVIDER_IDS } from '../shared/providers/registry.ts';
import { screenBars } from '../shared/quality/screen.ts';
import { parseUniverseFile, saveListUniverse } from '../shared/universes/index.ts';
import { BUILTIN_HELP, backtestCommand, strategiesCommand } from './backtest-cli.ts';
import { brokerCommand } from './broker-cli.ts';
import { consumeCommand } from './consume-cli.ts';
import { lifecycleCommand } from './lifecycle-cli.ts';
import { ROOT } from './local/database.ts';
import { drainUntilIdle, openSession, type Session } from './local/session.ts';
import { DEMO_HISTORY_DAYS, demoReviewHistory, startLocalStack } from './local/stack.ts';
import { newsImportCommand, newsListCommand } from './news-cli.ts';
import { portfolioCommand, rebalanceCommand, weeklyCommand } from './portfolio-cli.ts';
import { replayCommand } from './replay-cli.ts';
import { searchCommand } from './search-cli.ts';
import { sentimentCsvCommand, shortlistCommand } from './sentiment-cli.ts';
import { weekdayCommand } from './weekday-cli.ts';

class UsageError extends Error {}

interface Command {
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; help: string }>;
  positionals?: boolean;
  run: (args: {
    values: Record<string, string | boolean | undefined>;
    positionals: string[];
  }) => Promise<number>;
}

const log = (line: string) => console.log(`  ${line}`);

const DateOptions = z.object({
  date: IsoDate.optional(),
  from: IsoDate.optional(),
  asset_type: AssetType.optional(),
});

const dateOpt = {
  type: 'string' as const,
  help: "trading date YYYY-MM-DD, not after the market's latest complete day (default: that day)",
};
const assetTypeOpt = { type: 'string' as const, help: 'crypto | equity (default: both)' };

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const res = schema.safeParse(value);
  if (!res.success) throw new UsageError(formatIssues(res.error.issues));
  return res.data;
}

/**
 * Refuses a malformed or out-of-range --date (and --from) before the database is opened, and a date
 * after the market's latest complete day when --asset-type names the market (a universe's market is
 * checked once it is read, before anything is written).
 */
function checkDates(values: Record<string, string | boolean | undefined>, date = values.date): void {
  const checked = parse(DateOptions, { date, from: values.from, asset_type: values['asset-type'] });
  if (checked.date !== undefined && checked.asset_type !== undefined) {
    refuseFutureRunDate(checked.date, checked.asset_type);
  }
}

async function withSession<T>(fn: (s: Session) => Promise<T>): Promise<T> {
  const session = await openSession({ log });
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

function printRuns(runs: RunView[]): number {
  for (const r of runs) {
    const counts = Object.entries(r.summary)
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const secs = r.duration_ms === null ? '' : ` in ${(r.duration_ms / 1000).toFixed(1)}s`;
    console.log(`${r.stage.padEnd(9)} ${r.universe.padEnd(11)} ${r.run_date} ${r.status}${secs}  ${counts}`);
    for (const e of r.errors.slice(0, 10)) console.log(`    ! ${e.scope}: ${e.error}`);
    if (r.errors.length > 10) console.log(`    ... and ${r.errors.length - 10} more errors`);
  }
  return runs.some((r) => r.status === 'failed') ? 1 : 0;
}

/** What a command addresses; validated before anything runs. */
const RunTarget = z.object({
  date: IsoDate.optional(),
  asset_type: AssetType.optional(),
  universe: UniverseId.optional(),
});

type Trigger = Omit<z.input<typeof RunTrigger>, 'date' | 'from'> & {
  date?: string | undefined;
  fromDays?: number;
  /** A single stage: continue with the following stages when it finishes. */
  chain?: boolean;
  /** A demo seed: also review past days with the rules reviewer (see demoReviewHistory). */
  demoHistory?: boolean;
};

/**
 * Starts runs (one per addressed universe; without --date each on its market's latest complete
 * day), drains the queue in this process and prints every run that finished on the way.
 */
async function runAndReport(s: Session, trigger: Trigger): Promise<number> {
  const started = Date.now();
  const { fromDays, chain, demoHistory, ...rest } = trigger;
  const dates = new Set<string>();
  for (const target of await runTargets(s.ctx, parse(RunTarget, rest))) {
    const body = parse(RunTrigger, {
      ...rest,
      ...target,
      asset_type: undefined,
      ...(fromDays ? { from: addDays(target.date, -fromDays) } : {}),
    });
    const reviewHistory = demoHistory ? demoReviewHistory(s.ctx.reviewer.model, target.date) : undefined;
    await triggerRun(s.ctx, { ...body, chain: chain === true, ...(reviewHistory ? { reviewHistory } : {}) });
    dates.add(target.date);
  }
  await drainUntilIdle(s.ctx);
  const runs: RunView[] = [];
  for (const date of dates) runs.push(...(await listRuns(s.ctx, { date, limit: 100 })));
  return printRuns(runs.filter((r) => Date.parse(r.finished_at ?? r.created_at) >= started - 1000).reverse());
}

function stageCommand(stage: 'ingest' | 'features' | 'signals' | 'review', summary: string): Command {
  const options: Command['options'] = {
    date: dateOpt,
    ...(stage === 'signals'
      ? { universe: { type: 'string', help: 'universe id, e.g. crypto_all | equity_all (default: both)' } }
      : { 'asset-type': assetTypeOpt }),
    ...(stage !== 'review'
      ? {
          from: {
            type: 'string',
            help: 'also (re)build history from this date (a date range ending at --date)',
          },
        }
      : {}),
    ...(stage === 'review'
      ? {
          limit: { type: 'string', help: 'maximum assets to review per universe' },
          'retry-invalid': {
            type: 'boolean',
            help: 'ask again about reviews stored invalid (e.g. a cut-off answer) instead of reusing them; paid in this run',
          },
        }
      : {}),
    ...(stage === 'ingest'
      ? {
          provider: {
            type: 'string',
            help: `provider order, e.g. polygon,alpaca (${[...PROVIDER_IDS, 'csv'].join(' | ')}; default: configured)`,
          },
          csv: { type: 'string', help: 'CSV file for --provider csv' },
        }
      : {}),
    chain: { type: 'boolean', help: 'continue with the following stages when done' },
  };
  return {
    summary,
    usage: `stratos ${stage} [options]`,
    options,
    run: ({ values }) => {
      checkDates(values);
      return withSession(async (s) => {
        if (values.provider) {
          if (values.provider === 'csv') {
            if (typeof values.csv !== 'string') throw new UsageError('--provider csv needs --csv FILE');
            const assetType = parse(AssetType, values['asset-type'] ?? 'equity');
            const csv = createCsvProvider([{ assetType, text: readFileSync(values.csv, 'utf8') }]);
            s.ctx.providers = () => [csv];
          } else {
            // A comma-separated order overrides the configured one for this command.
            const spec = String(values.provider);
            const chains = new Map(
              AssetType.options.map((t) => [t, providerChain(spec, t, process.env, log)] as const),
            );
            s.ctx.providers = (t) => chains.get(t)!;
          }
        }
        return runAndReport(s, {
          stage,
          chain: values.chain === true,
          date: values.date as string | undefined,
          ...(values['asset-type'] ? { asset_type: values['asset-type'] as AssetType } : {}),
          ...(values.universe ? { universe: values.universe as string } : {}),
          ...(values.from ? { from: values.from as string } : {}),
          ...(values.limit ? { limit: parse(z.coerce.number().int().positive(), values.limit) } : {}),
          ...(values['retry-invalid'] ? { retry_invalid: true } : {}),
        });
      });
    },
  };
}

const COMMANDS: Record<string, Command> = {
  start: {
    summary: 'start the local stack: database, demo data, pipeline, functions, dashboard, scheduler',
    usage: 'stratos start [--port 54321] [--no-seed]',
    options: {
      port: { type: 'string', help: 'HTTP port (default 54321)' },
      'no-seed': { type: 'boolean', help: 'do not load the demo universe into an empty database' },
    },
    run: async ({ values }) => {
      await startLocalStack({
        port: values.port ? parse(z.coerce.number().int().min(1).max(65535), values.port) : 54321,
        seed: !values['no-seed'],
      });
      return 0;
    },
  },
  migrate: {
    summary: 'apply pending migrations (supabase db push) and store the built-in templates',
    usage: 'stratos migrate',
    options: {},
    run: () =>
      withSession(async (s) => {
        console.log(`database is migrated (${s.db.origin})`);
        return 0;
      }),
  },
  'seed-demo': {
    summary: `load the offline demo universe with ${DEMO_HISTORY_DAYS} days of history and run the pipeline`,
    usage: 'stratos seed-demo [--date D]',
    options: { date: dateOpt },
    run: ({ values }) => {
      checkDates(values);
      return withSession((s) =>
        runAndReport(s, {
          stage: 'pipeline',
          date: values.date as string | undefined,
          fromDays: DEMO_HISTORY_DAYS,
          demoHistory: true,
        }),
      );
    },
  },
  run: {
    summary: `run all stages (${STAGES.join(' -> ')}) for a date`,
    usage: 'stratos run [--date D] [--asset-type crypto|equity]',
    options: { date: dateOpt, 'asset-type': assetTypeOpt },
    run: ({ values }) => {
      checkDates(values);
      return withSession((s) =>
        runAndReport(s, {
          stage: 'pipeline',
          date: values.date as string | undefined,
          ...(values['asset-type'] ? { asset_type: values['asset-type'] as AssetType } : {}),
        }),
      );
    },
  },
  ingest: stageCommand('ingest', 'fetch daily bars for a date from the configured providers'),
  features: stageCommand('features', 'compute the feature catalogue for a date or a date range'),
  signals: stageCommand('signals', 'evaluate the signal templates for a date'),
  review: stageCommand('review', 'review the strongest signals with the LLM (or the rules reviewer)'),
  backfill: {
    summary: 'fetch history for a date range with a progress bar; resumable (rerun the same command)',
    usage: 'stratos backfill --asset-type crypto|equity --from D1 --to D2 [--symbols A,B,C]',
    options: {
      'asset-type': { type: 'string', help: 'crypto | equity (required)' },
      from: { type: 'string', help: 'first date YYYY-MM-DD (required)' },
      to: { type: 'string', help: 'last date YYYY-MM-DD (default: the latest complete day)' },
      symbols: { type: 'string', help: 'comma-separated symbols (default: the whole universe)' },
    },
    run: ({ values }) => {
      checkDates(values, values.to);
      return withSession(async (s) => {
        const assetType = parse(AssetType, values['asset-type']);
        const from = parse(IsoDate, values.from);
        const [target] = await runTargets(s.ctx, {
          asset_type: assetType,
          date: values.to === undefined ? undefined : parse(IsoDate, values.to),
        });
        const symbols =
          typeof values.symbols === 'string'
            ? values.symbols.split(',').map((x) => x.trim().toUpperCase())
            : null;
        // A run still in progress (an interrupted backfill) is resumed; a finished one runs again.
        const [run] = await triggerRun(
          s.ctx,
          parse(RunTrigger, {
            stage: 'ingest',
            universe: target!.universe,
            date: target!.date,
            from,
            ...(symbols ? { symbols } : {}),
          }),
          { rerun: true },
        );
        return followBackfill(s, run!);
      });
    },
  },
  'universe-import': {
    summary: 'create or replace a list universe from a file (one symbol per line, # comments)',
    usage: 'stratos universe-import FILE --id my_list --asset-type equity|crypto [--name "My list"]',
    options: {
      id: { type: 'string', help: 'universe id, lower snake case (required)' },
      'asset-type': { type: 'string', help: 'crypto | equity (required)' },
      name: { type: 'string', help: 'display name (default: the id)' },
    },
    positionals: true,
    run: async ({ values, positionals }) => {
      const file = positionals[0];
      if (!file) throw new UsageError('universe-import needs a FILE');
      const id = parse(UniverseId, values.id);
      const assetType = parse(AssetType, values['asset-type']);
      const symbols = parseUniverseFile(readFileSync(file, 'utf8'));
      return withSession(async (s) => {
        await saveListUniverse(s.ctx.sql, { id, name: String(values.name ?? id), assetType, symbols });
        console.log(`universe ${id}: ${symbols.length} ${assetType} symbols from ${file}`);
        return 0;
      });
    },
  },
  shortlist: {
    summary:
      "re-rank a shortlist (symbols, or the day's top AI reviews) by its recent news; stored and shown",
    usage:
      'stratos shortlist [--symbols A,B,C | --limit N] [--date D] [--asset-type equity|crypto] [--days 7] [--list ID] [--scorer lexicon|llm]',
    options: {
      symbols: {
        type: 'string',
        help: "the candidates, best first (default: the day's valid AI reviews by attention)",
      },
      limit: { type: 'string', help: 'candidates taken from the reviews (default 10)' },
      date: { type: 'string', help: "the day (default: the market's latest complete day)" },
      'asset-type': { type: 'string', help: 'crypto | equity (default equity)' },
      days: { type: 'string', help: 'calendar days of news read, up to the close of the date (default 7)' },
      list: { type: 'string', help: 'the stored list id (default: reviews, or watch with --symbols)' },
      scorer: { type: 'string', help: 'lexicon | llm (default: llm with OPENAI_API_KEY, else lexicon)' },
    },
    run: ({ values }) => shortlistCommand(values, withSession),
  },
  broker: {
    summary: 'check a broker connection: account, market clock, positions, working orders (sends nothing)',
    usage:
      'stratos broker --broker alpaca|ibkr [--live] [--json]\n\nBuilds the broker from the environment as a portfolio would (paper keys/account unless --live; see .env.example) and reads it. Exit 2 when a key or account is not set, 1 when the broker refuses or cannot be reached.',
    options: {
      broker: { type: 'string', help: 'alpaca | ibkr (required)' },
      live: { type: 'boolean', help: 'the live account and keys instead of paper' },
      json: { type: 'boolean', help: 'print one JSON object' },
    },
    run: ({ values }) => brokerCommand(values, process.env),
  },
  'sentiment-csv': {
    summary: 'score the news sentiment of a CSV of texts (lexicon or LLM), no database',
    usage:
      'stratos sentiment-csv --in FILE --out FILE [--scorer lexicon|llm]\n\nThe text is read from the first column named text, content, headline or title (a ticker or symbol column is passed to the LLM); the output adds score (-1..1), label (positive/neutral/negative) and status (valid, invalid, empty, error, skipped). Default scorer: the LLM when OPENAI_API_KEY is set, else the lexicon.',
    options: {
      in: { type: 'string', help: 'CSV with a text column (required)' },
      out: { type: 'string', help: 'CSV to write: the input columns plus score, label, status (required)' },
      scorer: { type: 'string', help: 'lexicon | llm (default: llm with OPENAI_API_KEY, else lexicon)' },
    },
    run: ({ values }) => sentimentCsvCommand(values, process.env),
  },
  'features-csv': {
    summary: 'compute the feature catalogue for a CSV of bars (one or many symbols), no database',
    usage: `stratos features-csv --in bars.csv --out features.csv [--asset-type equity|crypto] [--symbol SYM]\n\n${ACCEPTED_HEADERS}`,
    options: {
      in: { type: 'string', help: 'CSV of daily bars (required)' },
      out: { type: 'string', help: 'CSV to write: symbol, date and every feature column (required)' },
      'asset-type': { type: 'string', help: 'crypto | equity (default equity): annualisation and benchmark' },
      symbol: { type: 'string', help: 'symbol for files without a symbol column' },
    },
    run: async ({ values }) => {
      if (typeof values.in !== 'string' || typeof values.out !== 'string') {
        throw new UsageError('features-csv needs --in FILE and --out FILE');
      }
      const assetType = parse(AssetType, values['asset-type'] ?? 'equity');
      const t0 = performance.now();
      const parsed = parseBarsCsv(readFileSync(values.in, 'utf8'), {
        ...(values.symbol ? { defaultSymbol: String(values.symbol) } : {}),
      });
      // The one bar screen, as for an import: copies of a date and future dates never reach the features.
      const screened = screenBars(
        parsed.bars.map((bar) => ({ bar, source: 'csv' })),
        { today: todayUtc(), recentCloses: new Map() },
      );
      const bars = screened.accepted.map((a) => a.bar);
      const rejected = [
        ...parsed.rejected.map((r) => `line ${r.line}: ${r.reason}`),
        ...screened.rejected.map((r) => `${r.bar.symbol} ${r.bar.date}: ${r.reason}`),
      ];
      const benchmark = benchmarksFromEnv(process.env)[assetType];
      const out = createWriteStream(values.out);
      let rows = -1;
      for (const line of featuresCsvLines(bars, { assetType, benchmark })) {
        rows++;
        if (!out.write(`${line}\n`)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(
        `${values.out}: ${rows} rows x ${FEATURE_NAMES.length} features for ${new Set(bars.map((b) => b.symbol)).size} symbol(s) in ${secs}s` +
          (rejected.length ? `; ${rejected.length} input row(s) rejected, e.g. ${rejected[0]}` : ''),
      );
      return 0;
    },
  },
  strategies: {
    summary: 'list, show or validate strategy specs',
    usage: 'stratos strategies list | show ID | validate FILE [--json]',
    options: { json: { type: 'boolean', help: 'print JSON' } },
    positionals: true,
    run: ({ values, positionals }) => strategiesCommand(values, positionals, withSession),
  },
  backtest: {
    summary: 'backtest a strategy over a universe (stored, through the queue) or a CSV (no database)',
    usage: `stratos backtest --strategy ID [--set key=value ...] [--universe U | --csv FILE [--symbol S] [--asset-type X]] [--from D] [--to D] [--cash N] [--walk-forward rolling|anchored --train N --test N [--step N] [--embargo N]] [--json]\n\nbuilt-in strategies:\n${BUILTIN_HELP}\n\nWith --csv, ID may also be a JSON spec file; ${ACCEPTED_HEADERS}`,
    options: {
      strategy: { type: 'string', help: 'strategy id (required)' },
      set: { type: 'string', multiple: true, help: "a built-in's parameter, key=number (repeatable)" },
      universe: { type: 'string', help: 'universe id, e.g. equity_all' },
      csv: { type: 'string', help: 'CSV of daily bars instead of the database' },
      symbol: { type: 'string', help: 'with --csv: symbol for files without a symbol column' },
      'asset-type': { type: 'string', help: 'with --csv: crypto | equity (default equity)' },
      from: { type: 'string', help: 'first simulated day (default: the first bar)' },
      to: { type: 'string', help: 'last simulated day (default: the last bar)' },
      cash: { type: 'string', help: 'starting cash (default 100000)' },
      'walk-forward': { type: 'string', help: 'also run walk-forward folds: rolling | anchored' },
      train: { type: 'string', help: 'with --walk-forward: train window, trading days' },
      test: { type: 'string', help: 'with --walk-forward: test window, trading days' },
      step: { type: 'string', help: 'with --walk-forward: days between test windows (default --test)' },
      embargo: { type: 'string', help: 'with --walk-forward: train-to-test gap (default the lookback)' },
      json: { type: 'boolean', help: 'print one JSON object (metrics, trades, timings, folds)' },
    },
    run: ({ values }) => {
      const sets: unknown = values.set;
      return backtestCommand(values, Array.isArray(sets) ? sets.map(String) : [], withSession);
    },
  },
  portfolio: portfolioCommand(withSession),
  rebalance: rebalanceCommand(withSession),
  weekly: weeklyCommand(withSession),
  'news-import': newsImportCommand(withSession),
  news: newsListCommand(withSession),
  search: searchCommand(withSession),
  weekday: weekdayCommand(withSession),
  lifecycle: lifecycleCommand(withSession),
  consume: consumeCommand(withSession),
  replay: replayCommand(),
  'import-csv': {
    summary: 'import bars from a CSV file (rejected rows are kept with their reason)',
    usage: `stratos import-csv FILE --asset-type equity|crypto [--symbol SYM]\n\n${ACCEPTED_HEADERS}`,
    options: {
      'asset-type': { type: 'string', help: 'crypto | equity (required)' },
      symbol: { type: 'string', help: 'symbol for files without a symbol column' },
    },
    positionals: true,
    run: async ({ values, positionals }) => {
      const file = positionals[0];
      if (!file) throw new UsageError('import-csv needs a FILE');
      const assetType = parse(AssetType, values['asset-type']);
      return withSession(async (s) => {
        const res = await importCsv(s.ctx, {
          text: readFileSync(file, 'utf8'),
          assetType,
          ...(values.symbol ? { defaultSymbol: String(values.symbol) } : {}),
        });
        console.log(
          `${file}: ${res.bars} bars for ${res.symbols} symbol(s): ${res.inserted} new, ${res.updated} changed, ${res.unchanged} unchanged; ${res.rejected} rejected, ${res.flagged} flagged (${res.ledgered} new ledger rows)`,
        );
        for (const r of res.rejectedSample) console.log(`    ! ${r.where}: ${r.reason}`);
        return 0;
      });
    },
  },
};

/** Drains a backfill run while drawing its progress: assets, bars, rate and ETA. Ctrl-C releases the leases. */
async function followBackfill(s: Session, run: RunView): Promise<number> {
  const started = Date.now();
  const workerId = `backfill-${process.pid}`;
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
  };
  process.once('SIGINT', onInterrupt);
  const draining = drainUntilIdle(s.ctx, workerId, 2, () => interrupted);
  const progress = setInterval(() => void drawProgress(s, run.id, started), 500);
  try {
    await draining;
  } finally {
    clearInterval(progress);
    process.off('SIGINT', onInterrupt);
  }
  await drawProgress(s, run.id, started);
  process.stdout.write('\n');
  if (interrupted) {
    // Give the unfinished jobs back at once instead of waiting for their leases to expire.
    await s.ctx.sql`
      update pipeline_jobs set status = 'queued', locked_by = null, locked_until = null
      where run_id = ${run.id} and status = 'running' and locked_by like ${`${workerId}%`}`;
    console.log('interrupted: rerun the same command to continue where it stopped');
    return 130;
  }
  const [done] = await listRuns(s.ctx, { ids: [run.id] });
  return printRuns([done!]);
}

async function drawProgress(s: Session, runId: number, started: number): Promise<void> {
  const [p] = await s.ctx.sql<{ done: number; total: number; bars: number; assets: number }[]>`
    select count(*) filter (where status in ('done', 'failed')) as done, count(*) as total,
      coalesce(sum((result->>'bars_written')::numeric), 0)::float8 as bars,
      (select count(distinct a) from pipeline_jobs j2, jsonb_array_elements(j2.payload->'asset_ids') a
        where j2.run_id = ${runId} and j2.status = 'done') as assets
    from pipeline_jobs where run_id = ${runId}`;
  if (!p) return;
  const secs = (Date.now() - started) / 1000;
  const rate = p.bars / Math.max(secs, 0.001);
  const eta = p.done > 0 ? ((p.total - p.done) * secs) / p.done : Number.NaN;
  const width = 24;
  const filled = p.total ? Math.round((p.done / p.total) * width) : 0;
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] jobs ${p.done}/${p.total}  assets ${p.assets}  bars ${p.bars}  ${Math.round(rate)} bars/s  ETA ${Number.isFinite(eta) ? `${Math.round(eta)}s` : '?'}`;
  process.stdout.write(process.stdout.isTTY ? `\r${line}` : `${line}\n`);
}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'stratos: the daily market-signal pipeline',
    '',
    'usage: stratos <command> [options]    (stratos <command> --help for details)',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'With no DATABASE_URL, an embedded PostgreSQL in .stratos/pg is used (and reused while `stratos start` runs).',
  ].join('\n');
}

function commandHelp(name: string, c: Command): string {
  const opts = Object.entries(c.options).map(([k, o]) => `  --${k.padEnd(12)} ${o.help}`);
  return [
    `stratos ${name}: ${c.summary}`,
    '',
    `usage: ${c.usage}`,
    '',
    'options:',
    ...opts,
    '  --help         this help',
  ].join('\n');
}

/** Runs the CLI; returns the process exit code (0 ok, 1 failed run or error, 2 usage error). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`stratos: unknown command "${name}". Run stratos --help for the list.`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: command.positionals ?? false,
      strict: true,
    });
    if (values.help) {
      console.log(commandHelp(name, command));
      return 0;
    }
    return await command.run({ values: values as Record<string, string | boolean | undefined>, positionals });
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`stratos ${name}: ${errorMessage(err)} (see stratos ${name} --help)`);
      return 2;
    }
    if (err instanceof AppError && err.code === 'invalid_input') {
      console.error(`stratos ${name}: ${err.message}`);
      return 2;
    }
    console.error(`stratos ${name}: ${errorMessage(err)}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const envFile = join(ROOT, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  // Exit explicitly: pooled connections and library signal handlers must not decide the exit code.
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
