import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STATE_DIR } from './local/database.ts';

// Deployability: every Edge Function type-checks with Deno and bundles into one self-contained module.
const deno = join(ROOT, 'node_modules/.bin/deno');
const functionsDir = join(ROOT, 'supabase/functions');
const outDir = join(STATE_DIR, 'bundles');
mkdirSync(outDir, { recursive: true });
const env = { ...process.env, DENO_DIR: join(STATE_DIR, 'deno'), DENO_NO_UPDATE_CHECK: '1' };

let failed = 0;
for (const name of readdirSync(functionsDir).filter((n) => statSync(join(functionsDir, n)).isDirectory())) {
  const config = join(functionsDir, name, 'deno.json');
  const entry = join(functionsDir, name, 'index.ts');
  const out = join(outDir, `${name}.js`);
  for (const [what, args] of [
    ['check', ['check', '--quiet', '--config', config, entry]],
    ['bundle', ['bundle', '--quiet', '--config', config, '--platform', 'deno', '-o', out, entry]],
  ] as const) {
    const t0 = performance.now();
    const res = spawnSync(deno, args, { cwd: ROOT, env, encoding: 'utf8' });
    const ms = Math.round(performance.now() - t0);
    if (res.status === 0) {
      const size = what === 'bundle' ? ` (${Math.round(statSync(out).size / 1024)} KiB)` : '';
      console.log(`ok   ${what.padEnd(6)} ${name}${size} ${ms}ms`);
    } else {
      failed++;
      console.log(`FAIL ${what.padEnd(6)} ${name}\n${res.stdout}${res.stderr}`);
    }
  }
}
process.exitCode = failed > 0 ? 1 : 0;
