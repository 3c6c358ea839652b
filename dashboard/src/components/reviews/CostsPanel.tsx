import { useQuery } from '@tanstack/react-query';
import { reviewCostsQuery } from '../../api/queries/reviews.ts';
import { formatCompact, formatDuration, formatInt } from '../../lib/format.ts';
import { StatusBadge } from '../Badges.tsx';
import { Empty, ErrorBox, Loading } from '../QueryState.tsx';
import { costTotals, formatUsd } from './reviewData.ts';

const RUN_STATUSES: readonly string[] = ['running', 'succeeded', 'partial', 'failed'];

/** What each review run cost (the server's default range): reviews, cache hits, tokens, dollars, wall time. */
export function CostsPanel() {
  const costs = useQuery(reviewCostsQuery({}));
  const rows = costs.data?.items ?? [];
  const total = costTotals(rows);
  return (
    <section className="card">
      <div className="card-head">
        <h2>Cost per run</h2>
        {rows.length > 0 && (
          <span className="muted small">
            {formatUsd(total.costUsd)} over {formatInt(total.runs)} runs
            {total.unpricedRuns > 0 ? ` (${total.unpricedRuns} with unpriced reviews)` : ''} ·{' '}
            {formatInt(total.reviewed)} reviews written, {formatInt(total.cached)} cached ·{' '}
            {formatUsd(total.costPerReview)} per review
          </span>
        )}
      </div>
      {costs.isPending && <Loading what="review costs" />}
      {costs.isError && (
        <ErrorBox what="review costs" error={costs.error} onRetry={() => void costs.refetch()} />
      )}
      {costs.data && rows.length === 0 && <Empty>No review runs yet.</Empty>}
      {rows.length > 0 && (
        <div className="table-wrap scroll-y">
          <table className="grid">
            <thead>
              <tr>
                <th className="num">date</th>
                <th>universe</th>
                <th>status</th>
                <th className="num">written</th>
                <th className="num">cached</th>
                <th className="num">invalid</th>
                <th className="num">pending · errors</th>
                <th className="num">tokens in / out</th>
                <th className="num">cost</th>
                <th className="num">wall time</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.run_id}>
                  <td className="num">{r.run_date}</td>
                  <td className="mono">{r.universe}</td>
                  <td>
                    {RUN_STATUSES.includes(r.status) ? (
                      <StatusBadge status={r.status as 'running' | 'succeeded' | 'partial' | 'failed'} />
                    ) : (
                      r.status
                    )}
                  </td>
                  <td className="num">{formatInt(r.reviewed)}</td>
                  <td className="num">{formatInt(r.cached)}</td>
                  <td className={`num ${r.invalid > 0 ? 'neg' : ''}`}>{formatInt(r.invalid)}</td>
                  <td className={`num ${r.pending + r.errors > 0 ? 'warn' : ''}`}>
                    {formatInt(r.pending)} · {formatInt(r.errors)}
                  </td>
                  <td className="num">
                    {formatCompact(r.tokens_in)} / {formatCompact(r.tokens_out)}
                  </td>
                  <td
                    className="num"
                    title={r.unpriced > 0 ? `${r.unpriced} reviews by unpriced models` : undefined}
                  >
                    {r.cost_usd === null ? 'unpriced' : formatUsd(r.cost_usd)}
                  </td>
                  <td className="num">{r.status === 'running' ? '…' : formatDuration(r.wall_ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
