import { useQuery } from '@tanstack/react-query';
import type { LifecycleBoard, LifecycleCard } from '../../../shared/api/contracts/lifecycle.ts';
import { lifecycleBoardQuery } from '../api/queries/lifecycle.ts';
import { useAuth } from '../auth/AuthProvider.tsx';
import { DiscoveryControls } from '../components/lifecycle/DiscoveryControls.tsx';
import { money, pct } from '../components/lifecycle/format.ts';
import { StrategyCard } from '../components/lifecycle/StrategyCard.tsx';
import { useLifecycleLive } from '../components/lifecycle/useLifecycleLive.ts';
import { Empty, ErrorBox, Loading } from '../components/QueryState.tsx';
import '../components/lifecycle/lifecycle.css';

const COLUMNS = [
  { phase: 'backtest', title: 'Backtest', empty: 'Nothing waiting for its backtest.' },
  { phase: 'paper', title: 'Paper', empty: 'No strategy on paper.' },
  { phase: 'live', title: 'Live', empty: 'No live strategy.' },
] as const;

/** Strategies tested today, success and graduation rates, live P&L and the final phases' counts. */
function Header({ board }: { board: LifecycleBoard }) {
  const h = board.header;
  return (
    <section className="lc-header" aria-label="Lifecycle summary">
      <div>
        <span className="muted">Tested today</span>
        <strong>{h.tested_today}</strong>
      </div>
      <div title="Share of gated backtests that passed to paper">
        <span className="muted">Success rate</span>
        <strong>{pct(h.success_rate)}</strong>
      </div>
      <div title="Share of the strategies that left paper that went live">
        <span className="muted">Graduation rate</span>
        <strong>{pct(h.graduation_rate)}</strong>
      </div>
      <div title="P&L of the live strategies' paper-broker portfolios">
        <span className="muted">Live P&amp;L</span>
        <strong>{money(h.live_pnl)}</strong>
      </div>
      <div>
        <span className="muted">Rejected / retired</span>
        <strong>
          {h.counts.rejected} / {h.counts.retired}
        </strong>
      </div>
    </section>
  );
}

function Column({
  title,
  cards,
  empty,
  admin,
}: {
  title: string;
  cards: LifecycleCard[];
  empty: string;
  admin: boolean;
}) {
  return (
    <section className="lc-column" aria-label={title}>
      <h2>
        {title} <span className="muted">({cards.length})</span>
      </h2>
      {cards.length === 0 ? (
        <Empty>{empty}</Empty>
      ) : (
        cards.map((c) => <StrategyCard key={c.strategy_id} card={c} admin={admin} />)
      )}
    </section>
  );
}

/** The Strategies board: backtest, paper and live columns moving by the gates, with discovery's controls. */
export function StrategiesPage() {
  const { hasWriteCredential } = useAuth();
  useLifecycleLive();
  const board = useQuery(lifecycleBoardQuery());
  return (
    <>
      <div className="page-title">
        <h1>Strategies</h1>
      </div>
      {board.isPending ? (
        <Loading what="the strategies board" />
      ) : board.isError ? (
        <ErrorBox what="the strategies board" error={board.error} onRetry={() => board.refetch()} />
      ) : (
        <>
          <Header board={board.data} />
          <DiscoveryControls
            key={board.data.config.updated_at}
            board={board.data}
            admin={hasWriteCredential}
          />
          <div className="lc-board">
            {COLUMNS.map((col) => (
              <Column
                key={col.phase}
                title={col.title}
                cards={board.data.columns[col.phase]}
                empty={col.empty}
                admin={hasWriteCredential}
              />
            ))}
          </div>
        </>
      )}
    </>
  );
}
