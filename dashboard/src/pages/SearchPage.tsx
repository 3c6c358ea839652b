import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import {
  searchGroupsQuery,
  searchPrunedQuery,
  searchRunsQuery,
  searchSelectionQuery,
  searchTrialsQuery,
  TRIAL_PAGE,
  type TrialFilter,
  weekdayQuery,
} from '../api/queries/search.ts';
import { Empty, ErrorBox, Loading } from '../components/QueryState.tsx';
import { GroupsTable, PrunedTable } from '../components/search/GroupsTable.tsx';
import { RunsTable } from '../components/search/RunsTable.tsx';
import { TrialsTable } from '../components/search/TrialsTable.tsx';
import { WeekdayTable } from '../components/search/WeekdayTable.tsx';

// The search's algorithm ids (shared/search/algorithms; the dashboard imports only types from shared/).
const ALGORITHMS = [
  'adx_trend',
  'ema_cross',
  'macd_cross',
  'rsi_oversold',
  'bollinger_lower',
  'stochastic_turn',
  'zscore_shock',
  'volume_spike',
  'roc_momentum',
  'donchian_breakout',
];

/** The state of `#/search?run=…&algorithm=…&sort=…&offset=…`. */
function stateOf(query: string): { run: number | null; filter: TrialFilter } {
  const p = new URLSearchParams(query);
  const run = Number(p.get('run'));
  const offset = Number(p.get('offset'));
  const algorithm = p.get('algorithm');
  return {
    run: Number.isSafeInteger(run) && run > 0 ? run : null,
    filter: {
      ...(algorithm && ALGORITHMS.includes(algorithm) ? { algorithm } : {}),
      sort: p.get('sort') === 'seq' ? 'seq' : 'score',
      offset: Number.isSafeInteger(offset) && offset > 0 ? offset : 0,
    },
  };
}

function hrefOf(run: number, f: TrialFilter): string {
  const p = new URLSearchParams({ run: String(run) });
  if (f.algorithm) p.set('algorithm', f.algorithm);
  if (f.sort !== 'score') p.set('sort', f.sort);
  if (f.offset > 0) p.set('offset', String(f.offset));
  return `#/search?${p.toString()}`;
}

/**
 * The weekly strategy search: runs with their progress (polled while running), the chosen run's trial
 * ledger, pruned variations and groups, the week's selected group, and the latest close's weekday run.
 */
