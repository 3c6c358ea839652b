import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { runsListQuery } from '../api/queries/runs.ts';
import { RunsTable } from '../components/pipeline/RunsTable.tsx';
import { SchedulesPanel } from '../components/pipeline/SchedulesPanel.tsx';
import { TriggerRunForm } from '../components/pipeline/TriggerRunForm.tsx';
import { Empty, ErrorBox, Loading } from '../components/QueryState.tsx';
import '../components/ops.css';
import { anyInProgress, LIVE_POLL_MS } from '../lib/runs.ts';

const PAGE_SIZES = [25, 50, 100, 200] as const;

/** Runs and their jobs, retries, manual triggers and the schedules. */
export function PipelinePage() {
  const id = useId();
  const [date, setDate] = useState('');
  const [limit, setLimit] = useState<number>(50);
  const runs = useQuery(runsListQuery({ ...(date ? { date } : {}), limit }));
  // The shell's run watcher refetches the other pages' data when a run finishes.
  const running = anyInProgress(runs.data?.items);

  return (
    <>
      <div className="page-title">
        <h1>Pipeline</h1>
        {running && (
          <span className="badge status-running" role="status">
            run in progress · refreshing every {LIVE_POLL_MS / 1000} s
          </span>
        )}
      </div>
      <TriggerRunForm />
      <section className="card">
        <div className="card-head">
          <h2>Runs</h2>
          <span className="spacer" />
          <label htmlFor={`${id}-date`}>date</label>
          <input id={`${id}-date`} type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          {date && (
            <button type="button" className="btn small" onClick={() => setDate('')}>
              All dates
            </button>
          )}
          <label htmlFor={`${id}-limit`}>show</label>
          <select id={`${id}-limit`} value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        {runs.isPending && <Loading what="runs" />}
        {runs.isError && <ErrorBox what="runs" error={runs.error} onRetry={() => void runs.refetch()} />}
        {runs.data && runs.data.items.length === 0 && (
          <Empty>{date ? `No runs on ${date}.` : 'No runs yet: start one above.'}</Empty>
        )}
        {runs.data && runs.data.items.length > 0 && <RunsTable runs={runs.data.items} />}
      </section>
      <SchedulesPanel />
    </>
  );
}
