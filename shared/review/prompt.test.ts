import { describe, expect, it } from 'vitest';
import { syntheticInput } from '../../test/support/review-fixtures.ts';
import { buildMessages, currentPrompt } from './prompt.ts';
import { reviewPromptV1 } from './prompts/v1.ts';
import { reviewPromptV2 } from './prompts/v2.ts';
import { reviewPromptV3 } from './prompts/v3.ts';
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

  it('names its version and explains the data-quality flags', () => {
    expect(reviewPromptV2.version).toBe('review-v2');
    expect(reviewPromptV2.system).toMatch(/Use ONLY the numbers in the user message/);
    expect(reviewPromptV2.system).toMatch(/Data-quality flags mark bars/);
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

describe('review prompt v3', () => {
  // Last bar high 190, low 185, close 187.42: pivot 187.473, r1 189.947, s1 184.947, r2 192.473, s2 182.473.
  const levelled = (): ReviewInput => {
    const base = input();
    Object.assign(base.bars.at(-1)!, { high: 190, low: 185 });
    base.features = {
      ...base.features,
      atr_14: 2,
      bb_upper_20: 191.5,
      kc_lower_20: 181.25,
      dc_upper_55: 199,
      psar: null,
      dist_high_252: 187.42 / 210 - 1,
      dist_low_252: 187.42 / 120 - 1,
    };
    return base;
  };

  it('is the current prompt, sent as a system and a user message', () => {
    expect(currentPrompt).toBe(reviewPromptV3);
    expect(reviewPromptV3.version).toBe('review-v3');
    const messages = buildMessages(input());
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]!.content).toMatch(/Use ONLY the numbers in the user message/);
    expect(messages[0]!.content).toMatch(
      /must be one of the prices in\nthe user message, within the price tolerance/,
    );
    expect(messages[0]!.content).toMatch(/Data-quality flags mark bars/);
  });

  it("sends v1's facts, then reference levels, the entry limit, the price tolerance and the flags", () => {
    const text = reviewPromptV3.user({ ...levelled(), maxEntryAtr: 2.5 });
    expect(text.startsWith(`${reviewPromptV1.user(levelled())}\n`)).toBe(true);
    expect(text).toContain(
      'Reference price levels (latest day; 252 = 52 weeks; pivots from the last bar):\n' +
        'kc_lower_20=181.25\ndc_upper_55=199\nhigh_252=210\nlow_252=120\n' +
        'pivot=187.473\npivot_r1=189.947\npivot_s1=184.947\npivot_r2=192.473\npivot_s2=182.473\n\n' +
        'Entry zone limit: within 2.5 ATR (atr_14) of the last close.\n' +
        'Price tolerance: 0.9371 (the larger of 0.5% of the last close and 0.25 ATR); every price you give must be within it of a price above.\n\n' +
        'Data-quality flags: none',
    );
  });

  it('states every price it checks against, in the text it sends', () => {
    const inputs = [levelled(), input(), syntheticInput(5)];
    for (const x of inputs) {
      const text = reviewPromptV3.user(x);
      const prices = reviewPromptV3.prices(x);
      expect(prices.length).toBeGreaterThan(0);
      for (const p of prices) expect(text, String(p)).toContain(String(Number(p.toPrecision(6))));
    }
  });

  it("checks v1's bars and price features plus the reference levels", () => {
    const x = levelled();
    const shown = x.bars.slice(-30).flatMap((b) => [b.open, b.high, b.low, b.close]);
    expect(reviewPromptV1.prices(x)).toEqual([...shown, 191.5]);
    expect(
      reviewPromptV3
        .prices(x)
        .slice(shown.length + 1)
        .map((p) => Number(p.toPrecision(6))),
    ).toEqual([181.25, 199, 210, 120, 187.473, 189.947, 184.947, 192.473, 182.473]);
  });
});
