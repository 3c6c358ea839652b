// The API bench's dataset: 5,000 assets with two years of bars and features, built with SQL
// generate_series (the API reads rows, it does not care how realistic the prices are) into an
// embedded PostgreSQL kept in .stratos/bench/api-pg, so later runs start in seconds.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { connect, type Sql } from '../../shared/db/client.ts';
import { FEATURE_NAMES } from '../../shared/features/catalogue.ts';
import { STATE_DIR } from '../local/database.ts';
import { type EmbeddedServer, startEmbeddedPostgres } from '../local/embedded.ts';
import { migrate } from '../local/migrate.ts';

/** Bump when the generated data changes: a cached database of another version is rebuilt. */
const DATASET_VERSION = 1;
const DATA_DIR = join(STATE_DIR, 'bench', 'api-pg');
const DATABASE = 'stratos_api_bench';

export const BENCH_ASSETS = { equity: 4_000, crypto: 1_000 } as const;
/** The last trading day of the equities (a Friday) and of crypto (the day after). */
export const EQUITY_END = '2026-11-20';
export const CRYPTO_END = '2026-11-21';
const HISTORY_DAYS = 730;

/** Features with a bounded range get one; the rest are spread over [-1, 1] times a per-column scale. */
const BOUNDED: Record<string, [number, number]> = {
  rsi_14: [0, 100],
  adx_14: [5, 60],
  stoch_k_14: [0, 100],
  stoch_d_14: [0, 100],
  mfi_14: [0, 100],
  willr_14: [-100, 0],
  rank_ret_20: [0, 1],
  rank_ret_60: [0, 1],
  dollar_vol_20: [1e5, 1e10],
};

export interface BenchDatabase {
  url: string;
  /** The server's data directory (its postmaster.pid names the server process). */
  dataDir: string;
  sql: Sql;
  /** Whether this run built the data (false: reused the cache). */
  built: boolean;
  buildMs: number;
  counts: { assets: number; bars: number; features: number; facts: number; reviews: number };
  stop: () => Promise<void>;
}

/** Starts the cached bench database, building (or rebuilding) its data when missing or outdated. */
export async function openBenchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  const db = await openCachedDatabase({
    dataDir: DATA_DIR,
    database: DATABASE,
    version: DATASET_VERSION,
    log,
    build: (sql) => generate(sql, log),
  });
  try {
    const sql = connect(db.url, { max: 8 });
    const [counts] = await sql<BenchDatabase['counts'][]>`
      select (select count(*) from assets)::int as assets,
        (select count(*) from daily_bars)::int as bars,
        (select count(*) from daily_features)::int as features,
        (select count(*) from daily_signal_facts)::int as facts,
        (select count(*) from asset_ai_reviews)::int as reviews`;
    return {
      url: db.url,
      dataDir: DATA_DIR,
      sql,
      built: db.built,
      buildMs: db.buildMs,
      counts: counts!,
      stop: async () => {
        await sql.end();
        await db.server.stop();
      },
    };
  } catch (err) {
    await db.server.stop();
    throw err;
  }
}

/** A bench database kept in a persistent data directory: the running server and whether this run built it. */
export interface CachedDatabase {
  server: EmbeddedServer;
  url: string;
  built: boolean;
  /** Building the data, or (cached) applying new migrations. */
  buildMs: number;
}

/**
 * Starts the embedded PostgreSQL in `dataDir`; when `database` lacks a dataset marked `version`, recreates
 * it, migrates it and runs `build`, then marks it, so later runs skip the build.
 */
