import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { AiReview } from './schema.ts';

const valid: AiReview = {
  direction: 'bullish',
  attention_score: 72,
  confidence: 0.64,
  setup_type: 'breakout',
  summary: 'Close 101.2 cleared the prior 20-day high 100.8 on 1.9x volume.',
  levels: { support: [98.5, 95], resistance: [104] },
  trade_plan: {
    side: 'long',
    entry_zone: { low: 100.5, high: 101.5 },
    stop: 97.9,
    targets: [104, 107],
    horizon_days: 10,
    invalidation: 'A daily close below 97.9',
  },
  risks: ['RSI 74 is overbought.'],
  catalysts: ['breakout_volume fired.'],
};

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
};

// Strict structured outputs: every object closed, every property required, all the way down.
function assertStrict(schema: JsonSchema, path: string): void {
  if (schema.properties) {
    expect(schema.additionalProperties, path).toBe(false);
    expect([...(schema.required ?? [])].sort(), path).toEqual(Object.keys(schema.properties).sort());
    for (const [k, child] of Object.entries(schema.properties)) assertStrict(child, `${path}.${k}`);
  }
  if (schema.items) assertStrict(schema.items, `${path}[]`);
  for (const branch of schema.anyOf ?? []) assertStrict(branch, `${path}|`);
}

describe('AiReview', () => {
  it('accepts a complete review', () => {
    expect(AiReview.parse(valid)).toEqual(valid);
  });

  it('rejects unknown keys, missing fields and out-of-range numbers', () => {
    expect(AiReview.safeParse({ ...valid, extra: 1 }).success).toBe(false);
    const { risks: _, ...missing } = valid;
    expect(AiReview.safeParse(missing).success).toBe(false);
    expect(AiReview.safeParse({ ...valid, attention_score: 101 }).success).toBe(false);
    expect(AiReview.safeParse({ ...valid, confidence: 1.2 }).success).toBe(false);
    expect(AiReview.safeParse({ ...valid, setup_type: 'A breakout, probably' }).success).toBe(false);
    const plan = (p: Partial<AiReview['trade_plan']>) => ({
      ...valid,
      trade_plan: { ...valid.trade_plan, ...p },
    });
    expect(AiReview.safeParse(plan({ targets: [1, 2, 3, 4] })).success).toBe(false);
    expect(AiReview.safeParse(plan({ horizon_days: 2.5 })).success).toBe(false);
    expect(AiReview.safeParse(plan({ stop: -1 })).success).toBe(false);
  });

  it('takes null, never a missing key, for an absent plan', () => {
    const none = {
      side: 'none',
      entry_zone: null,
      stop: null,
      targets: [],
      horizon_days: null,
      invalidation: '-',
    };
    expect(AiReview.safeParse({ ...valid, trade_plan: none }).success).toBe(true);
    const { stop: _, ...withoutStop } = none;
    expect(AiReview.safeParse({ ...valid, trade_plan: withoutStop }).success).toBe(false);
  });

  it('converts through the openai zod helper into a strict json_schema response format', () => {
    const format = zodResponseFormat(AiReview, 'ai_review');
    expect(format.type).toBe('json_schema');
    expect(format.json_schema.strict).toBe(true);
    assertStrict(format.json_schema.schema as JsonSchema, 'ai_review');
    const props = (format.json_schema.schema as JsonSchema).properties!;
    expect(props.direction).toMatchObject({ enum: ['bullish', 'bearish', 'neutral'] });
    expect(props.trade_plan!.properties!.targets).toMatchObject({ maxItems: 3 });
  });
});
