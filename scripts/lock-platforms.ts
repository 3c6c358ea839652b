import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './local/database.ts';

// The registry mirror this project is built against serves only the linux-x64 builds of some
// binary packages (biome, deno, supabase), so `npm install` cannot record the other platforms'
// optional packages and `npm ci` then refuses the lock file. This adds the missing entries with
// their os/cpu, which npm ci skips on every other platform. Run after changing dependencies.

type Entry = {
  version?: string;
  optional?: boolean;
  dev?: boolean;
  optionalDependencies?: Record<string, string>;
} & Record<string, unknown>;

const path = join(ROOT, 'package-lock.json');
const lock = JSON.parse(readFileSync(path, 'utf8')) as { packages: Record<string, Entry> };
const added: string[] = [];
for (const meta of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    const os = /darwin/.test(name)
      ? 'darwin'
      : /win32|windows/.test(name)
        ? 'win32'
        : /android/.test(name)
          ? 'android'
          : 'linux';
    const entry: Entry = { version, optional: true, os: [os], cpu: [/arm64/.test(name) ? 'arm64' : 'x64'] };
    if (os === 'linux') entry.libc = [/musl/.test(name) ? 'musl' : 'glibc'];
    if (meta.dev) entry.dev = true;
    lock.packages[key] = entry;
    added.push(`${name}@${version}`);
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync(path, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(
  added.length ? `added ${added.length} platform entries: ${added.join(', ')}` : 'lock file complete',
);
