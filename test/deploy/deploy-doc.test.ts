import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/local/database.ts';

// docs/DEPLOY.md may only use Supabase CLI commands and flags that the CLI pinned in package.json has:
// each `supabase …` line of its shell blocks is checked against that CLI's own --help.

const run = promisify(execFile);
const CLI = join(ROOT, 'node_modules/.bin/supabase');

/** One `supabase` invocation from the document: the words after `supabase` and the flags it passes. */
interface DocCommand {
  line: string;
  words: string[];
  flags: string[];
}

/** The `supabase` commands in the shell code blocks of a Markdown text (continuation lines joined). */
function supabaseCommands(markdown: string): DocCommand[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const lines = blocks.flatMap((b) => b.replace(/\\\n/g, ' ').split('\n'));
  return lines
    .map((l) => l.trim())
    .filter((l) => /^(npx )?supabase /.test(l))
    .map((line) => {
      const tokens: string[] = line.match(/"(?:\\.|[^"\\])*"|'[^']*'|\S+/g) ?? [];
      const rest = tokens.slice(tokens.indexOf('supabase') + 1);
      const firstOther = rest.findIndex((t) => !/^[a-z][a-z0-9-]*$/.test(t));
      const words = firstOther === -1 ? rest : rest.slice(0, firstOther);
      const flags = rest.filter((t) => /^--?[a-z]/.test(t)).map((t) => t.split('=')[0]!);
      return { line, words, flags };
    });
}

/** What `supabase <words> --help` says: the command path from its USAGE line and the whole text. */
async function help(
  words: string[],
): Promise<{ path: string[]; group: boolean; positional: boolean; text: string }> {
  const { stdout } = await run(CLI, [...words, '--help'], { cwd: ROOT });
  const usage = /USAGE\n\s+supabase (.*)/.exec(stdout)?.[1] ?? '';
  const parts = usage.split(/\s+/);
  const path = parts
    .slice(
      0,
      Math.max(
        0,
        parts.findIndex((p) => /^[[<]/.test(p)),
      ),
    )
    .filter(Boolean);
  return {
    path,
    group: usage.includes('<subcommand>'),
    positional: /<(?!subcommand)/.test(usage),
    text: stdout,
  };
}

/** What is wrong with one documented command against the CLI's help (nothing: an empty list). */
async function check(cmd: DocCommand): Promise<string[]> {
  const problems: string[] = [];
  const h = await help(cmd.words);
  const extra = cmd.words.slice(h.path.length);
  if (h.path.length === 0 || h.path.join(' ') !== cmd.words.slice(0, h.path.length).join(' '))
    problems.push(`${cmd.line}: no such command`);
  else if (h.group && extra.length > 0) problems.push(`${cmd.line}: no subcommand "${extra[0]}"`);
  else if (h.group) problems.push(`${cmd.line}: "${h.path.join(' ')}" needs a subcommand`);
  else if (extra.length > 0 && !h.positional) problems.push(`${cmd.line}: takes no arguments`);
  for (const flag of cmd.flags) {
    const listed = flag.startsWith('--')
      ? new RegExp(`(^|\\s)${flag}([\\s\\[=]|$)`, 'm').test(h.text)
      : new RegExp(`,\\s${flag}\\b`).test(h.text);
    if (!listed) problems.push(`${cmd.line}: "${h.path.join(' ')}" has no ${flag}`);
  }
  return problems;
}

describe('docs/DEPLOY.md', () => {
  const commands = supabaseCommands(readFileSync(join(ROOT, 'docs/DEPLOY.md'), 'utf8'));

  it('uses the Supabase CLI in its shell blocks', () => {
    expect(commands.length).toBeGreaterThan(10);
  });

  it('only uses commands and flags that the pinned Supabase CLI has', async () => {
    expect((await Promise.all(commands.map(check))).flat()).toEqual([]);
  });

  it('catches a command, a subcommand or a flag the CLI does not have', async () => {
    const bad = supabaseCommands(
      '```sh\nnpx supabase frobnicate\nnpx supabase functions frobnicate x\nsupabase secrets set --from-vault -q\n```\n',
    );
    expect(await Promise.all(bad.map(check))).toEqual([
      ['npx supabase frobnicate: no such command'],
      ['npx supabase functions frobnicate x: no subcommand "frobnicate"'],
      [
        'supabase secrets set --from-vault -q: "secrets set" has no --from-vault',
        'supabase secrets set --from-vault -q: "secrets set" has no -q',
      ],
    ]);
  });
});
