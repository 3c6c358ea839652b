import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ASSET_FEATURE_NAMES, FEATURE_NAMES, FEATURES, UNIVERSE_FEATURE_NAMES } from './catalogue.ts';

const MIGRATIONS = new URL('../../supabase/migrations/', import.meta.url);
const NOT_FEATURES = new Set(['asset_id', 'date', 'computed_at']);

/** Every `daily_features` column the migrations create or add, in the order they appear. */
function dailyFeatureColumns(): string[] {
  const columns: string[] = [];
  for (const file of readdirSync(MIGRATIONS).sort()) {
    const sql = readFileSync(new URL(file, MIGRATIONS), 'utf8');
    const body = /create table public\.daily_features \(([\s\S]*?)\n\);/.exec(sql)?.[1] ?? '';
    for (const line of body.split('\n')) {
      const word = line.trim().split(/\s+/)[0] ?? '';
      if (
        /^[a-z_0-9]+$/.test(word) &&
        !['primary', 'unique', 'check', 'constraint', 'foreign'].includes(word)
      ) {
        columns.push(word);
      }
    }
    for (const alter of sql.matchAll(/alter table public\.daily_features([\s\S]*?);/g)) {
      for (const m of alter[1]!.matchAll(/add column ([a-z_0-9]+) double precision/g)) columns.push(m[1]!);
    }
  }
  return columns.filter((c) => !NOT_FEATURES.has(c));
}

describe('feature catalogue', () => {
  it('lists exactly the daily_features feature columns the migrations create', () => {
    const columns = dailyFeatureColumns();
    expect(new Set(columns).size).toBe(columns.length);
    expect([...FEATURE_NAMES].sort()).toEqual([...columns].sort());
  });

  it('has at least 100 features across every category', () => {
    expect(FEATURES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(FEATURES.map((f) => f.category))).toEqual(
      new Set([
        'returns',
        'trend',
        'momentum',
        'volatility',
        'volume',
        'price_structure',
        'candle',
        'pattern',
        'relative',
      ]),
    );
  });

  it('gives every feature a one-line description, a unit and a non-negative integer lookback', () => {
    for (const f of FEATURES) {
      expect(f.description, f.name).toMatch(/^[^\n]{10,120}$/);
      expect(f.unit, f.name).not.toBe('');
      expect(Number.isInteger(f.lookback) && f.lookback >= 0, f.name).toBe(true);
      expect(f.name, f.name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it('has no duplicate names and splits into asset-scoped and universe-ranked features', () => {
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_NAMES.length);
    expect(ASSET_FEATURE_NAMES.length + UNIVERSE_FEATURE_NAMES.length).toBe(FEATURE_NAMES.length);
    expect(UNIVERSE_FEATURE_NAMES).toEqual(['rank_ret_20', 'rank_ret_60']);
  });
});
