// `npx tsx scripts/bench/reviews.ts [--candidates 500] [--latency-ms 2000] [--workers 1] [--no-tiering]`:
// the review stage at scale against a fake OpenAI server that answers in about two seconds with
// realistic token counts. An embedded PostgreSQL gets the demo market, its equities are cloned until the
// universe has enough candidates, then one review run goes through the real queue and SDK; a rerun
// measures the cache; the run summary and the stored rows give the cost accounting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import type { RunView } from '../../shared/api/contracts/runs.ts';
import { listRuns, triggerRun } from '../../shared/api/service.ts';
import { createContext } from '../../shared/config.ts';
import { connect, type Sql } from '../../shared/db/client.ts';
import { FEATURE_NAMES } from '../../shared/features/catalogue.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import type { AiReview } from '../../shared/review/schema.ts';
import { type FakeReply, type FakeRequest, startFakeOpenAi } from '../../test/support/fake-openai.ts';
import { startEmbeddedPostgres } from '../local/embedded.ts';
import { migrate } from '../local/migrate.ts';
import { drainUntilIdle } from '../local/session.ts';
import { ms, pairs, table } from './report.ts';

const DATE = '2026-11-20';
const HISTORY_FROM = '2025-09-01';
const MODEL = 'gpt-4.1-mini';
const CHEAP_MODEL = 'gpt-4.1-nano';
/** Calendar days of bars, features and facts each clone gets: 60 bars of context and the previous day. */
const CLONE_DAYS = 100;

const { values: args } = parseArgs({
  options: {
    candidates: { type: 'string', default: '500' },
    'latency-ms': { type: 'string', default: '2000' },
    workers: { type: 'string', default: '1' },
    'no-tiering': { type: 'boolean', default: false },
  },
});
const CANDIDATES = Number(args.candidates);
const LATENCY_MS = Number(args['latency-ms']);
const WORKERS = Number(args.workers);
const log = (line: string) => console.log(line);

/** Copies every demo equity's recent bars, features and facts under new symbols until there are `total`. */
async function cloneEquities(sql: Sql, total: number): Promise<void> {
  const sources = await sql<{ id: number; symbol: string; name: string | null }[]>`
    select id, symbol, name from assets where asset_type = 'equity' order by symbol`;
  const copies = Math.max(0, Math.ceil((total - sources.length) / sources.length));
  const clones = sources.flatMap((s) =>
    Array.from({ length: copies }, (_, k) => ({
      source: s.id,
      symbol: `${s.symbol}X${k + 1}`,
      name: s.name,
    })),
  );
  if (clones.length === 0) return;
  const rows = clones.map(({ symbol, name }) => ({ symbol, name, asset_type: 'equity' }));
  await sql`insert into assets ${sql(rows, 'symbol', 'name', 'asset_type')}`;
  const created = await sql<{ id: number; symbol: string }[]>`
    select id, symbol from assets where symbol = any(${rows.map((r) => r.symbol)}::text[])`;
  const idOf = new Map(created.map((c) => [c.symbol, c.id]));
  const from = new Date(Date.parse(DATE) - CLONE_DAYS * 86_400_000).toISOString().slice(0, 10);
  const oldIds = clones.map((c) => c.source);
  const newIds = clones.map((c) => idOf.get(c.symbol)!);
  const map = sql`select * from unnest(${oldIds}::bigint[], ${newIds}::bigint[]) as m(old_id, new_id)`;
  const columns = sql.unsafe(FEATURE_NAMES.join(', '));
  await sql`
    insert into daily_bars (asset_id, date, open, high, low, close, volume, source)
    select m.new_id, b.date, b.open, b.high, b.low, b.close, b.volume, b.source
    from daily_bars b join (${map}) m on m.old_id = b.asset_id where b.date >= ${from}`;
  await sql`
    insert into daily_features (asset_id, date, ${columns})
    select m.new_id, f.date, ${columns}
    from daily_features f join (${map}) m on m.old_id = f.asset_id where f.date >= ${from}`;
  await sql`
    insert into daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
    select m.new_id, x.date, x.template, x.template_version, x.direction, x.strength, x.evidence
    from daily_signal_facts x join (${map}) m on m.old_id = x.asset_id where x.date >= ${from}`;
}

