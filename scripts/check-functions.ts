import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STATE_DIR } from './local/database.ts';
import { freePort } from './local/embedded.ts';

// Deployability: every Edge Function type-checks with Deno, bundles into one self-contained module,
// and that bundle boots under plain Deno and answers a request with the project's JSON error shape.
const deno = join(ROOT, 'node_modules/.bin/deno');
const functionsDir = join(ROOT, 'supabase/functions');
const outDir = join(STATE_DIR, 'bundles');
mkdirSync(outDir, { recursive: true });
const env = { ...process.env, DENO_DIR: join(STATE_DIR, 'deno'), DENO_NO_UPDATE_CHECK: '1' };

/** Starts a bundle (with no database reachable) and checks one request against it. */
async function smoke(name: string, bundle: string): Promise<string> {
  const port = await freePort();
  const child: ChildProcess = spawn(deno, ['run', '-A', '--no-config', bundle], {
    env: { ...env, PORT: String(port), DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  try {
    const url = `http://127.0.0.1:${port}/${name}${name === 'control-api' ? '/health' : ''}`;
    const init: RequestInit = name === 'control-api' ? {} : { method: 'POST', body: '{"date":"someday"}' };
    // control-api reports the unreachable database as 503; a stage function rejects the body with 400.
    const expected = name === 'control-api' ? 503 : 400;
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        const res = await fetch(url, init);
        const body = (await res.json()) as Record<string, unknown>;
        if (res.status !== expected) throw new Error(`answered ${res.status}: ${JSON.stringify(body)}`);
        return `answered ${res.status}`;
      } catch (err) {
        if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNREFUSED') throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`did not start listening: ${output.trim()}`);
  } finally {
    child.kill();
  }
}

let failed = 0;
for (const name of readdirSync(functionsDir).filter((n) => statSync(join(functionsDir, n)).isDirectory())) {
  const config = join(functionsDir, name, 'deno.json');
  const entry = join(functionsDir, name, 'index.ts');
  const out = join(outDir, `${name}.js`);
  const steps: [string, () => string | Promise<string>][] = [
    ['check', () => run(['check', '--quiet', '--config', config, entry])],
    ['bundle', () => run(['bundle', '--quiet', '--config', config, '--platform', 'deno', '-o', out, entry])],
    ['boot', () => smoke(name, out)],
  ];
  for (const [what, step] of steps) {
    const t0 = performance.now();
    try {
      const detail = await step();
      console.log(`ok   ${what.padEnd(6)} ${name} ${detail} ${Math.round(performance.now() - t0)}ms`);
    } catch (err) {
      failed++;
      console.log(`FAIL ${what.padEnd(6)} ${name}\n${(err as Error).message}`);
      break;
    }
  }
}
process.exitCode = failed > 0 ? 1 : 0;

function run(args: string[]): string {
  const res = spawnSync(deno, args, { cwd: ROOT, env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${res.stdout}${res.stderr}`);
  const out = args[args.indexOf('-o') + 1];
  return args[0] === 'bundle' && out ? `(${Math.round(statSync(out).size / 1024)} KiB)` : '';
}
