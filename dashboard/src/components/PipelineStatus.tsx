import { useQuery } from '@tanstack/react-query';
import type { RunView } from '../../../shared/api/contracts/runs.ts';
import type { Stage } from '../../../shared/domain/stages.ts';
import { LATEST_RUNS, runsListQuery, useTriggerRun } from '../api/queries/runs.ts';
import { formatDateTime, formatDuration, formatInt } from '../lib/format.ts';
import { anyInProgress, jobTotal, runInProgress } from '../lib/runs.ts';
import { StatusBadge } from './Badges.tsx';
import { RunErrorList } from './pipeline/RunErrorList.tsx';
import { ErrorBox, Loading } from './QueryState.tsx';
import { WriteError } from './WriteError.tsx';

// Execution order of the stages. A typed map rather than the schema's STAGES so the bundle does not
// pull in zod; Record<Stage, _> makes tsc fail if a stage is added to the contract.
const STAGE_ORDER: Record<Stage, number> = {
  ingest: 0,
  news: 1,
  sentiment: 2,
  features: 3,
  signals: 4,
  review: 5,
  trade: 6,
};

/** Stage order first, then universe; the newest run of each (stage, universe). */
function orderRuns(runs: RunView[]): RunView[] {
  const latest = new Map<string, RunView>();
  for (const r of runs) {
    const key = `${r.stage}/${r.universe}`;
    const seen = latest.get(key);
    if (!seen || r.id > seen.id) latest.set(key, r);
  }
  return [...latest.values()].sort(
    (a, b) => STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] || a.universe.localeCompare(b.universe),
  );
}

function RunRow({ run }: { run: RunView }) {
  const total = jobTotal(run.jobs);
  return (
    <tr>
      <td>{run.stage}</td>
      <td className="mono">{run.universe}</td>
      <td className="num">{run.run_date}</td>
      <td>
        <StatusBadge status={run.status} />
      </td>
      <td className="num">
        {formatInt(run.jobs.done)}/{formatInt(total)}
        {run.jobs.running > 0 && <span className="muted"> ({run.jobs.running} running)</span>}
      </td>
      <td className={`num ${run.jobs.failed > 0 ? 'neg' : ''}`}>{formatInt(run.jobs.failed)}</td>
      <td className="num">{runInProgress(run) ? '…' : formatDuration(run.duration_ms)}</td>
      <td className="num muted" title={`started ${formatDateTime(run.created_at)}`}>
        {formatDateTime(run.finished_at)}
      </td>
      <td>
        {run.errors.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <details>
            <summary className="neg">
              {run.errors.length} error{run.errors.length === 1 ? '' : 's'}
            </summary>
            <RunErrorList errors={run.errors} />
          </details>
        )}
      </td>
    </tr>
  );
}

/** Runs of every stage for each universe's latest date, with the button that starts the pipeline. */
export function PipelineStatus() {
  // The shell's run watcher refetches the data a finished run produced; this only shows the runs.
  const runs = useQuery(runsListQuery(LATEST_RUNS));
  const trigger = useTriggerRun();
  const running = anyInProgress(runs.data?.items);

  const ordered = runs.data ? orderRuns(runs.data.items) : [];

  return (
    <section className="card">
      <div className="card-head">
        <h2>
          Pipeline <span className="muted">latest run per market</span>
        </h2>
        {running && <span className="muted">polling…</span>}
        <span className="spacer" />
        <button
          type="button"
          className="btn primary"
          disabled={trigger.isPending || running}
          onClick={() => trigger.mutate({ stage: 'pipeline' })}
          title="Run ingest → features → signals → review for crypto and equities, each on its latest complete day"
        >
          {trigger.isPending ? 'Starting…' : running ? 'Running…' : 'Run pipeline'}
        </button>
      </div>
      {trigger.isError && <WriteError what="start the pipeline" error={trigger.error} />}
      {runs.isPending && <Loading what="runs" />}
      {runs.isError && <ErrorBox what="runs" error={runs.error} onRetry={() => void runs.refetch()} />}
      {runs.data && ordered.length === 0 && <div className="state empty">No runs yet.</div>}
      {ordered.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>stage</th>
              <th>universe</th>
              <th className="num">date</th>
              <th>status</th>
              <th className="num">jobs done</th>
              <th className="num">failed</th>
              <th className="num">duration</th>
              <th className="num">finished</th>
              <th>errors</th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((run) => (
              <RunRow key={run.id} run={run} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
