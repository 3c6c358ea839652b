import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIOME = join(ROOT, 'node_modules/.bin/biome');

/** A module that breaks every boundary of shared/: a node: import, runtime globals, the HTTP layer, scripts. */
const PROBE = [
  "import { readFileSync } from 'node:fs';",
  "import { Health } from '../api/contracts/health.ts';",
  "import { parseArgs } from '../../scripts/cli.ts';",
  '',
  'export const probe = [readFileSync, Health, parseArgs, process.env.X, Deno.env, window.location];',
  '',
].join('\n');

// The repository's biome.json over probe files in a scratch tree shaped like the repository, so the
// test reads the real rules without writing into the working tree.
const scratch = mkdtempSync(join(tmpdir(), 'stratos-lint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Each probe file's diagnostics as `rule` names, linted with the repository's configuration. */
function lint(files: string[]): Record<string, string[]> {
  const config = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>;
  delete config.$schema;
  writeFileSync(join(scratch, 'biome.json'), JSON.stringify(config));
  for (const file of files) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    writeFileSync(join(scratch, file), PROBE);
  }
  let out: string;
  try {
    out = execFileSync(BIOME, ['lint', '--reporter=json', ...files], {
      cwd: scratch,
      encoding: 'utf8',
      // stderr only says the JSON reporter is experimental.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    // Biome exits 1 when it reports errors; the report is still on stdout.
    out = (err as { stdout: string }).stdout;
  }
  const report = JSON.parse(out) as { diagnostics: { category: string; location: { path: string } }[] };
  const rules: Record<string, string[]> = Object.fromEntries(files.map((f) => [f, []]));
  for (const d of report.diagnostics) rules[d.location.path]?.push(d.category.replace(/^lint\//, ''));
  for (const list of Object.values(rules)) list.sort();
  return rules;
}

describe('the shared/ boundary lint', () => {
  const rules = lint([
    'shared/pipeline/probe.ts',
    'shared/signals/probe.ts',
    'shared/pipeline/probe.test.ts',
    'scripts/probe.ts',
  ]);
  const globals = ['style/noRestrictedGlobals', 'style/noRestrictedGlobals', 'style/noRestrictedGlobals'];

  it('refuses node: built-ins, runtime globals, scripts/ and the HTTP layer in a domain folder', () => {
    expect(rules['shared/pipeline/probe.ts']).toEqual([
      'correctness/noNodejsModules',
      ...globals,
      'style/noRestrictedImports',
      'style/noRestrictedImports',
    ]);
  });

  it('lets the read models import the contracts, nothing else', () => {
    expect(rules['shared/signals/probe.ts']).toEqual([
      'correctness/noNodejsModules',
      ...globals,
      'style/noRestrictedImports',
    ]);
  });

  it('lets tests under shared/ import node: modules and test support, not use runtime globals', () => {
    expect(rules['shared/pipeline/probe.test.ts']).toEqual(globals);
  });

  it('leaves scripts/ (the Node adapters) alone', () => {
    expect(rules['scripts/probe.ts']).toEqual([]);
  });
});
