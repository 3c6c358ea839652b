import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { createContext } from '../../shared/config.ts';
import { startRun } from '../../shared/pipeline/queue.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import type { SignalFact } from '../../shared/signals/evaluate.ts';
import { type Condition, parseTemplate, type SignalTemplate } from '../../shared/signals/schema.ts';
import { evaluateSignals } from '../../shared/stages/signals/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// Six equities on five stored dates, with hand-picked closes and 20/60-day returns; T4 has no
// ret_20 (unranked) and T2 no row on the 19th (a gap), so ranks, held and change are easy to check.
const DATES = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];
const LAST = DATES[4]!;
type Day = { close: number; ret_20: number | null; ret_60: number } | null;
const DATA: Record<string, Day[]> = {
  T1: [99, 99, 101, 101, 101].map((close) => ({ close, ret_20: 0.1, ret_60: 0.9 })),
  T2: [
    { close: 99, ret_20: 0.2, ret_60: 0.1 },
    { close: 101, ret_20: 0.2, ret_60: 0.1 },
    { close: 101, ret_20: 0.2, ret_60: 0.1 },
    null,
    { close: 101, ret_20: 0.2, ret_60: 0.1 },
  ],
  T3: [101, 101, 99, 101, 101].map((close) => ({ close, ret_20: 0.2, ret_60: 0.2 })),
  T4: [100, 100, 100, 100, 100].map((close) => ({ close, ret_20: null, ret_60: 0.3 })),
  T5: [100, 100, 100, 100, 100].map((close, i) => ({ close, ret_20: 0.5, ret_60: i === 4 ? 0.95 : 0.05 })),
  T6: [80, 90, 100, 110, 120].map((close) => ({ close, ret_20: 0.4, ret_60: 0.5 })),
};

function template(id: string, when: Condition): SignalTemplate {
  return parseTemplate({
    id,
    version: 1,
    name: id,
    description: `Test template ${id}.`,
    direction: 'neutral',
    asset_types: ['equity'],
    when,
    strength: { base: 50, terms: [] },
    evidence: ['close'],
  });
}