// Tokens as OpenAI counts them for English and numbers: about four characters each.
const tokens = (text: string) => Math.ceil(text.length / 4);

// The price lines of a review prompt: bars (date,open,high,low,close,volume) and the price levels.
const BAR_LINE = /^\d{4}-\d{2}-\d{2},([^,]+),([^,]+),([^,]+),([^,]+),/gm;
const LEVEL_LINE =
  /^(?:(?:sma|ema)_\d+|(?:bb|kc)_(?:upper|middle|lower)_20|dc_(?:upper|lower)_\d+|prior_(?:high|low)_20|ichimoku_\w+|pivot\w*|vwap_20|supertrend_10|psar|(?:high|low)_252)=([\d.e+-]+)$/gm;

/** Every price the prompt states: what a grounded answer may cite. */
function promptPrices(prompt: string): number[] {
  const bars = [...prompt.matchAll(BAR_LINE)].flatMap((m) => m.slice(1, 5).map(Number));
  const levels = [...prompt.matchAll(LEVEL_LINE)].map((m) => Number(m[1]));
  return [...bars, ...levels].filter((p) => Number.isFinite(p) && p > 0);
}

/** The price nearest `x` among those inside [lo, hi]; null for none. */
function nearestIn(prices: number[], x: number, lo: number, hi: number): number | null {
  const inside = prices.filter((p) => p >= lo && p <= hi);
  return inside.length === 0 ? null : inside.reduce((a, b) => (Math.abs(b - x) < Math.abs(a - x) ? b : a));
}

/**
 * The fake LLM's answer: a grounded review built from the prompt's own numbers (levels and a plan placed
 * on the prices it states, sized by atr_14, on the strongest signal's side), as long as a real one, so
 * completion tokens are realistic too.
 */
