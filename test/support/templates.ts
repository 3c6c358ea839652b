/** A user template that fires on every equity with a close: easy to count. */
export const everyEquity = (id: string, base = 50) => ({
  id,
  name: `Every equity (${id})`,
  description: 'Fires on every equity with a close',
  direction: 'bullish',
  asset_types: ['equity'],
  when: { left: { feature: 'close' }, op: '>', right: { value: 0 } },
  strength: { base, terms: [] },
  evidence: ['close'],
});

/** A small long-only RSI strategy over catalogue features: a valid body for the strategy routes. */
export const rsiStrategy = (id: string) => ({
  id,
  name: `Sample RSI (${id})`,
  description: 'Long below RSI 40, out above 60.',
  type: 'MR',
  asset_types: ['equity'],
  entry: { long: { when: { left: { feature: 'rsi_14' }, op: '<', right: { value: 40 } } }, max_positions: 5 },
  exit: { signal: { long: { left: { feature: 'rsi_14' }, op: '>', right: { value: 60 } } } },
  sizing: { mode: 'equal' },
});
