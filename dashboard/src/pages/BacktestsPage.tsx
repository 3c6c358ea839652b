import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useState } from 'react';
import { backtestInProgress, backtestsListQuery } from '../api/queries/backtests.ts';
import { BacktestResult } from '../components/backtests/BacktestResult.tsx';
import { BacktestsTable } from '../components/backtests/BacktestsTable.tsx';
import { idParam } from '../components/backtests/backtestData.ts';
import { RunBacktestForm } from '../components/backtests/RunBacktestForm.tsx';
import { StrategiesPanel } from '../components/backtests/StrategiesPanel.tsx';
import { LiveBadge, PageSizeSelect } from '../components/ListControls.tsx';
import { Empty, ErrorBox, Loading } from '../components/QueryState.tsx';
import '../components/ops.css';
import '../components/backtests/backtests.css';

// The editor is a separate chunk: most visits only read.
const StrategyEditor = lazy(() =>
  import('../components/backtests/StrategyEditor.tsx').then((m) => ({ default: m.StrategyEditor })),
);

/** The backtests list with the run form and the strategies; with an id, that backtest's result. */
export function BacktestsPage({ backtestId, query }: { backtestId: number | null; query: string }) {
  if (backtestId !== null)
    return (
      <>
        <nav className="crumbs" aria-label="Breadcrumb">
          <a href="#/backtests">Backtests</a>
        </nav>
        <div className="page-title">
          <h1>Backtest #{backtestId}</h1>
        </div>
        <BacktestResult id={backtestId} compareId={idParam(query, 'compare')} />
      </>
    );
  return <BacktestsList />;
}

function BacktestsList() {
  const id = useId();
  const [limit, setLimit] = useState<number>(50);
  // null: closed; { id: null }: a new strategy; { id }: that strategy.
  const [editing, setEditing] = useState<{ id: string | null } | null>(null);
  const backtests = useQuery(backtestsListQuery({ limit }));
  const running = backtests.data?.items.some(backtestInProgress) ?? false;

  return (
    <>
      <div className="page-title">
        <h1>Backtests</h1>
        {running && <LiveBadge what="backtest" />}
      </div>
      <RunBacktestForm />
      <section className="card" aria-labelledby={`${id}-title`}>
        <div className="card-head">
          <h2 id={`${id}-title`}>Results</h2>
          <span className="spacer" />
          <PageSizeSelect id={id} limit={limit} onChange={setLimit} />
        </div>
        {backtests.isPending && <Loading what="backtests" />}
        {backtests.isError && (
          <ErrorBox what="backtests" error={backtests.error} onRetry={() => void backtests.refetch()} />
        )}
        {backtests.data && backtests.data.items.length === 0 && (
          <Empty>No backtests yet: run one above (admin).</Empty>
        )}
        {backtests.data && backtests.data.items.length > 0 && (
          <BacktestsTable backtests={backtests.data.items} />
        )}
      </section>
      {editing && (
        <Suspense fallback={<Loading what="the strategy editor" />}>
          <StrategyEditor
            key={editing.id ?? 'new'}
            strategyId={editing.id}
            onClose={() => setEditing(null)}
          />
        </Suspense>
      )}
      <StrategiesPanel onOpen={(s) => setEditing({ id: s })} onNew={() => setEditing({ id: null })} />
    </>
  );
}
