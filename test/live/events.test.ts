import { describe, expect, it } from 'vitest';
import { LiveEvent, NdjsonEvents, parseEvent } from '../../shared/live/events.ts';
import { DEFAULT_REPLAY, replayEvents } from '../../shared/live/replay.ts';

const trade = { id: 't1', kind: 'trade', ts: 1_700_000_000_000, symbol: 'AAPL', price: 190.5, size: 100 };

describe('live events', () => {
  it('parses every kind and refuses what is not an event, with the reason', () => {
    expect(parseEvent(JSON.stringify(trade))).toEqual(trade);
    const bar = {
      id: 'b',
      kind: 'bar',
      ts: 1,
      symbol: 'BTC',
      interval: '1m',
      open: 1,
      high: 2,
      low: 0.5,
      close: 1.5,
      volume: 10,
    };
    expect(parseEvent(JSON.stringify(bar))).toEqual(bar);
    expect(parseEvent('{"id":"p","kind":"pool","ts":1,"symbols":["A","B"]}')).toMatchObject({ kind: 'pool' });
    expect(
      parseEvent('{"id":"n","kind":"news","ts":1,"symbol":"A","headline":"A beats estimates"}'),
    ).toMatchObject({ kind: 'news' });
    expect(
      parseEvent('{"id":"v","kind":"volatility","ts":1,"symbol":"A","state":"burst","ratio":3}'),
    ).toMatchObject({ kind: 'volatility' });
    expect(
      parseEvent(
        '{"id":"q","kind":"quote","ts":1,"symbol":"A","bid":1,"ask":1.01,"bid_size":5,"ask_size":5}',
      ),
    ).toMatchObject({ kind: 'quote' });
    expect(parseEvent('{nope')).toMatch(/^not JSON/);
    expect(parseEvent('[1]')).toBe('not a JSON object');
    expect(parseEvent('{"kind":"order"}')).toBe('unknown kind "order"');
    expect(parseEvent(JSON.stringify({ ...trade, price: -1 }))).toMatch(/^price: /);
    expect(parseEvent(JSON.stringify({ ...trade, symbol: 'aapl; drop' }))).toMatch(/^symbol: /);
    expect(parseEvent(JSON.stringify({ ...bar, high: 1.2 }))).toMatch(/low <= open, close <= high/);
    expect(
      parseEvent('{"id":"q","kind":"quote","ts":1,"symbol":"A","bid":2,"ask":1,"bid_size":5,"ask_size":5}'),
    ).toMatch(/bid <= ask/);
    expect(parseEvent(JSON.stringify({ ...trade, ts: 'yesterday' }))).toMatch(/^ts: /);
  });

  it('counts malformed lines with their numbers across chunk boundaries and never throws', () => {
    const lines = [
      JSON.stringify(trade),
      '',
      'garbage',
      JSON.stringify({ ...trade, id: 't2' }),
      '{"kind":"trade"}',
      '\u0000\uffff',
      JSON.stringify({ ...trade, id: 't3' }),
    ];
    const text = `${lines.join('\r\n')}`;
    // Every split point: chunking must not change the result.
    for (const cut of [1, 7, 50, text.length - 3]) {
      const r = new NdjsonEvents();
      const events = [...r.push(text.slice(0, cut)), ...r.push(text.slice(cut)), ...r.end()];
      expect(events.map((e) => e.id)).toEqual(['t1', 't2', 't3']);
      expect(r.malformedCount).toBe(3);
      expect(r.malformed.map((m) => m.line)).toEqual([3, 5, 6]);
      expect(r.lines).toBe(7);
    }
  });

  it('bounds a line without a newline and goes on after it', () => {
    const r = new NdjsonEvents(100);
    r.push('x'.repeat(60));
    r.push('y'.repeat(60));
    const events = r.push(`zzz\n${JSON.stringify(trade)}\n`);
    expect(events.map((e) => e.id)).toEqual(['t1']);
    expect(r.malformed).toEqual([{ line: 1, error: 'line longer than 100 characters' }]);
    expect(r.lines).toBe(2);
  });

  it('replays the same session for the same seed, every event valid, in time order', () => {
    const opts = { ...DEFAULT_REPLAY, minutes: 5, symbols: ['A', 'B', 'C'] };
    const a = [...replayEvents(opts)];
    const b = [...replayEvents(opts)];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify([...replayEvents({ ...opts, seed: 'other' })])).not.toBe(JSON.stringify(a));
    for (const e of a) expect(parseEvent(JSON.stringify(e))).toEqual(e);
    for (let i = 1; i < a.length; i++) expect(a[i]!.ts).toBeGreaterThanOrEqual(a[i - 1]!.ts);
    const kinds = new Set(a.map((e) => e.kind));
    expect(kinds).toEqual(
      new Set([
        'pool',
        'trade',
        'quote',
        'bar',
        ...(kinds.has('news') ? ['news'] : []),
        ...(kinds.has('volatility') ? ['volatility'] : []),
      ]),
    );
    expect(a.filter((e) => e.kind === 'bar')).toHaveLength(15);
    expect(new Set(a.map((e) => e.id)).size).toBe(a.length);
    const long = [...replayEvents({ ...DEFAULT_REPLAY, minutes: 120 })];
    expect(long.some((e) => e.kind === 'news')).toBe(true);
    expect(long.some((e) => e.kind === 'volatility' && e.state === 'burst')).toBe(true);
    expect([...replayEvents({ ...opts, maxEvents: 10 })]).toHaveLength(10);
  });

  it('the fast path for trades, quotes and bars gives the schema answer on mutated events', () => {
    const events = [...replayEvents({ ...DEFAULT_REPLAY, minutes: 3, symbols: ['A', 'B'] })].filter((e) =>
      ['trade', 'quote', 'bar'].includes(e.kind),
    );
    const values: unknown[] = [
      -1,
      0,
      0.5,
      1e9,
      2 ** 60,
      '1',
      null,
      true,
      [],
      {},
      'buy',
      'sell',
      '1m',
      '1d',
      'A',
      'a',
      '',
      'x'.repeat(201),
      1.5,
    ];
    let rejected = 0;
    for (const [n, e] of events.entries()) {
      const keys = [...Object.keys(e), 'side', 'extra'];
      const key = keys[n % keys.length]!;
      for (const v of values) {
        const raw = { ...e, [key]: v } as Record<string, unknown>;
        const zod = LiveEvent.safeParse(raw);
        const ours = parseEvent(JSON.stringify(raw));
        if (zod.success) expect(ours, `${key}=${JSON.stringify(v)}`).toEqual(zod.data);
        else {
          rejected++;
          expect(typeof ours, `${key}=${JSON.stringify(v)}`).toBe('string');
        }
      }
    }
    expect(rejected).toBeGreaterThan(1000);
  });
});
