import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STATE_DIR } from '../local/database.ts';

// The deploy path (supabase/cli#3467: `functions deploy --use-api` cannot upload files outside the
// function's folder, and ours import ../../../shared): `deno bundle` turns each function into one
// self-contained module, npm packages included, written as the index.ts of a Supabase project folder
// that holds nothing else. `supabase functions deploy --use-api --workdir <that folder>` then uploads
// exactly one file per function. The only imports left are `node:` built-ins, which the Edge Runtime
// provides.

/** The deno binary shipped by the `deno` npm package. */
export const DENO = join(ROOT, 'node_modules/.bin/deno');
/** Where the deployable project folder is built: `<DEPLOY_DIR>/supabase/functions/<name>/index.ts`. */
export const DEPLOY_DIR = join(STATE_DIR, 'deploy');
/** Deno's cache for bundling (npm packages are fetched once and reused). */
export const DENO_ENV = { ...process.env, DENO_DIR: join(STATE_DIR, 'deno'), DENO_NO_UPDATE_CHECK: '1' };

const FUNCTIONS_DIR = join(ROOT, 'supabase/functions');

/** The Edge Functions of the repository; folders starting with `_` hold shared code (Supabase's convention). */
export function functionNames(): string[] {
  return readdirSync(FUNCTIONS_DIR)
    .filter((n) => !n.startsWith('_') && statSync(join(FUNCTIONS_DIR, n)).isDirectory())
    .sort();
}

/** Runs deno with `args`; throws with its output when it fails. */
export function deno(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const res = spawnSync(DENO, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? DENO_ENV, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`deno ${args[0]}: ${res.stdout}${res.stderr}`);
  return res.stdout;
}

/** Type-checks a function's source with its own deno.json. */
export function checkFunction(name: string): void {
  deno([
    'check',
    '--quiet',
    '--config',
    join(FUNCTIONS_DIR, name, 'deno.json'),
    join(FUNCTIONS_DIR, name, 'index.ts'),
  ]);
}

/**
 * Bundles one function into `<dir>/supabase/functions/<name>/`: `index.ts` (the bundle; plain
 * JavaScript is valid there, and Supabase's default entrypoint is index.ts) and an empty-import
 * `deno.json`, so the CLI finds the function's own config instead of searching for another. Returns
 * the bundle's path.
 */
export function bundleFunction(name: string, dir = DEPLOY_DIR): string {
  const out = join(dir, 'supabase/functions', name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const entry = join(out, 'index.ts');
  deno([
    'bundle',
    '--quiet',
    '--config',
    join(FUNCTIONS_DIR, name, 'deno.json'),
    '--platform',
    'deno',
    '-o',
    entry,
    join(FUNCTIONS_DIR, name, 'index.ts'),
  ]);
  writeFileSync(join(out, 'deno.json'), `${JSON.stringify({ imports: {} }, null, 2)}\n`);
  return entry;
}

/**
 * Lays out the deploy folder: the repository's supabase/config.toml (verify_jwt per function), the
 * link state of `supabase link` when there is one (so the CLI targets the same project), and every
 * function bundled.
 */
export function buildDeployDir(names: readonly string[] = functionNames(), dir = DEPLOY_DIR): string[] {
  mkdirSync(join(dir, 'supabase'), { recursive: true });
  copyFileSync(join(ROOT, 'supabase/config.toml'), join(dir, 'supabase/config.toml'));
  const link = join(ROOT, 'supabase/.temp');
  if (existsSync(link)) {
    rmSync(join(dir, 'supabase/.temp'), { recursive: true, force: true });
    mkdirSync(join(dir, 'supabase/.temp'), { recursive: true });
    for (const f of readdirSync(link)) {
      if (statSync(join(link, f)).isFile()) copyFileSync(join(link, f), join(dir, 'supabase/.temp', f));
    }
  }
  return names.map((n) => bundleFunction(n, dir));
}

/**
 * What a bundle still imports that is not a `node:` built-in (a relative path, npm:, jsr:, https:),
 * from Deno's own module graph of the file. Empty for a self-contained bundle.
 */
export function foreignImports(bundle: string): string[] {
  const graph = JSON.parse(
    deno(['info', '--json', '--no-remote', '--no-npm', '--no-config', bundle], {
      env: { ...DENO_ENV, NO_COLOR: '1' },
    }),
  ) as { modules: { specifier: string; dependencies?: { specifier: string }[] }[] };
  return graph.modules
    .flatMap((m) => m.dependencies ?? [])
    .map((d) => d.specifier)
    .filter((s) => !s.startsWith('node:'));
}
