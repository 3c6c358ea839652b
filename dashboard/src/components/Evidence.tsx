import { formatSmart } from '../lib/format.ts';

function show(value: unknown): string {
  if (typeof value === 'number') return formatSmart(value);
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A signal's evidence: the feature values that made it fire. */
export function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <span className="evidence">
      {entries.map(([k, v]) => (
        <span key={k} className="kv">
          <span className="muted">{k}</span> <span className="num">{show(v)}</span>
        </span>
      ))}
    </span>
  );
}
