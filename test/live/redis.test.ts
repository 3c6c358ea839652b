import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../scripts/consume-redis.ts';
import {
  type RedisServer,
  redisServerMissing,
  startRedisServer,
} from '../../scripts/consume-redis-server.ts';
import { ROOT } from '../../scripts/local/database.ts';
import type { LiveDecision, LiveState } from '../../shared/live/brain.ts';
import { stratos } from '../support/cli.ts';
import { referenceDecisions } from './reference.ts';

const missing = redisServerMissing();
const required = process.env.STRATOS_REQUIRE_REDIS === '1';

if (missing && !required)
  console.warn(`Redis tests skipped: ${missing}; run scripts/ci/install-system-deps.sh`);

if (missing && required) {
  describe('redis-server', () => {
    it('is installed (STRATOS_REQUIRE_REDIS=1)', () => {
      throw new Error(`${missing}: run scripts/ci/install-system-deps.sh (as root) to install it`);
    });
  });
}

function consumer(url: string, name: string, extra: string[] = []): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/cli.ts',
      'consume',
      '--redis',
      url,
      '--group',
      'g',
      '--consumer',
      name,
      '--quiet',
      ...extra,
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

const exited = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code ?? 1));
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(missing !== null)(
  'stratos replay --redis | stratos consume --redis (a real redis-server)',
  () => {
    let server: RedisServer;
    let redis: Redis;
    const session = { seed: 'redis', symbols: '10', minutes: '150' };
    let reference: LiveDecision[];

    beforeAll(async () => {
      server = await startRedisServer({ aof: true });
      redis = new Redis(server.url);
      reference = await referenceDecisions(session);
    }, 60_000);
    afterAll(async () => {
      redis?.disconnect();
      await server?.stop();
    });

    it('decides every event exactly once when a consumer is killed mid-stream and another takes over', async () => {
      const replay = await stratos(
        'replay',
        '--redis',
        server.url,
        '--seed',
        session.seed,
        '--symbols',
        session.symbols,
        '--minutes',
        session.minutes,
      );
      expect(replay.code, replay.output).toBe(0);
      const total = await redis.xlen('market:updates');
      expect(replay.output).toBe(`replay: ${total} events added to market:updates`);
      const keys = redisKeys('market:updates', 'g');

      // Small batches so the kill lands between two committed snapshots, with entries delivered and not acknowledged.
      const first = consumer(server.url, 'c1', ['--batch', '50']);
      for (let i = 0; i < 600; i++) {
        const done = await redis.hlen(keys.decisions);
        if (done >= 10) break;
        await sleep(100);
      }
      first.kill('SIGKILL');
      await exited(first);
      const state = JSON.parse((await redis.get(keys.state))!) as { lastId: string; brain: LiveState };
      expect(state.brain.counts.events).toBeGreaterThan(0);
      expect(state.brain.counts.events).toBeLessThan(total);

      // Another consumer of the group claims c1's pending entries (idle at once) and finishes the stream.
      const second = consumer(server.url, 'c2', ['--claim-idle', '0', '--idle-exit', '2', '--batch', '500']);
      let stderr = '';
      second.stderr?.on('data', (d) => (stderr += d));
      expect(await exited(second), stderr).toBe(0);
      expect(stderr).toMatch(/consume: \d+ entries \((\d+) reclaimed, 0 already done\), 0 malformed/);

      const stored = await redis.hgetall(keys.decisions);
      const decisions = Object.values(stored)
        .map((v) => JSON.parse(v) as LiveDecision)
        .sort(
          (a, b) => reference.findIndex((r) => r.id === a.id) - reference.findIndex((r) => r.id === b.id),
        );
      expect(decisions).toEqual(reference);
      const end = JSON.parse((await redis.get(keys.state))!) as { brain: LiveState };
      expect(end.brain.counts.events).toBe(total);
      expect(((await redis.xpending('market:updates', 'g')) as [number])[0]).toBe(0);
      expect(await redis.llen(keys.experiences)).toBe(
        reference.filter((d) => d.action.endsWith('_filled')).length,
      );
      expect(reference.some((d) => d.action === 'entry_filled')).toBe(true);

      // A restart with nothing new decides nothing twice.
      const again = consumer(server.url, 'c1', ['--idle-exit', '1']);
      expect(await exited(again)).toBe(0);
      expect(await redis.hlen(keys.decisions)).toBe(reference.length);
    }, 240_000);

    it('reports malformed entries by their id and an unreachable server in one line', async () => {
      await redis.xadd('bad:stream', '*', 'e', '{"kind":"trade"}');
      await redis.xadd('bad:stream', '*', 'x', '1');
      const res = await stratos(
        'consume',
        '--redis',
        server.url,
        '--stream',
        'bad:stream',
        '--group',
        'b',
        '--idle-exit',
        '0',
        '--quiet',
      );
      expect(res.code).toBe(0);
      expect(res.output).toMatch(/2 malformed \(entry \d+-0: id: .*; entry \d+-0: no field "e"\)/);
      const down = await stratos('consume', '--redis', 'redis://127.0.0.1:1', '--idle-exit', '0');
      expect(down.code).toBe(1);
      expect(down.output).toMatch(/^stratos consume: redis redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
    });
  },
);
