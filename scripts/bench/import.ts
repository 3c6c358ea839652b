// `stratos import-csv` of the real S&P file against its anchor, a plain COPY of the same file into a
// table with the same key, both on one embedded PostgreSQL in the same run; then the re-import of the
// unchanged file, which must write nothing. Alone: `npx tsx scripts/bench/import.ts`.
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { type ImportResult, importCsv } from '../../shared/bars/import.ts';
import { createContext } from '../../shared/config.ts';
import { connect, type Sql } from '../../shared/db/client.ts';
import { startEmbeddedPostgres } from '../local/embedded.ts';
import { migrate } from '../local/migrate.ts';
import { SP500_CSV } from './data.ts';
import { ms, pairs, ratio } from './report.ts';

/** The target: the whole import, screening included, within this factor of the COPY anchor. */
const IMPORT_TARGET_RATIO = 2;

/** One line of the closing summary. */
export interface ImportVerdict {
  target: string;
  result: string;
  pass: boolean;
}

/** Timed import with what it reported. */
interface TimedImport {
  ms: number;
  /** CPU of this process (reading, parsing, screening, encoding): the rest of the wall time is the server's or waiting. */
  cpuMs: number;
  result: ImportResult;
}

/** COPY of the file itself: PostgreSQL parses the CSV, the primary key is checked on every row. */
async function copyAnchor(sql: Sql): Promise<number> {
  await sql`drop table if exists copy_anchor`;
  // Same key as daily_bars (one row per symbol and date); the file's broken rows have empty fields.
  await sql`
    create table copy_anchor (
      date date not null, open double precision, high double precision, low double precision,
      close double precision, volume double precision, symbol text not null,
      primary key (symbol, date))`;
  const t0 = performance.now();
  const target = await sql`copy copy_anchor from stdin (format csv, header true)`.writable();
  await pipeline(createReadStream(SP500_CSV), target);
  return performance.now() - t0;
}

/** What the CLI command does: read the file, then import it. */
async function timedImport(ctx: ReturnType<typeof createContext>): Promise<TimedImport> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await importCsv(ctx, { text: readFileSync(SP500_CSV, 'utf8'), assetType: 'equity' });
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, result };
}

/** Rows written to daily_bars and the ledger, as the database sees them (not as the import reports). */
async function footprint(sql: Sql) {
  const [row] = await sql<{ bars: number; newest: string | null; ledger: number }[]>`
    select (select count(*)::int from daily_bars) as bars,
           (select max(ingested_at)::text from daily_bars) as newest,
           (select count(*)::int from data_quality_ledger) as ledger`;
  return row!;
}

/** Runs the import bench and prints its table; a failure is reported as a missed target. */
export async function benchImport(): Promise<ImportVerdict[]> {
  const firstTarget = `import-csv of the S&P file <= ${IMPORT_TARGET_RATIO}x a plain COPY of it`;
  const againTarget = 're-import of the unchanged file: seconds, 0 rows written';
  const dataDir = mkdtempSync(join(tmpdir(), 'stratos-bench-import-'));
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  let sql: Sql | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir, persistent: false });
    const admin = postgres(server.url('postgres'), { onnotice: () => {}, max: 1 });
    await admin.unsafe('create database stratos_bench_import');
    await admin.end();
    const url = server.url('stratos_bench_import');
    await migrate(url);
    sql = connect(url, { max: 2 });
    const ctx = createContext({ DATABASE_URL: url }, { sql });

    // The anchor runs before and after the imports; the faster run is the one compared against.
    const anchorBefore = await copyAnchor(sql);
    const first = await timedImport(ctx);
    const afterFirst = await footprint(sql);
    const again = await timedImport(ctx);
    const afterAgain = await footprint(sql);
    const anchorAfter = await copyAnchor(sql);
    const anchor = Math.min(anchorBefore, anchorAfter);
    const [anchorRows] = await sql<{ n: number }[]>`select count(*)::int as n from copy_anchor`;

    const describe = (r: ImportResult) =>
      `${r.inserted.toLocaleString('en-US')} new, ${r.updated} changed, ${r.unchanged.toLocaleString('en-US')} unchanged; ` +
      `${r.rejected} rejected, ${r.flagged} flagged, ${r.ledgered} new ledger rows`;
    const written = afterAgain.bars - afterFirst.bars + again.result.inserted + again.result.updated;
    const untouched = afterAgain.newest === afterFirst.newest && afterAgain.ledger === afterFirst.ledger;
    console.log(
      pairs([
        [
          'COPY anchor',
          `${anchorRows!.n.toLocaleString('en-US')} rows (file -> COPY csv, primary key (symbol, date)): ` +
            `${ms(anchorBefore)} before the imports, ${ms(anchorAfter)} after`,
        ],
        [
          'import-csv, empty database',
          `${ms(first.ms)} (${ratio(first.ms / anchor)} COPY, ${ms(first.cpuMs)} CPU here): ${describe(first.result)}`,
        ],
        [
          'import-csv, same file again',
          `${ms(again.ms)} (${ratio(again.ms / anchor)} COPY, ${ms(again.cpuMs)} CPU here): ${describe(again.result)}`,
        ],
        [
          'database after the re-import',
          `${afterAgain.bars.toLocaleString('en-US')} bars, ${afterAgain.ledger} ledger rows, ` +
            `newest ingested_at ${untouched ? 'unchanged' : 'CHANGED'}`,
        ],
      ]),
    );
    console.log(
      '\nimport-csv: read the file, parse, screen (60-return jump check per symbol) while streaming binary COPY,\n' +
        'straight into daily_bars (primary key, date index, asset check, latest-bar trigger) for symbols with nothing\n' +
        'stored in the range, else into staging, one join, update/insert of what differs; ledger; one transaction.',
    );
    return [
      {
        target: firstTarget,
        result: `${ms(first.ms)} vs ${ms(anchor)}: ${ratio(first.ms / anchor)}`,
        pass:
          first.ms <= IMPORT_TARGET_RATIO * anchor &&
          first.result.inserted === anchorRows!.n - first.result.rejected,
      },
      {
        target: againTarget,
        result: `${ms(again.ms)}, ${written} rows written`,
        pass: written === 0 && untouched && again.ms < 10_000,
      },
    ];
  } catch (err) {
    const result = `n/a (${err instanceof Error ? err.message : String(err)})`;
    console.log(result);
    return [
      { target: firstTarget, result, pass: false },
      { target: againTarget, result, pass: false },
    ];
  } finally {
    await sql?.end();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`load average ${loadavg()[0]!.toFixed(2)} at the start (other processes share these cores)\n`);
  const verdicts = await benchImport();
  for (const v of verdicts) console.log(`${v.pass ? 'PASS' : 'MISS'}  ${v.target}: ${v.result}`);
}
