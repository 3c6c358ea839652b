import { useQuery } from '@tanstack/react-query';
import type { RunDetail } from '../../../../shared/api/contracts/runs.ts';
import { runDetailQuery } from '../../api/queries/runs.ts';
import { formatDateTime, formatDuration, formatInt } from '../../lib/format.ts';
import { assetHref } from '../../router.ts';
import { StatusBadge } from '../Badges.tsx';
import { Empty, ErrorBox, Loading } from '../QueryState.tsx';

const JOB_STATUS = { queued: 'running', running: 'running', done: 'succeeded', failed: 'failed' } as const;

/** A run's jobs (chunks of its universe) and the per-asset errors inside jobs that succeeded. */
export function RunJobs({ runId }: { runId: number }) {
  const detail = useQuery(runDetailQuery(runId));
  if (detail.isPending) return <Loading what={`jobs of run #${runId}`} />;
  if (detail.isError)
    return (
      <ErrorBox what={`jobs of run #${runId}`} error={detail.error} onRetry={() => void detail.refetch()} />
    );
  const { job_list: jobs, asset_errors: assetErrors } = detail.data;
  return (
    <div className="run-jobs">
      {jobs.length === 0 ? (
        <Empty>This run has no jobs (nothing to do for its universe).</Empty>
      ) : (
        <div className="table-wrap">
          <table className="grid">
            <caption className="sr-only">Jobs of run #{runId}</caption>
            <thead>
              <tr>
                <th className="num">chunk</th>
                <th>status</th>
                <th className="num">assets</th>
                <th className="num">attempts</th>
                <th className="num">duration</th>
                <th className="num">started</th>
                <th>error</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id}>
                  <td className="num">{j.chunk}</td>
                  <td>
                    <span className={`badge status-${JOB_STATUS[j.status]}`}>{j.status}</span>
                  </td>
                  <td className="num">{formatInt(j.size)}</td>
                  <td className={`num ${j.attempts > 1 ? 'warn' : ''}`}>
                    {j.attempts}/{j.max_attempts}
                  </td>
                  <td className="num">{formatDuration(j.duration_ms)}</td>
                  <td className="num muted">{formatDateTime(j.started_at)}</td>
                  <td className="error-text">{j.error ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AssetNotes title="Asset errors" notes={assetErrors.filter((e) => e.kind === 'error')} />
      <AssetNotes
        title="Served by a fallback provider"
        notes={assetErrors.filter((e) => e.kind === 'fallback')}
      />
      <p className="muted small">
        Run status <StatusBadge status={detail.data.status} /> · started{' '}
        {formatDateTime(detail.data.created_at)}
      </p>
    </div>
  );
}

/** A run's per-asset notes of one kind, each linking to its asset. */
function AssetNotes({ title, notes }: { title: string; notes: RunDetail['asset_errors'] }) {
  if (notes.length === 0) return null;
  return (
    <div>
      <h3>
        {title} <span className="num">({notes.length})</span>
      </h3>
      <ul className="errors">
        {notes.map((e) => (
          <li key={`${e.asset_type}/${e.symbol}`}>
            <a className="mono" href={assetHref(e.asset_type, e.symbol)}>
              {e.symbol}
            </a>
            : {e.error}
          </li>
        ))}
      </ul>
    </div>
  );
}
