import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import type { ScheduleView } from '../../../../shared/api/contracts/schedules.ts';
import { schedulesQuery, useUpdateSchedule } from '../../api/queries/schedules.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useRequestedState } from '../../lib/useRequestedState.ts';
import { Empty, ErrorBox, Loading } from '../QueryState.tsx';
import { WriteError } from '../WriteError.tsx';
import { cronError, nextCronRun } from './cron.ts';

/** One schedule: its enabled switch and its cron, edited in place and checked before it is sent. */
function ScheduleRow({ schedule, now }: { schedule: ScheduleView; now: Date }) {
  const id = useId();
  const update = useUpdateSchedule();
  const [cron, setCron] = useState(schedule.cron);
  const problem = cronError(cron);
  const dirty = cron.trim() !== schedule.cron;
  const [enabled, requestEnabled] = useRequestedState(schedule.enabled);
  const next = enabled ? nextCronRun(schedule.cron, now) : null;

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!problem && dirty) update.mutate({ id: schedule.id, patch: { cron: cron.trim() } });
  };

  return (
    <tr>
      <td>
        <span className="mono">{schedule.id}</span>
        <div className="muted small">{schedule.description}</div>
      </td>
      <td>
        <label className="toggle">
          <input
            type="checkbox"
            aria-label={`${schedule.id} enabled`}
            checked={enabled}
            disabled={update.isPending}
            onChange={(e) =>
              update.mutate(
                { id: schedule.id, patch: { enabled: e.target.checked } },
                requestEnabled(e.target.checked),
              )
            }
          />
          {enabled ? 'enabled' : 'disabled'}
        </label>
      </td>
      <td>
        {schedule.action}
        {schedule.universes.length > 0 && <div className="mono small">{schedule.universes.join(', ')}</div>}
      </td>
      <td>
        <form className="cron-form" onSubmit={save}>
          <label htmlFor={`${id}-cron`} className="sr-only">
            cron of {schedule.id} (UTC)
          </label>
          <input
            id={`${id}-cron`}
            className="mono cron-input"
            value={cron}
            onChange={(e) => setCron(e.target.value)}
            aria-invalid={problem !== null}
            aria-describedby={`${id}-cron-msg`}
            spellCheck={false}
          />
          <button
            type="submit"
            className="btn small"
            disabled={!dirty || problem !== null || update.isPending}
          >
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
          {dirty && (
            <button type="button" className="btn small" onClick={() => setCron(schedule.cron)}>
              Reset
            </button>
          )}
        </form>
        <div id={`${id}-cron-msg`} className={problem ? 'neg small' : 'muted small'}>
          {problem ?? 'minute hour day month weekday, UTC'}
        </div>
        {update.isError && <WriteError what="save the schedule" error={update.error} />}
      </td>
      <td className="num">
        {enabled ? next ? formatDateTime(next.toISOString()) : <span className="muted">never</span> : '—'}
      </td>
      <td className="num muted">{formatDateTime(schedule.last_run_at)}</td>
    </tr>
  );
}

/** What starts runs: the pipeline_schedules rows that pg_cron (or the local scheduler) fires. */
export function SchedulesPanel() {
  const schedules = useQuery(schedulesQuery());
  const now = new Date();
  return (
    <section className="card">
      <div className="card-head">
        <h2>Schedules</h2>
        <span className="muted small">cron in UTC, times in your time zone; changes need an admin</span>
      </div>
      {schedules.isPending && <Loading what="schedules" />}
      {schedules.isError && (
        <ErrorBox what="schedules" error={schedules.error} onRetry={() => void schedules.refetch()} />
      )}
      {schedules.data && schedules.data.items.length === 0 && <Empty>No schedules.</Empty>}
      {schedules.data && schedules.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="grid">
            <thead>
              <tr>
                <th>schedule</th>
                <th>state</th>
                <th>action</th>
                <th>cron</th>
                <th className="num">next run</th>
                <th className="num">last run</th>
              </tr>
            </thead>
            <tbody>
              {schedules.data.items.map((s) => (
                // Keyed by the stored cron too: a saved change resets the row's draft to the stored value.
                <ScheduleRow key={`${s.id}:${s.cron}`} schedule={s} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
