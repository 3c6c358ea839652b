import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../local/database.ts';
import { buildDeployDir, DEPLOY_DIR, foreignImports, functionNames } from './bundle.ts';

// Deploys the Edge Functions the way `npm run check:functions` proves they work: each bundled into one
// self-contained index.ts under .stratos/deploy/supabase/functions/<name>/, then uploaded with
// `supabase functions deploy --use-api --no-verify-jwt --workdir .stratos/deploy` (no Docker, nothing outside the
// folder to upload). Arguments after the options go to the CLI, e.g. --remote=<project-ref>.

const { values, positionals } = parseArgs({
  allowPositionals: true,
  strict: false,
  options: {
    'build-only': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`usage: npx tsx scripts/deploy/functions.ts [--build-only] [<function>...] [-- <supabase flags>]

Bundles every function (or the ones named) into ${relative(ROOT, DEPLOY_DIR)}/supabase/functions/<name>/index.ts
and runs: supabase functions deploy <names> --use-api --no-verify-jwt --workdir ${relative(ROOT, DEPLOY_DIR)} <supabase flags>
Functions: ${functionNames().join(', ')}`);
  process.exit(0);
}

const known = functionNames();
// CLI flags pass through in their --flag=value form; `--` alone only separates them.
const cliArgs = process.argv.slice(2).filter((a) => a.startsWith('--') && a !== '--' && a !== '--build-only');
const names = positionals.filter((p) => !p.startsWith('-'));
const unknown = names.filter((n) => !known.includes(n));
if (unknown.length > 0) {
  console.error(`unknown function(s): ${unknown.join(', ')} (known: ${known.join(', ')})`);
  process.exit(2);
}
const selected = names.length > 0 ? names : known;
for (const bundle of buildDeployDir(selected)) {
  const left = foreignImports(bundle);
  if (left.length > 0) {
    console.error(`${relative(ROOT, bundle)} still imports ${left.join(', ')}: refusing to deploy it`);
    process.exit(1);
  }
  console.log(`bundled ${relative(ROOT, bundle)}`);
}
if (values['build-only']) process.exit(0);

// Every function checks its own credentials (the secret key, or reader/admin for control-api), as
// config.toml's verify_jwt = false says; the flag makes sure the gateway does not demand a user JWT.
const args = [
  'functions',
  'deploy',
  ...selected,
  '--use-api',
  '--no-verify-jwt',
  '--workdir',
  DEPLOY_DIR,
  ...cliArgs,
];
console.log(`supabase ${args.join(' ')}`);
const res = spawnSync(join(ROOT, 'node_modules/.bin/supabase'), args, { cwd: ROOT, stdio: 'inherit' });
process.exit(res.status ?? 1);
