// GET /assets under load: the real gateway and control-api served over HTTP by a separate process (as
// `npm start` serves them), over 5,000 assets with two years of bars and features, driven by
// autocannon at several concurrency levels and query shapes. Part of `npm run bench`; alone:
// `npx tsx scripts/bench/api.ts [--quick]`.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { listAssets } from '../../shared/api/assets.ts';
import { AssetList, AssetListQuery } from '../../shared/api/contracts/assets.ts';
import { createContext } from '../../shared/config.ts';
import { connect, type Sql } from '../../shared/db/client.ts';
import { ROOT } from '../local/database.ts';
import { createGateway } from '../local/server.ts';
import { BENCH_ASSETS, openBenchDatabase } from './api-data.ts';
import { ms, num, pairs, table, verdict } from './report.ts';

/** The target: the asset list's p95 under concurrent load. */
export const API_P95_TARGET_MS = 100;
/** Concurrent clients; the target is judged at each. */
const CONCURRENCY = [1, 8, 32];
const PLANS = { full: { seconds: 8, warmup: 30 }, quick: { seconds: 3, warmup: 10 } };
const BASE_PATH = '/functions/v1/control-api';
const ANCHOR = 'anchor: /health';
/** The shape whose every request is a new query (a cache miss). */
const UNCACHED = 'uncached (misses)';

/** One line of the closing summary. */
export interface ApiVerdict {
  target: string;
  result: string;
  pass: boolean;
}

interface Shape {
  name: string;
  path: string;
  /** Request headers beyond the key (an If-None-Match). */
  headers?: Record<string, string>;
  /** The status every answer must have (200 unless a revalidation expects 304). */
  status?: number;
  /** A new path for the n-th request: every request another query, so none is a cache hit. */
  vary?: (n: number) => string;
}

interface Measurement {
  shape: string;
  connections: number;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  failed: number;
  /** CPU per answered request, ms: the gateway process, the PostgreSQL server, the load generator. */
  cpu: CpuSample;
}

/** CPU time, ms, of the three parties to a request. */
interface CpuSample {
  gateway: number;
  database: number;
  loadGenerator: number;
}

/** The processes whose CPU the bench reads from /proc. */
interface Processes {
  gateway: number;
  postmaster: number;
}

// Linux's USER_HZ: /proc reports CPU times in these ticks.
const TICKS_PER_SECOND = 100;

/** utime + stime (and, with `reaped`, the CPU of its exited children) of a process, ms; 0 once it is gone. */
function processCpuMs(pid: number, reaped: boolean): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The fields after the command's closing parenthesis start at field 3; utime..cstime are fields 14-17.
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const ticks = f[11]! + f[12]! + (reaped ? f[13]! + f[14]! : 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** The PostgreSQL server's CPU so far: the postmaster, its exited backends, and the live ones. */
function databaseCpuMs(postmaster: number): number {
  let total = processCpuMs(postmaster, true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) total += processCpuMs(Number(entry), false);
    } catch {
      // The process exited between the listing and the read; the postmaster's reaped total has it.
    }
  }
  return total;
}

function sampleCpu(procs: Processes): CpuSample {
  const self = process.cpuUsage();
  return {
    gateway: processCpuMs(procs.gateway, false),
    database: databaseCpuMs(procs.postmaster),
    loadGenerator: (self.user + self.system) / 1000,
  };
}

