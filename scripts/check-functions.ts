import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleFunction, checkFunction, DENO, foreignImports, functionNames } from './deploy/bundle.ts';
import { freePort } from './local/embedded.ts';

// Deployability, checked the way scripts/deploy/functions.ts deploys: every Edge Function type-checks
// with Deno, bundles into one index.ts with nothing left to resolve but `node:` built-ins, and that
// folder, copied alone into an empty directory with an empty Deno cache and no network or npm access,
// boots under plain Deno and answers requests with the project's JSON error shape.

const SECRET = `check-${crypto.randomUUID()}`;

/** A request the booted function must answer, and the status it must answer with. */
interface Probe {
  path: string;
  init: RequestInit;
  status: number;
}

function probes(name: string): Probe[] {
  // control-api reports the unreachable database as 503. A stage function refuses a caller without the
  // secret key (401) and, with it, rejects the body (400) before touching the database.
  if (name === 'control-api') return [{ path: '/control-api/health', init: {}, status: 503 }];
  const body = '{"date":"someday"}';
  return [
    { path: `/${name}`, init: { method: 'POST', body }, status: 401 },
    { path: `/${name}`, init: { method: 'POST', body, headers: { apikey: SECRET } }, status: 400 },
  ];
}

/** Starts the bundle from a directory that holds only its function folder and checks the probes. */
async function boot(name: string, bundle: string): Promise<string> {
  const sandbox = mkdtempSync(join(tmpdir(), `stratos-${name}-`));
  const dir = join(sandbox, name);
  cpSync(dirname(bundle), dir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    DENO,
    ['run', '-A', '--no-remote', '--no-npm', '--config', 'deno.json', 'index.ts'],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        DENO_DIR: join(sandbox, '.deno'),
        DENO_NO_UPDATE_CHECK: '1',
        PORT: String(port),
        DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none',
        STRATOS_SECRET_KEY: SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  try {
    const answered: number[] = [];
    for (const probe of probes(name))
      answered.push(await request(`http://127.0.0.1:${port}${probe.path}`, probe, () => output));
    return `answered ${answered.join(', ')} from a directory with only ${name}/`;
  } finally {
    child.kill();
    rmSync(sandbox, { recursive: true, force: true });
  }
}

/** Sends one probe, retrying while the server is still starting; returns the status it answered. */
async function request(url: string, probe: Probe, output: () => string): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const res = await fetch(url, probe.init);
      const body = (await res.json()) as Record<string, unknown>;
      // A refusal must carry the one JSON error shape; the health report has its own.
      const shaped = probe.status >= 500 || typeof body.error === 'string';
      if (res.status !== probe.status || !shaped)
        throw new Error(`${probe.path} answered ${res.status}: ${JSON.stringify(body)}`);
      return res.status;
    } catch (err) {
      if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNREFUSED') throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`did not start listening: ${output().trim()}`);
}

let failed = 0;
for (const name of functionNames()) {
  let bundle = '';
  const steps: [string, () => string | Promise<string>][] = [
    [
      'check',
      () => {
        checkFunction(name);
        return '';
      },
    ],
    [
      'bundle',
      () => {
        bundle = bundleFunction(name);
        return `(${Math.round(statSync(bundle).size / 1024)} KiB)`;
      },
    ],
    [
      'self-contained',
      () => {
        const left = foreignImports(bundle);
        if (left.length > 0) throw new Error(`still imports ${left.join(', ')}`);
        return 'only node: built-ins left';
      },
    ],
    ['boot', () => boot(name, bundle)],
  ];
  for (const [what, step] of steps) {
    const t0 = performance.now();
    try {
      const detail = await step();
      console.log(`ok   ${what.padEnd(14)} ${name} ${detail} ${Math.round(performance.now() - t0)}ms`);
    } catch (err) {
      failed++;
      console.log(`FAIL ${what.padEnd(14)} ${name}\n${(err as Error).message}`);
      break;
    }
  }
}
process.exitCode = failed > 0 ? 1 : 0;
