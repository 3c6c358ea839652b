import type { FeatureDictionaryEntry } from '../../../shared/api/contracts/features.ts';
import { errorMessage } from '../api/client.ts';
import { formatFeature, signClass } from '../lib/format.ts';
import type { Dictionary } from '../lib/useDictionary.ts';

const CATEGORY_ORDER = ['returns', 'trend', 'momentum', 'volatility', 'volume', 'price_structure'];

interface Row {
  name: string;
  value: number | null;
  entry: FeatureDictionaryEntry | undefined;
}

function group(features: Record<string, number | null>, dictionary: Dictionary): [string, Row[]][] {
  const byCategory = new Map<string, Row[]>();
  for (const [name, value] of Object.entries(features)) {
    const entry = dictionary.get(name);
    const category = entry?.category ?? 'other';
    const rows = byCategory.get(category) ?? [];
    rows.push({ name, value, entry });
    byCategory.set(category, rows);
  }
  const rank = (c: string) => {
    const i = CATEGORY_ORDER.indexOf(c);
    return i === -1 ? CATEGORY_ORDER.length : i;
  };
  return [...byCategory.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([c, rows]) => [c, rows.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))]);
}

/** Latest value of every feature, grouped by dictionary category. */
export function FeatureTable({
  features,
  dictionary,
  dictionaryError,
}: {
  features: Record<string, number | null>;
  dictionary: Dictionary;
  dictionaryError: unknown;
}) {
  const groups = group(features, dictionary);
  return (
    <section className="card">
      <div className="card-head">
        <h2>Features</h2>
        <span className="muted">latest values</span>
        {dictionaryError ? (
          <span className="neg small">feature dictionary unavailable ({errorMessage(dictionaryError)})</span>
        ) : null}
      </div>
      {groups.length === 0 ? (
        <div className="state empty">No features computed yet.</div>
      ) : (
        <div className="feature-groups">
          {groups.map(([category, rows]) => (
            <table key={category} className="grid features">
              <thead>
                <tr>
                  <th colSpan={3}>{category.replace('_', ' ')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.name}>
                    <td
                      className="mono"
                      title={r.entry ? `${r.entry.unit}, lookback ${r.entry.lookback}` : undefined}
                    >
                      {r.name}
                    </td>
                    <td className={`num ${r.entry?.unit === 'fraction' ? signClass(r.value) : ''}`}>
                      {formatFeature(r.value, r.entry)}
                    </td>
                    <td className="desc muted">{r.entry?.description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </div>
      )}
    </section>
  );
}