export async function openCachedDatabase(opts: {
  dataDir: string;
  database: string;
  version: number;
  log: (line: string) => void;
  build: (sql: Sql, url: string) => Promise<void>;
}): Promise<CachedDatabase> {
  mkdirSync(opts.dataDir, { recursive: true });
  const server = await startEmbeddedPostgres({ dataDir: opts.dataDir, persistent: true });
  try {
    const url = server.url(opts.database);
    const t0 = performance.now();
    const built = !(await hasDataset(server, opts.database, opts.version));
    if (built) {
      opts.log(`building the ${opts.database} dataset in ${opts.dataDir} (once; later runs reuse it)`);
      await recreate(server, opts.database);
      await migrate(url);
      const sql = connect(url, { max: 2 });
      try {
        await opts.build(sql, url);
        await sql.unsafe(`
          create schema if not exists bench;
          create table if not exists bench.dataset (version integer primary key, built_at timestamptz not null default now());
          insert into bench.dataset (version) values (${opts.version}) on conflict do nothing;`);
      } finally {
        await sql.end();
      }
    } else {
      // New migrations (indexes, the latest table) apply to the cached data as they would in production,
      // also those named before one the cache already has.
      await migrate(url, { includeAll: true });
    }
    return { server, url, built, buildMs: performance.now() - t0 };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

async function hasDataset(server: EmbeddedServer, database: string, version: number): Promise<boolean> {
  const admin = postgres(server.url('postgres'), { onnotice: () => {}, max: 1 });
  try {
    const [db] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!db) return false;
  } finally {
    await admin.end();
  }
  const sql = postgres(server.url(database), { onnotice: () => {}, max: 1 });
  try {
    const [row] = await sql<{ version: number }[]>`
      select version from bench.dataset where version = ${version}`.catch(() => []);
    return row !== undefined;
  } finally {
    await sql.end();
  }
}

async function recreate(server: EmbeddedServer, database: string): Promise<void> {
  const admin = postgres(server.url('postgres'), { onnotice: () => {}, max: 1 });
  try {
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.unsafe(`create database ${database}`);
  } finally {
    await admin.end();
  }
}

/** A deterministic value per (asset, date, column) in [lo, hi]: a hash, so rebuilds give the same data. */
function featureExpr(name: string, i: number): string {
  const [lo, hi] = BOUNDED[name] ?? [-(1 + (i % 7)), 1 + (i % 7)];
  const unit = `((hashint8(b.asset_id * 100003 + (b.date - date '2000-01-01') * 131 + ${i}) & 1048575)::float8 / 1048575)`;
  return `${lo} + ${hi - lo} * ${unit}`;
}

async function generate(sql: Sql, log: (line: string) => void): Promise<void> {
  const step = async (label: string, query: () => Promise<unknown>) => {
    const t0 = performance.now();
    await query();
    log(`  ${label}: ${Math.round(performance.now() - t0).toLocaleString('en-US')} ms`);
  };
  await step('assets', () =>
    sql.unsafe(`
      insert into assets (symbol, asset_type, name, sector)
      select 'EQ' || lpad(i::text, 4, '0'), 'equity', 'Bench equity ' || i,
        (array['Technology', 'Energy', 'Health Care', 'Financials', 'Utilities'])[1 + i % 5]
      from generate_series(1, ${BENCH_ASSETS.equity}) i
      union all
      select 'CR' || lpad(i::text, 4, '0'), 'crypto', 'Bench coin ' || i, null
      from generate_series(1, ${BENCH_ASSETS.crypto}) i`),
  );
  // Equities trade on weekdays, crypto every day; a smooth positive price path per asset.
  await step('bars', () =>
    sql.unsafe(`
      insert into daily_bars (asset_id, date, open, high, low, close, volume, source)
      select a.id, d.date, p.close * 0.995, p.close * 1.01, p.close * 0.985, p.close,
        1e5 + (a.id * 7919 + (d.date - date '2000-01-01') * 104729) % 5000000, 'bench'
      from assets a
      cross join lateral generate_series(
        (case a.asset_type when 'equity' then date '${EQUITY_END}' else date '${CRYPTO_END}' end) - ${HISTORY_DAYS},
        case a.asset_type when 'equity' then date '${EQUITY_END}' else date '${CRYPTO_END}' end,
        interval '1 day') d0
      cross join lateral (select d0::date as date) d
      cross join lateral (
        select 20 + (a.id % 200) + 10 * sin(a.id + (d.date - date '2000-01-01') / 15.0) as close) p
      where a.asset_type = 'crypto' or extract(isodow from d.date) < 6`),
  );
  const columns = FEATURE_NAMES.join(', ');
  const values = FEATURE_NAMES.map((n, i) => featureExpr(n, i)).join(',\n        ');
  await step(`features (${FEATURE_NAMES.length} columns)`, () =>
    sql.unsafe(`
      insert into daily_features (asset_id, date, ${columns})
      select b.asset_id, b.date,
        ${values}
      from daily_bars b`),
  );
  // The latest day's signal facts: about a third of the assets fire one or two enabled templates.
  await step('signal facts', () =>
    sql.unsafe(`
      with t as (
        select id, version, direction, row_number() over (order by id) - 1 as k, count(*) over () as n
        from (select distinct on (id) id, version, direction, enabled from signal_templates order by id, version desc) x
        where enabled
      )
      insert into daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
      select b.asset_id, b.date, t.id, t.version, t.direction, 40 + (b.asset_id * 37 + j * 11) % 60,
        jsonb_build_object('close', b.close)
      from (select distinct on (asset_id) asset_id, date, close from daily_bars order by asset_id, date desc) b
      cross join generate_series(0, 1) j
      join t on t.k = (b.asset_id * 7 + j * 13) % t.n
      where b.asset_id % 3 = 0 and (j = 0 or b.asset_id % 2 = 0)`),
  );
  await step('reviews', () =>
    sql.unsafe(`
      insert into asset_ai_reviews (asset_id, as_of_date, model, prompt_version, status, direction,
        attention_score, confidence, setup_type, summary, review, input_hash, tokens_in, tokens_out,
        latency_ms, attempts, cost_usd)
      select x.asset_id, x.date, 'rules', 'v2', 'valid',
        (array['bullish', 'bearish', 'neutral'])[1 + x.asset_id % 3],
        (x.asset_id * 53) % 100, ((x.asset_id * 29) % 100) / 100.0, 'breakout', 'bench review',
        '{}'::jsonb, md5(x.asset_id::text), 0, 0, 1, 1, 0
      from (select distinct asset_id, date from daily_signal_facts) x`),
  );
  await step('quality ledger', () =>
    sql.unsafe(`
      insert into data_quality_ledger (source, symbol, asset_type, date, raw, reason, kind, asset_id)
      select 'bench', a.symbol, a.asset_type, l.date::text, '{}'::jsonb, 'close jumped 12 standard deviations',
        'flagged', a.id
      from assets a
      join (select distinct on (asset_id) asset_id, date from daily_bars order by asset_id, date desc) l
        on l.asset_id = a.id
      where a.id % 97 = 0`),
  );
  await step('vacuum analyze', async () => {
    for (const t of ['assets', 'daily_bars', 'daily_features', 'daily_signal_facts', 'asset_ai_reviews']) {
      await sql.unsafe(`vacuum analyze ${t}`);
    }
  });
}
