import { describe, expect, it } from 'vitest';
import { syntheticInput } from '../../test/support/review-fixtures.ts';
import { buildMessages, currentPrompt } from './prompt.ts';
import { reviewPromptV1 } from './prompts/v1.ts';
import { reviewPromptV2 } from './prompts/v2.ts';
import type { ReviewInput } from './types.ts';

function input(): ReviewInput {
  const base = syntheticInput(21, { price: 50 });
  base.asset = { id: 21, symbol: 'ACME', assetType: 'equity', name: 'Acme Corp' };
  base.bars.at(-1)!.close = 187.42;
  base.features = {
    rsi_14: 63.456789123,
    atr_14: 2.3456789,
    sma_200: null,
    obv: 123456789,
    ret_5: -0.0123456789,
  };
  base.signals = [
    {
      template: 'breakout_volume',
      direction: 'bullish',
      strength: 77.5,
      evidence: { volume_ratio: 2.345678912, close: 187.42, confirmed: true, note: null },
    },
  ];
  return base;
}

describe('review prompt v1', () => {
  it('names its version and states the 3-ATR entry rule', () => {
    expect(reviewPromptV1.version).toBe('review-v1');
    expect(reviewPromptV1.system).toMatch(/Use ONLY the numbers in the user message/);
    expect(reviewPromptV1.system).toMatch(/within 3 ATR/);
  });

  it('renders the asset, the last close and the last 30 bars as CSV', () => {
    const text = reviewPromptV1.user(input());
    expect(text).toContain('Asset: ACME (equity, Acme Corp)');
    expect(text).toContain('Last close: 187.42 on 2026-03-01');
    const rows = text.split('\n').filter((l) => /^\d{4}-\d{2}-\d{2},/.test(l));
    expect(rows).toHaveLength(30);
    expect(rows[0]!.startsWith('2026-01-31,')).toBe(true);
    expect(rows.at(-1)).toMatch(/^2026-03-01,[\d.]+,[\d.]+,[\d.]+,187\.42,\d+$/);
  });

  it('rounds key features to six significant digits, shows gaps, skips non-key ones', () => {
    const text = reviewPromptV1.user(input());
    expect(text).toContain('rsi_14=63.4568');
    expect(text).toContain('atr_14=2.34568');
    expect(text).toContain('ret_5=-0.0123457');
    expect(text).toContain('sma_200=n/a');
    expect(text).not.toContain('obv=');
  });

  it('lists signals with their evidence', () => {
    expect(reviewPromptV1.user(input())).toContain(
      '- breakout_volume: bullish, strength 77.5; evidence: close=187.42, confirmed=true, note=n/a, volume_ratio=2.34568',
    );
    expect(reviewPromptV1.user({ ...input(), signals: [] })).toContain('Signals that fired: none');
  });

  it('depends on the input only', () => {
    expect(reviewPromptV1.user(input())).toBe(reviewPromptV1.user(structuredClone(input())));
  });
});

describe('review prompt v2', () => {
  const flagged = (): ReviewInput => ({
    ...input(),
    maxEntryAtr: 2.5,
    quality: [
      { date: '2026-02-27', kind: 'flagged', reason: 'close moved 48% from\nthe previous close' },
      { date: '2026-03-01', kind: 'reconciliation', reason: 'alpaca close 187.42 vs yahoo 186.9' },
    ],
  });

  it('is the current prompt, sent as a system and a user message', () => {
    expect(currentPrompt).toBe(reviewPromptV2);
    expect(reviewPromptV2.version).toBe('review-v2');
    const messages = buildMessages(input());
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]!.content).toMatch(/Use ONLY the numbers in the user message/);
    expect(messages[0]!.content).toMatch(/Data-quality flags mark bars/);
  });

  it("sends v1's facts unchanged, then the entry limit and the data-quality flags, one line each", () => {
    const text = reviewPromptV2.user(flagged());
    expect(text.startsWith(`${reviewPromptV1.user(flagged())}\n`)).toBe(true);
    expect(text).toContain('Entry zone limit: within 2.5 ATR (atr_14) of the last close.');
    expect(text).toContain(
      'Data-quality flags on the dates shown:\n' +
        '- 2026-02-27 flagged: close moved 48% from the previous close\n' +
        '- 2026-03-01 reconciliation: alpaca close 187.42 vs yahoo 186.9',
    );
  });

  it('says when there are no flags and defaults the limit to 3 ATR', () => {
    const text = reviewPromptV2.user(input());
    expect(text).toContain('Entry zone limit: within 3 ATR (atr_14) of the last close.');
    expect(text.endsWith('Data-quality flags: none')).toBe(true);
  });
});