describe('the signals stage on the embedded Postgres', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  const ids: Record<string, number> = {};
  const symbolOf = (id: number) => Object.keys(ids).find((s) => ids[s] === id)!;
  /** Fired (symbol, template, date) triples, sorted, for comparisons. */
  const fired = (facts: readonly SignalFact[]) =>
    facts.map((f) => `${symbolOf(f.assetId)} ${f.template} ${f.date}`).sort();
  const evaluate = (templates: SignalTemplate[], symbols: string[], from = LAST, to = LAST) =>
    evaluateSignals(ctx, {
      templates,
      universe: 'equity_all',
      assetIds: symbols.map((s) => ids[s]!),
      from,
      to,
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = createContext({ DATABASE_URL: db.url }, { sql: db.sql });
    const symbols = Object.keys(DATA);
    const assets = await db.sql<{ id: number; symbol: string }[]>`
      insert into assets (symbol, asset_type) select unnest(${symbols}::text[]), 'equity' returning id, symbol`;
    for (const a of assets) ids[a.symbol] = a.id;
    const rows = symbols.flatMap((s) =>
      DATA[s]!.flatMap((d, i) => (d ? [{ asset_id: ids[s]!, date: DATES[i]!, ...d }] : [])),
    );
    await db.sql`
      insert into daily_bars ${db.sql(
        rows.map((r) => ({ ...r, open: r.close, high: r.close, low: r.close, volume: 1000, source: 'test' })),
        'asset_id',
        'date',
        'open',
        'high',
        'low',
        'close',
        'volume',
        'source',
      )}`;
    await db.sql`insert into daily_features ${db.sql(rows, 'asset_id', 'date', 'ret_20', 'ret_60')}`;
  });
  afterAll(() => db.drop());

  describe('rank', () => {
    const top = template('top', { rank: 'ret_20', op: '>=', value: 0.75 });
    const tied = template('tied', { rank: 'ret_20', op: '==', value: 0.25 });
    const lowest = template('lowest', { rank: 'ret_20', op: '<=', value: 0 });
    const all = Object.keys(DATA);

    it('ranks as percent_rank: ties share the lowest rank, nulls are unranked', async () => {
      expect(fired(await evaluate([top, tied, lowest], all))).toEqual([
        `T1 lowest ${LAST}`,
        `T2 tied ${LAST}`,
        `T3 tied ${LAST}`,
        `T5 top ${LAST}`,
        `T6 top ${LAST}`,
      ]);
    });

    it('agrees with a direct percent_rank over the universe that day', async () => {
      const direct = await db.sql<{ asset_id: number; r: number }[]>`
        select asset_id, percent_rank() over (order by ret_20) as r
        from daily_features where date = ${LAST} and ret_20 is not null`;
      const byThreshold = await evaluate([top], all);
      expect(fired(byThreshold)).toEqual(fired(direct.filter((d) => d.r >= 0.75).map(asFact('top'))));
    });

    it('ranks across the whole universe, whatever chunk of it a job evaluates', async () => {
      const whole = fired(await evaluate([top, tied, lowest], all));
      const oneByOne = (await Promise.all(all.map((s) => evaluate([top, tied, lowest], [s])))).flatMap(fired);
      const halves = [
        ...fired(await evaluate([top, tied, lowest], ['T1', 'T2', 'T3'])),
        ...fired(await evaluate([top, tied, lowest], ['T4', 'T5', 'T6'])),
      ];
      expect(oneByOne.sort()).toEqual(whole);
      expect(halves.sort()).toEqual(whole);
    });

    it('reads ranks on stored days before `from` for a held rank', async () => {
      const heldTop = template('held_top', { held: { rank: 'ret_60', op: '>=', value: 0.8 }, days: 2 });
      // T1 leads on both days; T5 only today.
      expect(fired(await evaluate([heldTop], all))).toEqual([`T1 held_top ${LAST}`]);
    });
  });

  describe('history', () => {
    const held3 = template('held3', {
      held: { left: { feature: 'close' }, op: '>', right: { value: 100 } },
      days: 3,
    });
    const up50pct = template('up50pct', {
      change: { feature: 'close' },
      days: 4,
      mode: 'pct',
      op: '>=',
      value: 0.5,
    });

    it('reads the stored rows before `from`, across gaps, and evaluates each date of the range', async () => {
      // T2 has no row on the 19th: its last three stored days are the 17th, 18th and 20th.
      expect(fired(await evaluate([held3], ['T1', 'T2', 'T3'], DATES[3]!, LAST))).toEqual([
        `T1 held3 ${LAST}`,
        `T2 held3 ${LAST}`,
      ]);
    });

    it('compares with the row N stored days back: 80 -> 120 is +50%', async () => {
      expect(fired(await evaluate([up50pct], ['T6', 'T1']))).toEqual([`T6 up50pct ${LAST}`]);
      expect(await evaluate([up50pct], ['T6'], DATES[3]!, DATES[3]!)).toEqual([]);
    });
  });

  it('the stage replaces the facts of the range: a corrected input drops its fact, a rerun converges', async () => {
    const facts = () =>
      db.sql`select asset_id, date::text, template, template_version, strength, evidence
             from daily_signal_facts order by 1, 2, 3`;
    const custom = template('close_above_100', {
      left: { feature: 'close' },
      op: '>',
      right: { value: 100 },
    });
    await db.sql`update signal_templates set enabled = false`;
    await db.sql`
      insert into signal_templates (id, version, name, description, direction, definition)
      values (${custom.id}, 1, ${custom.name}, ${custom.description}, 'neutral', ${db.sql.json(custom as never)})`;
    expect(await facts()).toEqual([]);
    const run = () =>
      startRun(ctx, {
        stage: 'signals',
        date: LAST,
        universe: 'equity_all',
        chain: false,
        rerun: true,
        params: { from: DATES[0] },
      }).then(() => drainUntilIdle(ctx, 'signals-test'));

    await run();
    const first = await facts();
    // T1: 18th-20th; T2: 17th, 18th, 20th; T3: 16th, 17th, 19th, 20th; T6: 19th, 20th.
    expect(first).toHaveLength(12);
    await run();
    expect(await facts()).toEqual(first);

    await db.sql`update daily_bars set close = 99, open = 99, high = 99, low = 99
                 where asset_id = ${ids.T1!} and date = ${LAST}`;
    await run();
    const after = await facts();
    expect(after).toHaveLength(11);
    expect(after.some((f) => f.asset_id === ids.T1 && f.date === LAST)).toBe(false);
  });

  /** A direct SQL row as the fact a template would give it on the last date. */
  function asFact(template: string) {
    return (d: { asset_id: number }): SignalFact => ({
      assetId: d.asset_id,
      date: LAST,
      template,
      templateVersion: 1,
      direction: 'neutral',
      strength: 50,
      evidence: {},
    });
  }
});
