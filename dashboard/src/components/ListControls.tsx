import { LIVE_POLL_MS } from '../lib/runs.ts';

// The list pages' shared controls: how many rows to show, and the badge of a list being followed live.

const PAGE_SIZES = [25, 50, 100, 200] as const;

/** The "show N" select of a list card (`${id}-limit`). */
export function PageSizeSelect({
  id,
  limit,
  onChange,
}: {
  id: string;
  limit: number;
  onChange: (limit: number) => void;
}) {
  return (
    <>
      <label htmlFor={`${id}-limit`}>show</label>
      <select id={`${id}-limit`} value={limit} onChange={(e) => onChange(Number(e.target.value))}>
        {PAGE_SIZES.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </>
  );
}

/** The page title's badge while `what` (e.g. "run") is in progress and the list polls. */
export function LiveBadge({ what }: { what: string }) {
  return (
    <span className="badge status-running" role="status">
      {what} in progress · refreshing every {LIVE_POLL_MS / 1000} s
    </span>
  );
}