function answer(request: FakeRequest, index: number): FakeReply {
  const messages: { content: string }[] = request.body.messages;
  const prompt = messages[1]!.content;
  const close = Number(/^Last close: ([\d.e+-]+)/m.exec(prompt)?.[1]);
  const atr = Number(/^atr_14=([\d.e+-]+)/m.exec(prompt)?.[1]) || close * 0.02;
  const prices = promptPrices(prompt);
  const side = /^- \w+: bullish/m.test(prompt) ? 1 : /^- \w+: bearish/m.test(prompt) ? -1 : 0;
  const p = (x: number) => Number(x.toPrecision(6));
  const symbol = /^Asset: (\S+)/m.exec(prompt)?.[1] ?? '?';
  const below = [...new Set(prices.filter((x) => x < close - 0.5 * atr).map(p))].sort((a, b) => b - a);
  const above = [...new Set(prices.filter((x) => x > close + 0.5 * atr).map(p))].sort((a, b) => a - b);
  // Stop and targets on stated prices, 0.7-3 ATR (stop) and 0.7-4.5 ATR (targets) from the close.
  const stop =
    side === 0 ? null : nearestIn(prices, close - side * 1.5 * atr, ...range(close, -side, atr, 3));
  const targets =
    side === 0
      ? []
      : [1.5, 3]
          .map((k) => nearestIn(prices, close + side * k * atr, ...range(close, side, atr, 4.5)))
          .filter((t): t is number => t !== null)
          .map(p);
  const trade = side !== 0 && stop !== null && targets.length > 0;
  const review: AiReview = {
    direction: side > 0 ? 'bullish' : side < 0 ? 'bearish' : 'neutral',
    attention_score: side === 0 ? 35 : 70,
    confidence: side === 0 ? 0.4 : 0.65,
    setup_type: side > 0 ? 'trend_continuation' : side < 0 ? 'breakdown' : 'range',
    summary:
      `${symbol} closed at ${p(close)} with a 14-day ATR of ${p(atr)}. The strongest signal points ` +
      `${side > 0 ? 'up' : side < 0 ? 'down' : 'nowhere in particular'}; momentum and trend features ` +
      'agree only partly, so the plan keeps the stop behind the level nearest one and a half ATR away and ' +
      'scales out at the levels near 1.5 and 3 ATR. Volume participation is average and the 20-day range ' +
      'has not been broken decisively.',
    levels: { support: below.slice(0, 2), resistance: above.slice(0, 2) },
    trade_plan: trade
      ? {
          side: side > 0 ? 'long' : 'short',
          entry_zone: { low: p(close - 0.2 * atr), high: p(close + 0.2 * atr) },
          stop: p(stop),
          targets: [...new Set(targets)].sort((a, b) => side * (a - b)),
          horizon_days: 10,
          invalidation: `A daily close ${side > 0 ? 'below' : 'above'} ${p(stop)}.`,
        }
      : {
          side: 'none',
          entry_zone: null,
          stop: null,
          targets: [],
          horizon_days: null,
          invalidation: 'A daily close outside the 20-day range.',
        },
    risks: [
      'Signals conflict on the shorter horizons.',
      'A broad market reversal would override the setup.',
      'ATR is elevated relative to its recent average.',
    ],
    catalysts: ['The strongest signal fired today.', 'Price holds above the 50-day average.'],
  };
  const content = JSON.stringify(review);
  return {
    content,
    // Spread 0.8-1.2 of the nominal latency, deterministically.
    delayMs: Math.round(LATENCY_MS * (0.8 + 0.4 * (((index * 7919) % 101) / 100))),
    // The JSON schema of the response format is part of the prompt OpenAI bills.
    usage: {
      prompt: tokens(messages.map((m) => m.content).join('\n')) + 700,
      completion: tokens(content) + 20,
    },
  };
}

/** Prices between 0.7 and `maxAtr` ATR from the close on one side (`dir` +1 above, -1 below). */
function range(close: number, dir: number, atr: number, maxAtr: number): [number, number] {
  const near = close + dir * 0.7 * atr;
  const far = close + dir * maxAtr * atr;
  return dir > 0 ? [near, far] : [far, near];
}