/** The value at quantile `q` of ascending `sorted`. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Runs the bench and prints its tables; returns one verdict per concurrency level. */
export async function benchApi(opts: { quick: boolean; profile?: boolean }): Promise<ApiVerdict[]> {
  const plan = opts.quick ? PLANS.quick : PLANS.full;
  const db = await openBenchDatabase((line) => console.log(line));
  const key = randomBytes(16).toString('hex');
  let server: ChildProcess | undefined;
  try {
    const c = db.counts;
    console.log(
      pairs([
        [
          'dataset',
          `${c.assets.toLocaleString('en-US')} assets (${BENCH_ASSETS.equity} equities, ${BENCH_ASSETS.crypto} crypto), ` +
            `${c.bars.toLocaleString('en-US')} bars, ${c.features.toLocaleString('en-US')} feature rows, ` +
            `${c.facts.toLocaleString('en-US')} signal facts, ${c.reviews.toLocaleString('en-US')} reviews`,
        ],
        ['database', `${db.built ? 'built' : 'cached'} in ${ms(db.buildMs)} (.stratos/bench/api-pg)`],
      ]),
    );
    const started = await startServer(db.url, key);
    server = started.child;
    const procs: Processes = {
      gateway: started.child.pid!,
      postmaster: Number(readFileSync(join(db.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]),
    };
    const base = `http://127.0.0.1:${started.port}${BASE_PATH}`;
    const headers = { apikey: key };
    const shapes = await queryShapes(base, headers);
    for (const shape of shapes) {
      for (let i = 0; i < plan.warmup; i++) await fetchOk(`${base}${shape.path}`, headers);
    }
    shapes.push(...(await cacheShapes(base, headers)));

    const results: Measurement[] = [];
    // The anchor at each level: /health (public, two small queries on pipeline_runs) served by the
    // same process in the same run, so the load generator, HTTP, the pool and the machine's other work
    // show apart from the asset query.
    const anchors: Measurement[] = [];
    for (const connections of CONCURRENCY) {
      anchors.push(
        await measure(base, {}, { name: ANCHOR, path: '/health' }, connections, plan.seconds, procs),
      );
      for (const shape of shapes) {
        results.push(
          await measure(base, { ...headers, ...shape.headers }, shape, connections, plan.seconds, procs),
        );
      }
    }
    console.log(
      `\n${plan.seconds} s per row after ${plan.warmup} warm-up requests per shape; latency is the client's ` +
        `(request sent to response read), load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores ` +
        'shared with the database and the load generator\n',
    );
    console.log(
      table(
        ['query', 'clients', 'req/s', 'p50', 'p95', 'p99', `p95 < ${API_P95_TARGET_MS} ms`],
        [...anchors, ...results].map((r) => [
          r.shape,
          String(r.connections),
          num(r.perSecond),
          msExact(r.p50),
          msExact(r.p95),
          msExact(r.p99),
          r.failed > 0
            ? `${r.failed} failed`
            : r.shape === ANCHOR
              ? 'anchor'
              : verdict(r.p95 < API_P95_TARGET_MS),
        ]),
        ['left', 'right', 'right', 'right', 'right', 'right', 'left'],
      ),
    );
    console.log('\nqueries:');
    for (const s of shapes) console.log(`  ${s.name.padEnd(18)} GET ${BASE_PATH}${s.path}`);
    printProfile(
      [...anchors, ...results],
      await explainShapes(
        db.url,
        shapes.filter((s) => !s.headers),
      ),
    );
    if (opts.profile) await profileGateway(db.url, key, shapes, plan.seconds);
    // The target is judged on the dashboard's shapes as clients send them (repeated queries, answered
    // from the cache between stage writes); the all-misses shape is reported beside it, not judged.
    return CONCURRENCY.map((connections) => {
      const all = results.filter((r) => r.connections === connections);
      const level = all.filter((r) => r.shape !== UNCACHED);
      const misses = all.find((r) => r.shape === UNCACHED);
      const worst = level.reduce((a, b) => (b.p95 > a.p95 ? b : a));
      const anchor = anchors.find((a) => a.connections === connections)!;
      return {
        target: `GET /assets p95 < ${API_P95_TARGET_MS} ms, 5,000 assets, ${connections} concurrent client(s)`,
        result:
          `worst p95 ${msExact(worst.p95)} (${worst.shape}); /health p95 ${msExact(anchor.p95)} in the same run; ` +
          `every request a miss: p95 ${misses ? msExact(misses.p95) : 'n/a'}`,
        pass: level.every((r) => r.failed === 0 && r.p95 < API_P95_TARGET_MS),
      };
    });
  } finally {
    server?.kill('SIGTERM');
    await db.stop();
  }
}

const msExact = (v: number) => (v < 10 ? `${v.toFixed(1)} ms` : ms(v));

async function fetchOk(url: string, headers: Record<string, string>): Promise<unknown> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** The query shapes: the dashboard's first screen, a feature sort, filters, a search, a deep page. */
async function queryShapes(base: string, headers: Record<string, string>): Promise<Shape[]> {
  // A page far down a feature sort: follow the cursor 20 pages of 50.
  let deep = '/assets?sort=ret_20&order=desc';
  for (let page = 0; page < 20; page++) {
    const list = AssetList.parse(await fetchOk(`${base}${deep}`, headers));
    deep = `/assets?sort=ret_20&order=desc&cursor=${list.next_cursor}`;
  }
  const signals = (await fetchOk(`${base}/signals`, headers)) as { items: { template: string }[] };
  const template = signals.items[0]?.template ?? 'rsi_oversold';
  return [
    { name: 'default list', path: '/assets' },
    { name: 'sort by feature', path: '/assets?sort=rsi_14&order=desc' },
    {
      name: 'feature ranges',
      path: '/assets?range=rsi_14::30&range=adx_14:25:&sort=dollar_vol_20&order=desc',
    },
    { name: 'search', path: '/assets?q=EQ12' },
    { name: 'cursor page 21', path: deep },
    {
      name: 'signal + universe',
      path: `/assets?universe=crypto_all&signal=${template}&sort=strength&order=desc`,
    },
  ];
}

/**
 * The cache's own shapes: a client revalidating the default list with the ETag it holds (304), and
 * offset pages where every request is a query not asked before (each one a cache miss: the cost of
 * the first request after a stage wrote).
 */
async function cacheShapes(base: string, headers: Record<string, string>): Promise<Shape[]> {
  const res = await fetch(`${base}/assets`, { headers });
  await res.arrayBuffer();
  const etag = res.headers.get('etag');
  if (!etag) throw new Error('GET /assets answered without an ETag');
  return [
    { name: 'revalidate (304)', path: '/assets', headers: { 'if-none-match': etag }, status: 304 },
    {
      name: UNCACHED,
      path: '/assets?sort=rsi_14&offset=2500',
      vary: (n) => `/assets?sort=rsi_14&offset=${n % BENCH_ASSETS.equity}`,
    },
  ];
}

async function measure(
  base: string,
  headers: Record<string, string>,
  shape: Shape,
  connections: number,
  seconds: number,
  procs: Processes,
): Promise<Measurement> {
  const latencies: number[] = [];
  let failed = 0;
  const before = sampleCpu(procs);
  const basePath = new URL(base).pathname;
  let sent = 0;
  const vary = shape.vary;
  const run = autocannon({
    url: `${base}${shape.path}`,
    connections,
    duration: seconds,
    headers,
    timeout: 10,
    ...(vary
      ? { requests: [{ setupRequest: (req) => ({ ...req, path: `${basePath}${vary(sent++)}` }) }] }
      : {}),
  });
  const expected = shape.status ?? 200;
  run.on('response', (_client, status, _bytes, latency) => {
    if (status === expected) latencies.push(latency);
    else failed++;
  });
  const result = await run;
  const after = sampleCpu(procs);
  const per = (k: keyof CpuSample) => (after[k] - before[k]) / Math.max(1, latencies.length);
  latencies.sort((a, b) => a - b);
  return {
    cpu: { gateway: per('gateway'), database: per('database'), loadGenerator: per('loadGenerator') },
    shape: shape.name,
    connections,
    requests: latencies.length,
    perSecond: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    failed: failed + result.errors + result.timeouts,
  };
}

/** One shape's statements as the database runs them alone: EXPLAIN ANALYZE's execution time. */
interface ServerTime {
  shape: string;
  statements: number;
  /** Sum over the statements of one request, median of PROFILE_RUNS. */
  executionMs: number;
  /** The costliest plan node under the top-N sort, for the notes. */
  scan: string;
}

const PROFILE_RUNS = 5;

/**
 * The statements listAssets sends for each shape, captured from the driver and run again under
 * EXPLAIN ANALYZE on an idle connection: what the database's share of a request costs without queueing.
 */
async function explainShapes(url: string, shapes: readonly Shape[]): Promise<ServerTime[]> {
  let captured: { query: string; params: unknown[] }[] = [];
  const traced = postgres(url, {
    max: 2,
    onnotice: () => {},
    debug: (_id, query, params) => {
      captured.push({ query, params });
    },
  });
  const plain = connect(url, { max: 1 });
  try {
    const ctx = createContext({ DATABASE_URL: url }, { sql: traced as unknown as Sql });
    const out: ServerTime[] = [];
    for (const shape of shapes) {
      const params = new URL(shape.path, 'http://bench').searchParams;
      const raw = Object.fromEntries(
        [...new Set(params.keys())].map((k) => {
          const all = params.getAll(k);
          return [k, all.length === 1 ? all[0]! : all];
        }),
      );
      captured = [];
      await listAssets(ctx, AssetListQuery.parse(raw));
      const statements = captured;
      const runs: number[] = [];
      let scan = '';
      for (let r = 0; r < PROFILE_RUNS; r++) {
        let total = 0;
        for (const st of statements) {
          const [row] = await plain.unsafe(
            `explain (analyze, format json) ${st.query}`,
            st.params as postgres.ParameterOrJSON<never>[],
          );
          const plan = (row as unknown as { 'QUERY PLAN': { 'Execution Time': number; Plan: PlanNode }[] })[
            'QUERY PLAN'
          ][0]!;
          total += plan['Execution Time'];
          if (st.query.includes('ranked')) scan = describeScans(plan.Plan);
        }
        runs.push(total);
      }
      runs.sort((a, b) => a - b);
      out.push({
        shape: shape.name,
        statements: statements.length,
        executionMs: runs[runs.length >> 1]!,
        scan,
      });
    }
    return out;
  } finally {
    await traced.end();
    await plain.end();
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Total Time': number;
  Plans?: PlanNode[];
}

/** The scans of the page query's plan with their time, e.g. "Seq Scan asset_screen 1.6 ms". */
function describeScans(node: PlanNode): string {
  const scans: string[] = [];
  const walk = (n: PlanNode) => {
    if (n['Relation Name'] && n['Node Type'].includes('Scan') && n['Actual Total Time'] >= 0.2) {
      scans.push(`${n['Node Type']} ${n['Relation Name']} ${n['Actual Total Time'].toFixed(1)} ms`);
    }
    for (const child of n.Plans ?? []) walk(child);
  };
  walk(node);
  return scans.join(', ');
}

/**
 * Where a request's time goes: CPU per request of each party (from /proc, over each measured row) and the
 * database's own execution time per shape; with 2 cores, 2,000 ms / (CPU per request) bounds the requests
 * a second, and closed-loop clients then wait clients / that rate on average however fast any query is.
 */
function printProfile(rows: readonly Measurement[], server: readonly ServerTime[]): void {
  const cores = cpus().length;
  console.log(
    `\nprofile: CPU per answered request from /proc (gateway = the Node process serving control-api, ` +
      `database = every PostgreSQL process, load generator = autocannon in this process), ${cores} cores\n`,
  );
  console.log(
    table(
      ['query', 'clients', 'req/s', 'gateway', 'database', 'load gen', 'total', 'max req/s', 'clients / max'],
      rows.map((r) => {
        const total = r.cpu.gateway + r.cpu.database + r.cpu.loadGenerator;
        const max = (cores * 1000) / total;
        return [
          r.shape,
          String(r.connections),
          num(r.perSecond),
          msExact(r.cpu.gateway),
          msExact(r.cpu.database),
          msExact(r.cpu.loadGenerator),
          msExact(total),
          num(max),
          msExact((r.connections / max) * 1000),
        ];
      }),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  console.log(
    '\nthe database alone (EXPLAIN ANALYZE of the statements listAssets sends, median of 5, idle connection):\n',
  );
  console.log(
    table(
      ['query', 'statements', 'execution', 'scans in the page query'],
      server.map((s) => [s.shape, String(s.statements), msExact(s.executionMs), s.scan || '(index only)']),
      ['left', 'right', 'right', 'left'],
    ),
  );
}

/**
 * Serves the gateway from a child process, so the load generator's CPU is not the server's event
 * loop's; resolves with its port once it listens.
 */
function startServer(
  url: string,
  key: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number }> {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, BENCH_DATABASE_URL: url, STRATOS_PUBLISHABLE_KEY: key },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code}) before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const port = /listening (\d+)/.exec(chunk.toString())?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
  });
}

