import type { FeatureDictionaryEntry } from '../../../../shared/api/contracts/features.ts';
import type { Dictionary } from '../../lib/useDictionary.ts';

/** Dictionary entries by category, categories and names in a stable order. */
export function byCategory(dictionary: Dictionary): [string, FeatureDictionaryEntry[]][] {
  const groups = new Map<string, FeatureDictionaryEntry[]>();
  for (const e of dictionary.values()) {
    const list = groups.get(e.category) ?? [];
    list.push(e);
    groups.set(e.category, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, list]) => [c, list.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))]);
}

/** A feature picker grouped by category; the current value stays selectable before the dictionary loads. */
export function FeatureSelect({
  value,
  dictionary,
  onChange,
  label,
}: {
  value: string;
  dictionary: Dictionary;
  onChange: (name: string) => void;
  label: string;
}) {
  return (
    <select
      aria-label={label}
      value={value}
      title={dictionary.get(value)?.description}
      onChange={(e) => onChange(e.target.value)}
    >
      {!dictionary.has(value) && <option value={value}>{value}</option>}
      {byCategory(dictionary).map(([category, entries]) => (
        <optgroup key={category} label={category.replace('_', ' ')}>
          {entries.map((e) => (
            <option key={e.name} value={e.name} title={e.description}>
              {e.name}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
