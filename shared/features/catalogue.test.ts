import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FEATURES } from './catalogue.ts';

const MIGRATION = new URL('../../supabase/migrations/20261122000100_core_schema.sql', import.meta.url);

/** Column names of `daily_features` between `date` and `computed_at`, read from the migration. */
function dailyFeatureColumns(): string[] {
  const sql = readFileSync(MIGRATION, 'utf8');
  const body = /create table public\.daily_features \(([\s\S]*?)\n\);/.exec(sql)?.[1];
  if (!body) throw new Error('daily_features not found in the migration');
  const columns = body
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter(
      (word) =>
        /^[a-z_0-9]+$/.test(word) && !['primary', 'unique', 'check', 'constraint', 'foreign'].includes(word),
    );
  return columns.slice(columns.indexOf('date') + 1, columns.indexOf('computed_at'));
}

describe('feature catalogue', () => {
  it('lists exactly the daily_features feature columns, in column order', () => {
    expect(FEATURE_NAMES).toEqual(dailyFeatureColumns());
  });

  it('gives every feature a one-line description, a unit and a non-negative integer lookback', () => {
    for (const f of FEATURES) {
      expect(f.description, f.name).toMatch(/^[^\n]{10,120}$/);
      expect(f.unit, f.name).not.toBe('');
      expect(Number.isInteger(f.lookback) && f.lookback >= 0, f.name).toBe(true);
    }
  });

  it('has no duplicate names', () => {
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_NAMES.length);
  });
});
