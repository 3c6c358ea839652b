import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { runsListQuery } from '../api/queries/runs.ts';
import { LiveBadge, PageSizeSelect } from '../components/ListControls.tsx';
import { RunsTable } from '../components/pipeline/RunsTable.tsx';
import { SchedulesPanel } from '../components/pipeline/SchedulesPanel.tsx';
import { TriggerRunForm } from '../components/pipeline/TriggerRunForm.tsx';
import { Empty, ErrorBox, Loading } from '../components/QueryState.tsx';
import '../components/ops.css';
import { anyInProgress } from '../lib/runs.ts';

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
        {running && <LiveBadge what="run" />}
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
          <PageSizeSelect id={id} limit={limit} onChange={setLimit} />
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
