import type { Dictionary } from '../../lib/useDictionary.ts';
import { DEFAULT_COLUMNS } from '../../screener/state.ts';
import { byCategory } from './FeatureSelect.tsx';

/** Chooses the feature columns: a disclosure with one checkbox per feature, descriptions as tooltips. */
export function ColumnPicker({
  columns,
  dictionary,
  onChange,
}: {
  columns: string[];
  dictionary: Dictionary;
  onChange: (columns: string[]) => void;
}) {
  const chosen = new Set(columns);
  const toggle = (name: string, on: boolean) =>
    onChange(on ? [...columns.filter((c) => c !== name), name] : columns.filter((c) => c !== name));
  return (
    <details className="column-picker">
      <summary className="btn small">Columns ({columns.length})</summary>
      <div className="column-panel">
        <div className="row">
          <button type="button" className="btn small" onClick={() => onChange([...DEFAULT_COLUMNS])}>
            Default
          </button>
          <button type="button" className="btn small" onClick={() => onChange([])}>
            None
          </button>
        </div>
        {dictionary.size === 0 && <p className="muted small">Loading the feature dictionary…</p>}
        {byCategory(dictionary).map(([category, entries]) => (
          <fieldset key={category}>
            <legend>{category.replace('_', ' ')}</legend>
            {entries.map((e) => (
              <label key={e.name} className="toggle" title={e.description}>
                <input
                  type="checkbox"
                  checked={chosen.has(e.name)}
                  onChange={(ev) => toggle(e.name, ev.target.checked)}
                />
                <span className="mono">{e.name}</span>
              </label>
            ))}
          </fieldset>
        ))}
      </div>
    </details>
  );
}