async function reviewRun(ctx: PipelineContext): Promise<{ run: RunView; wallMs: number }> {
  const t0 = performance.now();
  const [run] = await triggerRun(ctx, {
    stage: 'review',
    date: DATE,
    universe: 'equity_all',
    limit: CANDIDATES,
  });
  await drainUntilIdle(ctx, 'bench', WORKERS);
  const wallMs = performance.now() - t0;
  return { run: (await listRuns(ctx, { ids: [run!.id] }))[0]!, wallMs };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratos-bench-reviews-'));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  const fake = await startFakeOpenAi(answer);
  let sql: Sql | undefined;
  try {
    const admin = postgres(server.url('postgres'), { onnotice: () => {}, max: 1 });
    await admin.unsafe('create database stratos_bench');
    await admin.end();
    const url = server.url('stratos_bench');
    await migrate(url);
    sql = connect(url, { max: 10 });

    const t0 = performance.now();
    const demo = createContext({ DATABASE_URL: url }, { sql });
    await triggerRun(demo, { stage: 'pipeline', date: DATE, from: HISTORY_FROM });
    await drainUntilIdle(demo, 'bench-seed');
    await cloneEquities(sql, CANDIDATES);
    log(`demo market loaded, equities cloned to ${CANDIDATES}+ candidates (${ms(performance.now() - t0)})`);

    const ctx = createContext(
      {
        DATABASE_URL: url,
        OPENAI_API_KEY: 'sk-bench',
        OPENAI_BASE_URL: fake.baseURL,
        OPENAI_MODEL: MODEL,
        ...(args['no-tiering'] ? {} : { STRATOS_REVIEW_CHEAP_MODEL: CHEAP_MODEL }),
      },
      { sql },
    );
    const first = await reviewRun(ctx);
    const calls = fake.requests.length;
    const rerun = await reviewRun(ctx);
    const rerunCalls = fake.requests.length - calls;

    const s = first.run.summary as Record<string, number>;
    const [stored] = await sql<{ attempts: number }[]>`
      select coalesce(sum(attempts), 0)::int as attempts from asset_ai_reviews
      where as_of_date = ${DATE} and model <> 'rules'`;
    const r = rerun.run.summary as Record<string, number>;
    const reviewed = s.reviewed ?? 0;
    const ideal = (Math.ceil(reviewed / (ctx.review.concurrency * WORKERS)) * LATENCY_MS) / 1000;
    log('');
    log(
      pairs([
        ['fake latency per call', `${LATENCY_MS} ms nominal (0.8-1.2x)`],
        ['concurrency', `${ctx.review.concurrency} per worker x ${WORKERS} worker(s)`],
        ['tiering', args['no-tiering'] ? 'off' : `${MODEL} for fresh signals, ${CHEAP_MODEL} otherwise`],
        [
          'first run',
          `${first.run.status}: ${reviewed} reviewed, ${s.invalid ?? 0} invalid, ${calls} HTTP calls`,
        ],
        ['first run attempts (stored)', `${stored?.attempts ?? 0} HTTP requests recorded on the reviews`],
        [
          'first run wall time',
          `${ms(first.wallMs)} (ideal ${ideal.toFixed(0)} s; sequential ${(reviewed * LATENCY_MS) / 1000} s)`,
        ],
        ['rerun wall time', ms(rerun.wallMs)],
        [
          'rerun from cache',
          `${r.cached ?? 0} of ${(r.cached ?? 0) + (r.reviewed ?? 0)} (${(
            (100 * (r.cached ?? 0)) / Math.max(1, (r.cached ?? 0) + (r.reviewed ?? 0))
          ).toFixed(1)}%), ${rerunCalls} HTTP calls, USD ${r.cost_usd ?? 0}`,
        ],
        ['first run totals (summary)', `${s.tokens_in} tokens in, ${s.tokens_out} out, USD ${s.cost_usd}`],
      ]),
    );
    const invalid = await sql<{ symbol: string; reasons: string[] }[]>`
      select a.symbol, v.review -> 'reasons' as reasons from asset_ai_reviews v join assets a on a.id = v.asset_id
      where v.as_of_date = ${DATE} and v.status = 'invalid' and v.model <> 'rules' order by a.symbol limit 3`;
    for (const row of invalid) log(`invalid ${row.symbol}: ${row.reasons.join('; ')}`);
    const byModel = await sql<
      {
        model: string;
        reviews: number;
        tokens_in: number;
        tokens_out: number;
        usd: string;
        p50: number;
        p95: number;
      }[]
    >`
      select model, count(*)::int as reviews, sum(tokens_in)::int as tokens_in, sum(tokens_out)::int as tokens_out,
        sum(cost_usd)::text as usd,
        percentile_cont(0.5) within group (order by latency_ms)::int as p50,
        percentile_cont(0.95) within group (order by latency_ms)::int as p95
      from asset_ai_reviews where as_of_date = ${DATE} and model <> 'rules'
      group by model order by model`;
    log('');
    log(
      table(
        ['model', 'reviews', 'tokens in', 'tokens out', 'USD', 'USD/review', 'latency p50', 'p95'],
        byModel.map((m) => [
          m.model,
          String(m.reviews),
          m.tokens_in.toLocaleString('en-US'),
          m.tokens_out.toLocaleString('en-US'),
          Number(m.usd).toFixed(6),
          (Number(m.usd) / m.reviews).toFixed(6),
          ms(m.p50),
          ms(m.p95),
        ]),
        ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
    );
  } finally {
    await sql?.end();
    await fake.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
