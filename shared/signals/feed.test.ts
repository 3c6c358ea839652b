import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { SignalFeed } from '../api/contracts/signals.ts';
import type { Direction } from '../domain/market.ts';
import { changeFeed } from './feed.ts';
import { createTemplate } from './store.ts';

// Stored days: AAA and BBB on Thu 2026-01-08, Fri 01-09 and Mon 01-12 (the weekend is no gap);
// CCC skips Fri, so its previous stored day for Monday is Thursday. DDD is crypto, stored Mon only.

const template = (id: string, direction: Direction) => ({
  id,
  name: `Test ${id}`,
  description: 'test template',
  direction,
  asset_types: ['equity', 'crypto'],
  when: { left: { feature: 'close' }, op: '>', right: { value: 0 } },
  strength: { base: 50, terms: [] },
  evidence: [],
});

describe('changeFeed', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { sql } = db;
    const assets = await sql<{ id: number; symbol: string }[]>`
      insert into assets (symbol, asset_type) values
        ('AAA', 'equity'), ('BBB', 'equity'), ('CCC', 'equity'), ('DDD', 'crypto')
      returning id, symbol`;
    const id = Object.fromEntries(assets.map((a) => [a.symbol, a.id]));
    const days: [string, string[]][] = [
      ['AAA', ['2026-01-08', '2026-01-09', '2026-01-12']],
      ['BBB', ['2026-01-08', '2026-01-09', '2026-01-12']],
      ['CCC', ['2026-01-08', '2026-01-12']],
      ['DDD', ['2026-01-12']],
    ];
    const rows = days.flatMap(([s, dates]) => dates.map((date) => ({ asset_id: id[s]!, date })));
    await sql`insert into daily_features ${sql(rows, 'asset_id', 'date')}`;
    await createTemplate(sql, template('up', 'bullish'));
    await createTemplate(sql, template('down', 'bearish'));
    const facts: [string, string, string, number][] = [
      ['AAA', '2026-01-08', 'up', 10], // before the previous day: irrelevant to Monday
      ['AAA', '2026-01-09', 'up', 40],
      ['AAA', '2026-01-12', 'up', 60], // active
      ['AAA', '2026-01-12', 'down', 70], // new
      ['BBB', '2026-01-09', 'down', 30], // ended
      ['CCC', '2026-01-08', 'up', 20], // ended: Thursday is CCC's previous stored day
      ['DDD', '2026-01-12', 'up', 90], // new, first stored day
    ];
    for (const [s, date, tpl, strength] of facts) {
      await sql`
        insert into daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
        values (${id[s]!}, ${date}, ${tpl}, 1, ${tpl === 'up' ? 'bullish' : 'bearish'}, ${strength}, '{}'::jsonb)`;
    }
  });
  afterAll(() => db.drop());

  it('splits a day into new, active and ended against each asset’s previous stored day', async () => {
    const feed = SignalFeed.parse(await changeFeed(db.sql, { date: '2026-01-12' }));
    expect(feed.counts).toEqual({ new: 2, active: 1, ended: 2 });
    expect(feed.items.map((i) => [i.change, i.symbol, i.template, i.strength, i.previous_strength])).toEqual([
      ['new', 'DDD', 'up', 90, null],
      ['new', 'AAA', 'down', 70, null],
      ['active', 'AAA', 'up', 60, 40],
      ['ended', 'BBB', 'down', 30, 30],
      ['ended', 'CCC', 'up', 20, 20],
    ]);
    expect(feed.items[0]).toEqual({
      change: 'new',
      template: 'up',
      template_version: 1,
      name: 'Test up',
      symbol: 'DDD',
      asset_type: 'crypto',
      direction: 'bullish',
      strength: 90,
      previous_date: null,
      previous_strength: null,
    });
    expect(feed.items.find((i) => i.symbol === 'CCC')!.previous_date).toBe('2026-01-08');
    expect(feed.items.find((i) => i.symbol === 'BBB')).toMatchObject({
      direction: 'bearish',
      previous_date: '2026-01-09',
    });
  });

  it('limits the feed to a universe', async () => {
    const feed = await changeFeed(db.sql, { date: '2026-01-12', universe: 'crypto_all' });
    expect(feed.universe).toBe('crypto_all');
    expect(feed.items.map((i) => [i.change, i.symbol])).toEqual([['new', 'DDD']]);
  });

  it('on a day an asset has no stored row, nothing of it is reported as ended', async () => {
    const feed = await changeFeed(db.sql, { date: '2026-01-09' });
    expect(feed.items.map((i) => [i.change, i.symbol, i.template])).toEqual([
      ['new', 'BBB', 'down'],
      ['active', 'AAA', 'up'],
    ]);
  });

  it('an unknown universe is not found', async () => {
    await expect(changeFeed(db.sql, { date: '2026-01-12', universe: 'nope' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
