import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLearnedTrades, recordExperience } from '../../shared/learning/store.ts';
import {
  DEFAULT_LIVE,
  LiveBrain,
  type LiveDecision,
  type LiveExperience,
  toExperience,
} from '../../shared/live/brain.ts';
import { DEFAULT_REPLAY, replayEvents } from '../../shared/live/replay.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

async function session(config = DEFAULT_LIVE) {
  const brain = new LiveBrain(config);
  const decisions: LiveDecision[] = [];
  const experiences: LiveExperience[] = [];
  for (const e of replayEvents({
    ...DEFAULT_REPLAY,
    seed: 'learn',
    symbols: DEFAULT_REPLAY.symbols.slice(0, 20),
    minutes: 200,
  })) {
    const out = await brain.handle(e);
    decisions.push(...out.decisions);
    experiences.push(...out.experiences);
  }
  return { decisions, experiences };
}

describe('the live brain and the learning loop', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('records every entry and exit into the experience buffer as closed trades with their snapshot, once', async () => {
    const { experiences } = await session();
    const exits = experiences.filter((x) => x.kind === 'exit');
    expect(exits.length).toBeGreaterThan(2);
    const events = experiences.map((x) => toExperience(x, 'equity'));
    expect(await recordExperience(db.sql, events)).toBe(events.length);
    // A consumer that records the same batch again (a restart) adds nothing.
    expect(await recordExperience(db.sql, events)).toBe(0);
    const trades = await loadLearnedTrades(db.sql);
    expect(trades).toHaveLength(exits.length);
    for (const t of trades) {
      const exit = exits.find((x) => x.tradeKey === t.tradeKey)!;
      expect(t.pnl).toBeCloseTo(exit.returnPct!, 9);
      expect(t.outcome).toBe(exit.outcome);
      expect(Object.keys(t.snapshot)).toContain('rsi_14');
      expect(['macd_cross_up', 'rsi_oversold_exit']).toContain(t.setup);
    }
  });

  it('an active learned rule blocks the matching buys of its setup and is named in the reason', async () => {
    const rule = {
      id: 7,
      setup: 'macd_cross_up',
      conditions: [{ feature: 'rsi_14', op: '>=' as const, value: 0 }],
      status: 'active' as const,
      support: 40,
      successes: 10,
      successRate: 0.25,
      baseRate: 0.5,
      lift: 1.5,
    };
    const { decisions } = await session({ ...DEFAULT_LIVE, rules: [rule] });
    const macd = decisions.filter(
      (d) => d.setup === 'macd_cross_up' && (d.action === 'buy' || d.action === 'skip'),
    );
    expect(macd.length).toBeGreaterThan(0);
    expect(macd.every((d) => d.action === 'skip')).toBe(true);
    expect(
      macd.some((d) => d.reason.startsWith('macd_cross_up: learned rule #7 (macd_cross_up: rsi_14 >= 0)')),
    ).toBe(true);
    expect(decisions.some((d) => d.setup === 'rsi_oversold_exit' && d.action === 'buy')).toBe(true);
  });
});
