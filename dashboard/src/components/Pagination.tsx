import { formatInt } from '../lib/format.ts';

const SIZES = [25, 50, 100, 200];

export function Pagination({
  total,
  limit,
  offset,
  onChange,
}: {
  total: number;
  limit: number;
  offset: number;
  onChange: (next: { limit: number; offset: number }) => void;
}) {
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <div className="pagination">
      <span className="num">
        {formatInt(first)}–{formatInt(last)} of {formatInt(total)}
      </span>
      <button
        type="button"
        className="btn small"
        disabled={offset === 0}
        onClick={() => onChange({ limit, offset: Math.max(0, offset - limit) })}
      >
        ‹ prev
      </button>
      <button
        type="button"
        className="btn small"
        disabled={offset + limit >= total}
        onClick={() => onChange({ limit, offset: offset + limit })}
      >
        next ›
      </button>
      <label className="muted">
        rows{' '}
        <select value={limit} onChange={(e) => onChange({ limit: Number(e.target.value), offset: 0 })}>
          {SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
