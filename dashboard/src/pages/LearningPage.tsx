import { useQuery } from '@tanstack/react-query';
import type { LearningOverview } from '../../../shared/api/contracts/learning.ts';
import { learningOverviewQuery } from '../api/queries/learning.ts';
import { useAuth } from '../auth/AuthProvider.tsx';
import { RulesTable } from '../components/learning/RulesTable.tsx';
import { ShadowsTable } from '../components/learning/ShadowsTable.tsx';
import { Empty, ErrorBox, Loading } from '../components/QueryState.tsx';
import { formatFractionPct, formatInt, signClass } from '../lib/format.ts';
import '../components/learning/learning.css';

function Stat({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="stat">
      <div className="stat-value num">{value}</div>
      <div className="stat-label">{label}</div>
      {sub && <div className="muted small">{sub}</div>}
    </div>
  );
}

/** The experience buffer: how full it is, its entries and exits, and each setup's closed-trade record. */
function BufferCard({ buffer }: { buffer: LearningOverview['buffer'] }) {
  return (
    <section className="card" aria-label="Experience buffer">
      <div className="card-head">
        <h2>Experience buffer</h2>
      </div>
      <div className="stats learn-stats">
        <Stat
          label="events"
          value={formatInt(buffer.events)}
          sub={`of ${formatInt(buffer.capacity)} kept (${formatFractionPct(buffer.events / buffer.capacity, 1)})`}
        />
        <Stat label="entries" value={formatInt(buffer.entries)} />
        <Stat label="exits" value={formatInt(buffer.exits)} sub="closed trades" />
      </div>
      {buffer.setups.length > 0 ? (
        <div className="table-wrap">
          <table className="grid learn-setups">
            <thead>
              <tr>
                <th scope="col">setup</th>
                <th scope="col" className="num">
                  trades
                </th>
                <th scope="col" className="num">
                  win rate
                </th>
                <th scope="col" className="num">
                  stop-outs
                </th>
                <th scope="col" className="num" title="Net return over the entry value, averaged">
                  mean return
                </th>
              </tr>
            </thead>
            <tbody>
              {buffer.setups.map((s) => (
                <tr key={s.setup} data-setup={s.setup}>
                  <th scope="row" className="mono">
                    {s.setup}
                  </th>
                  <td className="num">{formatInt(s.trades)}</td>
                  <td className="num">{formatFractionPct(s.trades > 0 ? s.wins / s.trades : null, 1)}</td>
                  <td className="num">{formatInt(s.stops)}</td>
                  <td className={`num ${signClass(s.mean_pnl)}`}>{formatFractionPct(s.mean_pnl, 2, true)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>
          The buffer holds no closed trade yet. The daily trade stage's learning step harvests the paper
          portfolios' closed trades after the close, and <code>stratos consume --learn</code> records the live
          brain's entries and exits.
        </Empty>
      )}
    </section>
  );
}

/**
 * The learning loop: the experience buffer's statistics, the rules attribution proposed and those an admin
 * activated (with their evidence), and the shadow exits against live.
 */
export function LearningPage() {
  const { hasWriteCredential } = useAuth();
  const overview = useQuery(learningOverviewQuery());
  return (
    <>
      <div className="page-title">
        <h1>Learning</h1>
      </div>
      {overview.isPending ? (
        <Loading what="the learning loop" />
      ) : overview.isError ? (
        <ErrorBox what="the learning loop" error={overview.error} onRetry={() => void overview.refetch()} />
      ) : (
        <>
          <BufferCard buffer={overview.data.buffer} />
          <section className="card" aria-label="Learned rules">
            <div className="card-head">
              <h2>Learned rules</h2>
              <span className="spacer" />
              <span className="muted small">
                an active rule blocks the setup's buys whose snapshot matches it
                {hasWriteCredential ? '' : '; activating or retiring needs an admin'}
              </span>
            </div>
            {overview.data.rules.length > 0 ? (
              <RulesTable rules={overview.data.rules} admin={hasWriteCredential} />
            ) : (
              <Empty>
                No rules yet. After each harvest the learning step fits an attribution tree per setup with
                enough closed trades in the buffer and proposes the conditions under which its trades failed;
                an admin activates or retires them here.
              </Empty>
            )}
          </section>
          <section className="card" aria-label="Shadow exits">
            <div className="card-head">
              <h2>Shadow exits against live</h2>
              <span className="spacer" />
              <span className="muted small">
                a shadow is reported once it has {formatInt(overview.data.min_ghost_trades)} ghost trades
              </span>
            </div>
            {overview.data.shadows.some((s) => s.trades > 0) ? (
              <ShadowsTable shadows={overview.data.shadows} minGhosts={overview.data.min_ghost_trades} />
            ) : (
              <Empty>
                No ghost trades yet. The learning step walks each closed trade in the buffer again over the
                stored daily bars with tighter, wider and scalp exits; a shadow needs{' '}
                {formatInt(overview.data.min_ghost_trades)} ghosts before it can be said to beat live.
              </Empty>
            )}
          </section>
        </>
      )}
    </>
  );
}
