import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useMemo } from 'react';
import type { BacktestDetail } from '../../../../shared/api/contracts/backtests.ts';
import {
  backtestCompareQuery,
  backtestDetailQuery,
  backtestInProgress,
  backtestsListQuery,
} from '../../api/queries/backtests.ts';
import { formatDateTime, formatDuration, formatInt, formatNumber } from '../../lib/format.ts';
import { LIVE_POLL_MS } from '../../lib/runs.ts';
import { backtestHref, navigate } from '../../router.ts';
import { Empty, ErrorBox, Loading } from '../QueryState.tsx';
import { BacktestStatus } from './BacktestsTable.tsx';
import { type EquityPoint, formatOverrides } from './backtestData.ts';
import type { EquityLine } from './EquityChart.tsx';
import { FoldsTable } from './FoldsTable.tsx';
import { type MetricsColumn, MetricsTable } from './MetricsTable.tsx';
import { MonthlyReturns } from './MonthlyReturns.tsx';
import { TradesTable } from './TradesTable.tsx';

// lightweight-charts loads with the chart, after the backtest's data.
const EquityChart = lazy(() => import('./EquityChart.tsx'));

const COLORS = { strategy: '#2563eb', benchmark: '#64748b', compared: '#a855f7' };

const curve = (d: BacktestDetail): EquityPoint[] => d.equity.map((p) => ({ date: p.date, equity: p.equity }));

function benchmarkCurve(d: BacktestDetail): EquityPoint[] {
  const out: EquityPoint[] = [];
  for (const p of d.equity)
    if (p.benchmark_equity !== null) out.push({ date: p.date, equity: p.benchmark_equity });
  return out;
}

const label = (d: Pick<BacktestDetail, 'id' | 'strategy' | 'strategy_version'>) =>
  `#${d.id} ${d.strategy} v${d.strategy_version}`;

