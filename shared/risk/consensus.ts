import type { RiskDecision } from './types.ts';

/** The sources consensus counts, each an opinion in [-1, 1] or null for an abstention. */
export interface ConsensusSources {
  signals: number | null;
  review: number | null;
  sentiment: number | null;
  momentum: number | null;
}

/**
 * Consensus: at least `minPositive` sources strictly positive. Abstentions (null) neither help nor hurt, so an
 * asset with two positive sources and two silent ones passes a minimum of 2.
 */
export function consensus(sources: ConsensusSources, minPositive: number): RiskDecision {
  const entries = Object.entries(sources) as [keyof ConsensusSources, number | null][];
  const positive = entries.filter(([, v]) => v !== null && v > 0).map(([k]) => k);
  const voting = entries.filter(([, v]) => v !== null).length;
  const allow = positive.length >= minPositive;
  return {
    rule: 'consensus',
    allow,
    sizeMultiplier: 1,
    reason:
      `${positive.length} of ${voting} voting sources positive` +
      `${positive.length > 0 ? ` (${positive.join(', ')})` : ''}, ${allow ? 'at least' : 'fewer than'} ${minPositive}`,
  };
}
