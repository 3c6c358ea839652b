import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import {
  killSwitchQuery,
  portfolioDetailQuery,
  portfolioEquityQuery,
  portfolioFillsQuery,
  portfolioListQuery,
  portfolioOrdersQuery,
  useKillSwitch,
} from '../api/queries/portfolios.ts';
import { useAuth } from '../auth/AuthProvider.tsx';
import { equityLines } from '../components/portfolio/curves.ts';
import { Empty, ErrorBox, Loading } from '../components/QueryState.tsx';
import { WriteError } from '../components/WriteError.tsx';

// The dashboard's chart (lightweight-charts, the backtest result's equity chart), loaded lazily as the
// asset and backtest pages load theirs: it is the dashboard's largest dependency.
const EquityChart = lazy(() => import('../components/backtests/EquityChart.tsx'));

const money = (v: number | null) =>
  v === null ? '–' : v.toLocaleString(undefined, { maximumFractionDigits: 2 });
const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(2)}%`);

/** The kill switch: its state for everyone, engage / release for admins. */
function KillSwitch() {
  const { hasWriteCredential } = useAuth();
  const state = useQuery(killSwitchQuery());
  const set = useKillSwitch();
  if (!state.data) return null;
  const { killed, reason } = state.data;
  return (
    <section className={`kill-switch ${killed ? 'engaged' : ''}`} aria-label="Kill switch">
      <strong>{killed ? 'Kill switch engaged' : 'Trading enabled'}</strong>
      {killed && reason ? <span> — {reason}</span> : null}
      {hasWriteCredential && (
        <button
          type="button"
          className={`btn small ${killed ? '' : 'danger'}`}
          disabled={set.isPending}
          onClick={() =>
            set.mutate(
              killed ? { killed: false } : { killed: true, reason: 'kill switch from the dashboard' },
            )
          }
        >
          {killed ? 'Release' : 'Stop all trading'}
        </button>
      )}
      {set.isError ? <WriteError what="set the kill switch" error={set.error} /> : null}
      {set.data?.killed ? (
        <p className="small">
          {set.data.cancelled} working order(s) cancelled
          {set.data.brokers.map((b) => (
            <span key={`${b.broker}-${b.live}`} className={b.error ? 'error-text' : undefined}>
              {' '}
              · {b.broker}
              {b.live ? ' (live)' : ''}: {b.error ? `not cancelled: ${b.error}` : `${b.cancelled} cancelled`}
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}

/** One portfolio: holdings (actual vs target), today's BUY/SELL/HOLD, equity curves, orders, fills, locks. */
function PortfolioView({ id }: { id: string }) {
  const detail = useQuery(portfolioDetailQuery(id));
  const equity = useQuery(portfolioEquityQuery(id));
  const orders = useQuery(portfolioOrdersQuery(id));
  const fills = useQuery(portfolioFillsQuery(id));
  const curves = useMemo(() => equityLines(equity.data?.items ?? []), [equity.data]);
  if (detail.isPending) return <Loading what="the portfolio" />;
  if (detail.isError)
    return <ErrorBox what="the portfolio" error={detail.error} onRetry={() => detail.refetch()} />;
  const p = detail.data;
  return (
    <>
      <p className="muted">
        {p.kind === 'strategy' ? `Strategy ${p.strategy_id} v${p.strategy_version}` : 'Rebalance rule'} on{' '}
        {p.universe}, {p.broker} broker, {p.mode} mode{p.trading_enabled ? '' : ' (paused)'}; equity{' '}
        {money(p.equity)} from {money(p.starting_cash)} since {p.start_date}; last day {p.last_date ?? '–'}.
      </p>
      {equity.data && equity.data.items.length > 0 ? (
        <Suspense fallback={<Loading what="the equity chart" />}>
          <EquityChart
            lines={curves.lines}
            drawdown={curves.drawdown}
            label="Paper equity against the same strategy's backtest and the benchmark, with its drawdown"
          />
        </Suspense>
      ) : null}
      <h2>Holdings: actual vs target weight</h2>
      {p.positions.length === 0 ? (
        <Empty>No positions.</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Symbol</th>
              <th className="num">Qty</th>
              <th className="num">Avg price</th>
              <th className="num">Mark</th>
              <th className="num">Value</th>
              <th className="num">Weight</th>
              <th className="num">Target</th>
            </tr>
          </thead>
          <tbody>
            {p.positions.map((x) => (
              <tr key={x.symbol}>
                <td>{x.symbol}</td>
                <td className="num">{money(x.qty)}</td>
                <td className="num">{money(x.avg_price)}</td>
                <td className="num">{money(x.mark)}</td>
                <td className="num">{money(x.value)}</td>
                <td className="num">{pct(x.weight)}</td>
                <td className="num">{pct(x.target_weight)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Decisions {p.decisions[0]?.date ?? ''}</h2>
      {p.decisions.length === 0 ? (
        <Empty>No decisions yet.</Empty>
      ) : (
        <table className="data decisions">
          <thead>
            <tr>
              <th>Action</th>
              <th>Symbol</th>
              <th className="num">Qty</th>
              <th className="num">Now</th>
              <th className="num">Target</th>
              <th>Rule</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {p.decisions.map((d) => (
              <tr key={`${d.symbol}-${d.action}`} className={`action-${d.action.toLowerCase()}`}>
                <td>{d.action}</td>
                <td>{d.symbol}</td>
                <td className="num">{d.qty ? money(d.qty) : '–'}</td>
                <td className="num">{pct(d.current_weight)}</td>
                <td className="num">{pct(d.target_weight)}</td>
                <td>{d.rule}</td>
                <td>{d.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Active locks</h2>
      {p.locks.length === 0 ? (
        <Empty>No active risk lock.</Empty>
      ) : (
        <ul>
          {p.locks.map((l) => (
            <li key={`${l.rule}-${l.symbol}-${l.from_date}`}>
              {l.rule} on {l.symbol} until {l.until_date}: {l.reason}
            </li>
          ))}
        </ul>
      )}
      <h2>Orders</h2>
      {orders.data && orders.data.items.length > 0 ? (
        <table className="data">
          <thead>
            <tr>
              <th>Date</th>
              <th>Client order id</th>
              <th>Side</th>
              <th>Symbol</th>
              <th className="num">Qty</th>
              <th>Status</th>
              <th className="num">Filled</th>
              <th className="num">Avg price</th>
            </tr>
          </thead>
          <tbody>
            {orders.data.items.map((o) => (
              <tr key={o.client_order_id} title={o.error ?? o.rule}>
                <td>{o.date}</td>
                <td>{o.client_order_id}</td>
                <td>{o.side}</td>
                <td>{o.symbol}</td>
                <td className="num">{money(o.qty)}</td>
                <td>{o.status}</td>
                <td className="num">{money(o.filled_qty)}</td>
                <td className="num">{money(o.avg_price)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Empty>No orders.</Empty>
      )}
      <h2>Fills</h2>
      {fills.data && fills.data.items.length > 0 ? (
        <table className="data">
          <thead>
            <tr>
              <th>Date</th>
              <th>Side</th>
              <th>Symbol</th>
              <th className="num">Qty</th>
              <th className="num">Price</th>
              <th className="num">Fee</th>
              <th>Rule</th>
            </tr>
          </thead>
          <tbody>
            {fills.data.items.map((f) => (
              <tr key={f.seq}>
                <td>{f.date}</td>
                <td>{f.side}</td>
                <td>{f.symbol}</td>
                <td className="num">{money(f.qty)}</td>
                <td className="num">{money(f.price)}</td>
                <td className="num">{money(f.fee)}</td>
                <td>{f.rule}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Empty>No fills.</Empty>
      )}
    </>
  );
}

/** The Portfolio page: choose a portfolio (`?id=` keeps it in the URL), the kill switch above. */
export function PortfolioPage({ query }: { query: string }) {
  const list = useQuery(portfolioListQuery());
  const wanted = new URLSearchParams(query).get('id');
  const [picked, setPicked] = useState<string | null>(wanted);
  const id = picked ?? list.data?.items[0]?.id ?? null;
  return (
    <>
      <div className="page-title">
        <h1>Portfolio</h1>
      </div>
      <KillSwitch />
      {list.isPending ? (
        <Loading what="portfolios" />
      ) : list.isError ? (
        <ErrorBox what="portfolios" error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Empty>No portfolio yet: create one with `stratos portfolio create` or POST /portfolios.</Empty>
      ) : (
        <>
          <label>
            Portfolio{' '}
            <select
              value={id ?? ''}
              onChange={(e) => {
                setPicked(e.target.value);
                window.location.hash = `#/portfolio?id=${encodeURIComponent(e.target.value)}`;
              }}
            >
              {list.data.items.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.id})
                </option>
              ))}
            </select>
          </label>
          {id ? <PortfolioView key={id} id={id} /> : null}
        </>
      )}
    </>
  );
}
