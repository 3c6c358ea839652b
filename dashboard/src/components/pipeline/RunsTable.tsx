import type { RunView } from '../../../../shared/api/contracts/runs.ts';
import { useRetryRun } from '../../api/queries/runs.ts';
import { formatDateTime, formatDuration, formatInt } from '../../lib/format.ts';
import { jobTotal } from '../../lib/runs.ts';
import { useToggleSet } from '../../lib/useToggleSet.ts';
import { StatusBadge } from '../Badges.tsx';
import { WriteError } from '../WriteError.tsx';
import { RunErrorList } from './RunErrorList.tsx';
import { RunJobs } from './RunJobs.tsx';

const COLUMNS = 10;

/** Done share of a run's jobs as a bar the eye reads faster than "37/40". */
function Progress({ jobs }: { jobs: RunView['jobs'] }) {
  const total = jobTotal(jobs);
  return (
    <span className="progress-cell">
      <span className="num">
        {formatInt(jobs.done)}/{formatInt(total)}
      </span>
      <progress
        value={jobs.done}
        max={Math.max(total, 1)}
        aria-label={`${jobs.done} of ${total} jobs done`}
      />
    </span>
  );
}

function RunRow({ run, open, onToggle }: { run: RunView; open: boolean; onToggle: () => void }) {
  const retry = useRetryRun();
  const detailId = `run-${run.id}-jobs`;
  return (
    <>
      <tr>
        <td>
          <button
            type="button"
            className="btn small nowrap"
            aria-expanded={open}
            aria-controls={detailId}
            onClick={onToggle}
            title={open ? 'Hide jobs' : 'Show jobs'}
          >
            {open ? '▾' : '▸'} #{run.id}
          </button>
        </td>
        <td>{run.stage}</td>
        <td className="mono">{run.universe}</td>
        <td className="num">{run.run_date}</td>
        <td>
          <StatusBadge status={run.status} />
        </td>
        <td>
          <Progress jobs={run.jobs} />
          {run.jobs.running > 0 && <span className="muted small"> {run.jobs.running} running</span>}
        </td>
        <td className={`num ${run.jobs.failed > 0 ? 'neg' : ''}`}>{formatInt(run.jobs.failed)}</td>
        <td className="num">{run.status === 'running' ? '…' : formatDuration(run.duration_ms)}</td>
        <td className="num muted">{formatDateTime(run.created_at)}</td>
        <td>
          {run.errors.length > 0 && (
            <span className="neg small">
              {run.errors.length} error{run.errors.length === 1 ? '' : 's'}{' '}
            </span>
          )}
          {run.jobs.failed > 0 && (
            <button
              type="button"
              className="btn small"
              disabled={retry.isPending}
              onClick={() => retry.mutate(run.id)}
              title="Re-queue this run's failed jobs"
            >
              {retry.isPending ? 'Retrying…' : `Retry ${run.jobs.failed} failed`}
            </button>
          )}
        </td>
      </tr>
      {retry.isError && (
        <tr>
          <td colSpan={COLUMNS}>
            <WriteError what={`retry run #${run.id}`} error={retry.error} />
          </td>
        </tr>
      )}
      {open && (
        <tr className="detail-row">
          <td colSpan={COLUMNS} id={detailId}>
            {run.errors.length > 0 && <RunErrorList errors={run.errors} />}
            <RunJobs runId={run.id} />
          </td>
        </tr>
      )}
    </>
  );
}

/** Runs, newest first; each row opens onto its jobs and can re-queue its failed ones. */
export function RunsTable({ runs }: { runs: RunView[] }) {
  const [open, toggle] = useToggleSet<number>();
  return (
    <div className="table-wrap">
      <table className="grid">
        <thead>
          <tr>
            <th>run</th>
            <th>stage</th>
            <th>universe</th>
            <th className="num">date</th>
            <th>status</th>
            <th>jobs done</th>
            <th className="num">failed</th>
            <th className="num">duration</th>
            <th className="num">started</th>
            <th>errors</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <RunRow key={run.id} run={run} open={open.has(run.id)} onToggle={() => toggle(run.id)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
