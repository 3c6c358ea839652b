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
