import { useQuery } from '@tanstack/react-query';
import type { FeatureDictionaryEntry } from '../../../shared/api/contracts/features.ts';
import { featuresQuery } from '../api/queries/features.ts';

export type Dictionary = ReadonlyMap<string, FeatureDictionaryEntry>;

const EMPTY: Dictionary = new Map();

function toMap(data: { items: FeatureDictionaryEntry[] }): Dictionary {
  return new Map(data.items.map((e) => [e.name, e]));
}

/** The feature dictionary by name; empty while loading or when it failed (callers fall back to names). */
export function useDictionary(): { dictionary: Dictionary; error: unknown } {
  const { data, error } = useQuery({ ...featuresQuery(), select: toMap });
  return { dictionary: data ?? EMPTY, error };
}
