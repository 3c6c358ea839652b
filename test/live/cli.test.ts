import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/local/database.ts';
import { replayOptionsFrom } from '../../scripts/replay-cli.ts';
import type { LiveDecision } from '../../shared/live/brain.ts';
import { replayEvents } from '../../shared/live/replay.ts';
import { stratos } from '../support/cli.ts';
import { referenceDecisions } from './reference.ts';

/** Runs a shell pipeline of CLI commands; stdout, stderr and the exit code. */
function sh(script: string, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

const CLI = 'node --import tsx scripts/cli.ts';

describe('stratos replay | stratos consume', () => {
  it('runs a session end to end through two processes with paper orders, the same decisions as in-process', async () => {
    const res = await sh(`${CLI} replay --seed e2e --symbols 10 --minutes 120 | ${CLI} consume`);
    expect(res.code, res.stderr).toBe(0);
    const decisions = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LiveDecision);
    expect(decisions).toEqual(await referenceDecisions({ seed: 'e2e', symbols: '10', minutes: '120' }));
    expect(decisions.filter((d) => d.action === 'buy').length).toBeGreaterThan(0);
    expect(decisions.filter((d) => d.action === 'entry_filled').length).toBeGreaterThan(0);
    expect(res.stderr).toMatch(
      /consume: \d+ lines, \d+ events, 0 malformed; 10 symbols tracked; paper cash [\d.]+/,
    );
  }, 120_000);

  it('counts malformed lines with their numbers and goes on', async () => {
    const good = [...replayEvents(replayOptionsFrom({ symbols: '2', minutes: '3' }))].map((e) =>
      JSON.stringify(e),
    );
    const input = [
      good[0],
      '{"kind":"trade","id":"x"',
      good[1],
      '{"id":"y","kind":"bar","ts":1,"symbol":"A"}',
      'null',
      ...good.slice(2),
    ].join('\n');
    const res = await sh(`${CLI} consume --quiet`, input);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(`${good.length} events, 3 malformed (line 2: not JSON`);
    expect(res.stderr).toContain('line 4: interval: ');
    expect(res.stderr).toContain('line 5: not a JSON object');
  }, 60_000);

  it('refuses bad options with exit code 2 and one line', async () => {
    for (const argv of [
      ['consume', '--cash', 'lots'],
      ['consume', '--flow-min', '2'],
      ['consume', '--pool', 'a b'],
      ['consume', '--pool', 'A', '--universe', 'equity_all'],
      ['consume', '--redis', 'http://127.0.0.1:1'],
      ['consume', '--asset-type', 'bonds'],
      ['replay', '--symbols', '0'],
      ['replay', '--start', 'soon'],
      ['replay', '--seed', 'a b'],
      ['replay', '--redis', 'localhost'],
      ['consume', '--nope'],
    ]) {
      const res = await stratos(...argv);
      expect(res.code, argv.join(' ')).toBe(2);
      expect(res.output.split('\n')).toHaveLength(1);
    }
  });
});