export function SearchPage({ query }: { query: string }) {
  const id = useId();
  const state = stateOf(query);
  const runs = useQuery(searchRunsQuery());
  const run = runs.data?.items.find((r) => r.id === state.run) ?? runs.data?.items[0] ?? null;
  const runId = run?.id ?? 0;
  const trials = useQuery({
    ...searchTrialsQuery(runId, state.filter, run?.status === 'running'),
    enabled: run !== null,
  });
  const pruned = useQuery({ ...searchPrunedQuery(runId), enabled: run !== null });
  const groups = useQuery({ ...searchGroupsQuery(runId), enabled: run !== null });
  const selection = useQuery(searchSelectionQuery());
  const weekday = useQuery(weekdayQuery());
  const go = (patch: Partial<TrialFilter>) => {
    if (run) window.location.hash = hrefOf(run.id, { ...state.filter, offset: 0, ...patch });
  };
  const total = trials.data?.total ?? 0;
  return (
    <>
      <div className="page-title">
        <h1>Strategy search</h1>
      </div>
      <section className="card" aria-labelledby={`${id}-runs`}>
        <div className="card-head">
          <h2 id={`${id}-runs`}>Search runs</h2>
        </div>
        {runs.isPending && <Loading what="search runs" />}
        {runs.isError && (
          <ErrorBox what="search runs" error={runs.error} onRetry={() => void runs.refetch()} />
        )}
        {runs.data &&
          (runs.data.items.length > 0 ? (
            <RunsTable runs={runs.data.items} selected={run?.id ?? null} />
          ) : (
            <Empty>No search has run yet: `stratos search --week YYYY-MM-DD`.</Empty>
          ))}
      </section>

      <section className="card" aria-labelledby={`${id}-selection`}>
        <div className="card-head">
          <h2 id={`${id}-selection`}>
            The week’s selection <span className="num muted">{selection.data?.week ?? ''}</span>
          </h2>
        </div>
        {selection.isError && <ErrorBox what="the selection" error={selection.error} />}
        {selection.data &&
          (selection.data.group ? (
            <GroupsTable groups={[selection.data.group]} />
          ) : (
            <Empty>No group is selected yet.</Empty>
          ))}
      </section>

      <section className="card" aria-labelledby={`${id}-weekday`}>
        <div className="card-head">
          <h2 id={`${id}-weekday`}>
            Weekday run: candidates → shortlist → picks{' '}
            <span className="num muted">{weekday.data?.date ?? ''}</span>
          </h2>
        </div>
        {weekday.isError && <ErrorBox what="the weekday run" error={weekday.error} />}
        {weekday.data && weekday.data.status === null && <Empty>No weekday run is stored yet.</Empty>}
        {weekday.data && weekday.data.status !== null && (
          <>
            <p className="muted">
              {weekday.data.status}: {weekday.data.reason} Shortlist {weekday.data.shortlist_size}, top{' '}
              {weekday.data.top_n}; sanity = 5-day return ÷ (daily volatility of the last 20 returns × √5).
            </p>
            {weekday.data.items.length > 0 && <WeekdayTable items={weekday.data.items} />}
          </>
        )}
      </section>

      {run && (
        <>
          <section className="card" aria-labelledby={`${id}-trials`}>
            <div className="card-head">
              <h2 id={`${id}-trials`}>
                Trials of run #{run.id} <span className="num muted">{total}</span>
              </h2>
              <span className="spacer" />
              <div className="filters">
                <label htmlFor={`${id}-algorithm`}>algorithm</label>
                <select
                  id={`${id}-algorithm`}
                  value={state.filter.algorithm ?? ''}
                  onChange={(e) => go(e.target.value ? { algorithm: e.target.value } : { algorithm: '' })}
                >
                  <option value="">all</option>
                  {ALGORITHMS.map((a) => (
                    <option key={a}>{a}</option>
                  ))}
                </select>
                <label htmlFor={`${id}-sort`}>order</label>
                <select
                  id={`${id}-sort`}
                  value={state.filter.sort}
                  onChange={(e) => go({ sort: e.target.value === 'seq' ? 'seq' : 'score' })}
                >
                  <option value="score">best score</option>
                  <option value="seq">evaluation order</option>
                </select>
              </div>
            </div>
            {trials.isPending && <Loading what="trials" />}
            {trials.isError && <ErrorBox what="trials" error={trials.error} />}
            {trials.data && <TrialsTable items={trials.data.items} />}
            {total > TRIAL_PAGE && (
              <div className="pager">
                <button
                  type="button"
                  className="btn small"
                  disabled={state.filter.offset === 0}
                  onClick={() =>
                    go({ ...state.filter, offset: Math.max(0, state.filter.offset - TRIAL_PAGE) })
                  }
                >
                  Previous
                </button>
                <span className="num muted">
                  {state.filter.offset + 1}–{Math.min(total, state.filter.offset + TRIAL_PAGE)} of {total}
                </span>
                <button
                  type="button"
                  className="btn small"
                  disabled={state.filter.offset + TRIAL_PAGE >= total}
                  onClick={() => go({ ...state.filter, offset: state.filter.offset + TRIAL_PAGE })}
                >
                  Next
                </button>
              </div>
            )}
          </section>

          <section className="card" aria-labelledby={`${id}-pruned`}>
            <div className="card-head">
              <h2 id={`${id}-pruned`}>Pruned variations</h2>
            </div>
            {pruned.isError && <ErrorBox what="pruned variations" error={pruned.error} />}
            {pruned.data &&
              (pruned.data.items.length > 0 ? (
                <PrunedTable items={pruned.data.items} />
              ) : (
                <Empty>This run has not been pruned.</Empty>
              ))}
          </section>

          <section className="card" aria-labelledby={`${id}-groups`}>
            <div className="card-head">
              <h2 id={`${id}-groups`}>Groups</h2>
            </div>
            {groups.isError && <ErrorBox what="groups" error={groups.error} />}
            {groups.data &&
              (groups.data.items.length > 0 ? (
                <GroupsTable groups={groups.data.items} />
              ) : (
                <Empty>No groups were found for this run.</Empty>
              ))}
          </section>
        </>
      )}
    </>
  );
}