/** Where a profiled server's own CPU went, by the code it ran (self time of its samples). */
const PROFILE_PARTS: [string, (url: string, fn: string) => boolean][] = [
  ['postgres.js (protocol, row parsing)', (url) => url.includes('node_modules/postgres/')],
  ['Hono + node-server adapter', (url) => /node_modules\/(hono|@hono)\//.test(url)],
  ['zod (query parsing)', (url) => url.includes('node_modules/zod/')],
  ['auth, errors (shared/auth, shared/http)', (url) => /shared\/(auth|http)\//.test(url)],
  ['asset list + cache (shared/api)', (url) => url.includes('shared/api/')],
  ['other Stratos code (shared/, scripts/)', (url) => /\/(shared|scripts)\//.test(url)],
  ['JSON stringify/parse', (url, fn) => url === '' && /^(stringify|parse|JSONStringify)$/.test(fn)],
  ['garbage collection', (_url, fn) => fn === '(garbage collector)'],
  ['Node core (HTTP, sockets, streams)', (url) => url.startsWith('node:')],
  ['V8 and native (program)', (_url, fn) => fn === '(program)'],
];

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; hitCount?: number }[];
  startTime: number;
  endTime: number;
  samples: number[];
}

/** Self time per PROFILE_PARTS entry (and "other"), ms, from a .cpuprofile; idle excluded. */
function profileParts(profile: CpuProfile): { part: string; ms: number }[] {
  const perSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const totals = new Map<string, number>();
  for (const node of profile.nodes) {
    const n = hits.get(node.id) ?? 0;
    const { url, functionName } = node.callFrame;
    if (n === 0 || functionName === '(idle)') continue;
    const part = PROFILE_PARTS.find(([, test]) => test(url, functionName))?.[0] ?? 'other JavaScript';
    totals.set(part, (totals.get(part) ?? 0) + n * perSample);
  }
  return [...totals].map(([part, ms]) => ({ part, ms })).sort((a, b) => b.ms - a.ms);
}

/**
 * `--profile`: serves again under the V8 profiler (node:inspector), 32 clients on a cached shape and on the misses,
 * and prints where the gateway's CPU per request went. The database's share is in the table above.
 */
async function profileGateway(
  url: string,
  key: string,
  shapes: readonly Shape[],
  seconds: number,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'stratos-api-profile-'));
  try {
    for (const name of ['default list', UNCACHED]) {
      const shape = shapes.find((s) => s.name === name)!;
      const file = join(dir, `${name.replace(/\W+/g, '-')}.cpuprofile`);
      const started = await startServer(url, key, { BENCH_CPU_PROFILE: file });
      const base = `http://127.0.0.1:${started.port}${BASE_PATH}`;
      const exited = new Promise((resolve) => started.child.once('exit', resolve));
      const procs = { gateway: started.child.pid!, postmaster: 0 };
      for (let i = 0; i < 20; i++) await fetchOk(`${base}${shape.path}`, { apikey: key });
      started.child.kill('SIGUSR2');
      const r = await measure(base, { apikey: key }, shape, 32, seconds, procs);
      started.child.kill('SIGTERM');
      await exited;
      const parts = profileParts(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
      const total = parts.reduce((a, p) => a + p.ms, 0);
      // The profile's sample times are wall time, which a loaded machine stretches; the shares are
      // scaled to the CPU per request /proc measured over the same window.
      const perRequest = r.cpu.gateway;
      console.log(
        `\nV8 profile of the gateway, ${name}, 32 clients: ${num(r.requests)} requests, ` +
          `${msExact(perRequest)} of gateway CPU per request (/proc), split by the profile's self time\n`,
      );
      console.log(
        table(
          ['part', 'per request', 'share'],
          parts.map((p) => [
            p.part,
            `${((p.ms / total) * perRequest * 1000).toFixed(0)} us`,
            `${((p.ms / total) * 100).toFixed(0)}%`,
          ]),
          ['left', 'right', 'right'],
        ),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The child's side: the same gateway and control-api `npm start` serves, with its pool size. */
async function serveGateway(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL!;
  const ctx = createContext({ ...process.env, DATABASE_URL: url }, { sql: connect(url, { max: 8 }) });
  const gateway = createGateway(ctx, join(ROOT, 'dashboard', 'dist'));
  const server = serve({ fetch: gateway.fetch, hostname: '127.0.0.1', port: 0 });
  server.once('listening', () => {
    const address = server.address();
    console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
  });
  // --profile: the V8 profiler runs from SIGUSR2 to SIGTERM, so start-up (tsx compiling, module
  // loading) and warm-up stay out of the profile; it is written where BENCH_CPU_PROFILE says.
  const profileFile = process.env.BENCH_CPU_PROFILE;
  const session = profileFile ? new Session() : null;
  if (session) {
    session.connect();
    process.once('SIGUSR2', () => {
      void session.post('Profiler.enable').then(() => session.post('Profiler.start'));
    });
  }
  process.once('SIGTERM', async () => {
    if (session && profileFile) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(profileFile, JSON.stringify(profile));
    }
    server.close(() => ctx.sql.end().then(() => process.exit(0)));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      serve: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
    },
  });
  if (values.serve) {
    await serveGateway();
  } else {
    const verdicts = await benchApi({ quick: values.quick, profile: values.profile });
    console.log(
      `\n${table(
        ['target', 'result', ''],
        verdicts.map((v) => [v.target, v.result, verdict(v.pass)]),
        ['left', 'left', 'left'],
      )}`,
    );
  }
}