/** What ran: strategy, parameters, universe, range, cash, state and timings. */
function Header({ detail }: { detail: BacktestDetail }) {
  const overrides = formatOverrides(detail.overrides);
  return (
    <section className="card" aria-label="Backtest">
      <dl className="facts">
        <div>
          <dt>strategy</dt>
          <dd className="mono">
            {detail.strategy} v{detail.strategy_version}
            {overrides && ` · ${overrides}`}
          </dd>
        </div>
        <div>
          <dt>universe</dt>
          <dd className="mono">{detail.universe}</dd>
        </div>
        <div>
          <dt>range</dt>
          <dd className="num">
            {detail.from} → {detail.to}
          </dd>
        </div>
        <div>
          <dt>cash</dt>
          <dd className="num">{formatNumber(detail.cash, 0)}</dd>
        </div>
        <div>
          <dt>status</dt>
          <dd>
            <BacktestStatus status={detail.status} />
          </dd>
        </div>
        <div>
          <dt>started</dt>
          <dd className="num">{formatDateTime(detail.created_at)}</dd>
        </div>
        {Object.keys(detail.timings).length > 0 && (
          <div>
            <dt>timings</dt>
            <dd className="num">
              {Object.entries(detail.timings)
                .map(([k, v]) =>
                  k.endsWith('_ms') ? `${k.slice(0, -3)} ${formatDuration(v)}` : `${formatInt(v)} ${k}`,
                )
                .join(' · ')}
            </dd>
          </div>
        )}
      </dl>
      {detail.error && (
        <div className="state error" role="alert">
          {detail.error}
        </div>
      )}
      {backtestInProgress(detail) && (
        <div className="state loading" role="status">
          Backtest {detail.status} · refreshing every {LIVE_POLL_MS / 1000} s
          {detail.run_id !== null && (
            <>
              {' '}
              (run #{detail.run_id} on the <a href="#/pipeline">Pipeline</a> page)
            </>
          )}
        </div>
      )}
    </section>
  );
}

/** Picks another finished backtest to compare with, side by side. */
function ComparePicker({ id, compareId }: { id: number; compareId: number | null }) {
  const htmlId = useId();
  const list = useQuery(backtestsListQuery({ limit: 100 }));
  const others = (list.data?.items ?? []).filter((b) => b.id !== id && b.status === 'succeeded');
  if (others.length === 0 && compareId === null) return null;
  return (
    <div className="form-row compare-picker">
      <label htmlFor={htmlId}>compare with</label>
      <select
        id={htmlId}
        value={compareId ?? ''}
        onChange={(e) => navigate(backtestHref(id, e.target.value ? Number(e.target.value) : undefined))}
      >
        <option value="">nothing</option>
        {others.map((b) => (
          <option key={b.id} value={b.id}>
            {label(b)} · {b.universe} {b.from} → {b.to}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * One backtest: equity against the benchmark with the drawdown, the metrics with their definitions,
 * monthly returns and the trades; with `compareId`, another backtest's curve and metrics beside it.
 */
export function BacktestResult({ id, compareId }: { id: number; compareId: number | null }) {
  const detail = useQuery(backtestDetailQuery(id));
  const other = useQuery({ ...backtestDetailQuery(compareId ?? 0), enabled: compareId !== null });
  const comparison = useQuery({ ...backtestCompareQuery(id, compareId ?? 0), enabled: compareId !== null });
  const d = detail.data;
  const o = compareId !== null ? other.data : undefined;

  const lines = useMemo<EquityLine[]>(() => {
    if (!d) return [];
    const out: EquityLine[] = [{ label: label(d), color: COLORS.strategy, points: curve(d) }];
    if (o) out.push({ label: label(o), color: COLORS.compared, points: curve(o) });
    const bench = benchmarkCurve(d);
    if (d.benchmark && bench.length)
      out.push({
        label: `buy & hold ${d.benchmark.symbol}`,
        color: COLORS.benchmark,
        points: bench,
        dashed: true,
      });
    return out;
  }, [d, o]);

  if (detail.isPending) return <Loading what={`backtest #${id}`} />;
  if (detail.isError)
    return <ErrorBox what={`backtest #${id}`} error={detail.error} onRetry={() => void detail.refetch()} />;
  const data = detail.data;

  const columns: MetricsColumn[] = [{ label: label(data), metrics: data.metrics }];
  if (compareId !== null) {
    const c = comparison.data;
    columns.push({ label: c ? label(c.b) : `#${compareId}`, metrics: c?.b.metrics ?? null });
    columns.push({ label: `#${compareId} − #${id}`, metrics: c?.difference ?? null });
  }
  if (data.benchmark)
    columns.push({ label: `buy & hold ${data.benchmark.symbol}`, metrics: data.benchmark.metrics });

  return (
    <>
      <Header detail={data} />
      {data.status === 'succeeded' && (
        <>
          <section className="card" aria-labelledby="equity-title">
            <div className="card-head">
              <h2 id="equity-title">Equity</h2>
              <span className="spacer" />
              <ComparePicker id={id} compareId={compareId} />
            </div>
            {compareId !== null && (other.isError || comparison.isError) && (
              <ErrorBox what={`backtest #${compareId}`} error={other.error ?? comparison.error} />
            )}
            {data.equity.length === 0 ? (
              <Empty>No equity curve stored.</Empty>
            ) : (
              <Suspense fallback={<Loading what="chart" />}>
                <EquityChart
                  lines={lines}
                  drawdown={data.equity}
                  label={`Equity of backtest #${id} against its benchmark, with its drawdown`}
                />
              </Suspense>
            )}
          </section>
          <div className="backtest-grid">
            <section className="card" aria-labelledby="metrics-title">
              <div className="card-head">
                <h2 id="metrics-title">Metrics</h2>
                <span className="muted small">hover a metric for its definition</span>
              </div>
              <MetricsTable columns={columns} />
            </section>
            <section className="card" aria-labelledby="monthly-title">
              <div className="card-head">
                <h2 id="monthly-title">Monthly returns</h2>
              </div>
              <MonthlyReturns points={lines[0]?.points ?? []} start={data.cash} />
            </section>
          </div>
          {data.walk_forward && data.folds.length > 0 && (
            <section className="card" aria-labelledby="folds-title">
              <div className="card-head">
                <h2 id="folds-title">Walk-forward</h2>
                <span className="muted small">
                  {data.walk_forward.mode} · train {data.walk_forward.train} · embargo{' '}
                  {data.walk_forward.embargo} · test {data.walk_forward.test} · step {data.walk_forward.step}{' '}
                  trading days, each window from fresh cash
                </span>
              </div>
              <FoldsTable folds={data.folds} oos={data.oos} />
            </section>
          )}
          <section className="card" aria-labelledby="trades-title">
            <div className="card-head">
              <h2 id="trades-title">Trades</h2>
              <span className="muted small">
                {formatInt(data.trades.length)} closed · an asset opens its chart with these trades
              </span>
            </div>
            <TradesTable trades={data.trades} backtestId={id} />
          </section>
        </>
      )}
    </>
  );
}
