import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useStartBacktest } from '../../api/queries/backtests.ts';
import { LATEST_RUNS, runsListQuery } from '../../api/queries/runs.ts';
import { strategiesQuery } from '../../api/queries/strategies.ts';
import { backtestHref, navigate } from '../../router.ts';
import { WriteError } from '../WriteError.tsx';
import { parseOverrides, specMarkets } from './backtestData.ts';

const DEFAULT_CASH = 100_000;

/**
 * Starts a backtest (admin): a stored strategy, a built-in's parameter overrides, a universe, an
 * optional date range and the starting cash. On success the page follows the backtest's result.
 */
export function RunBacktestForm() {
  const id = useId();
  const strategies = useQuery(strategiesQuery());
  // Universes with runs: the ones that have data to backtest over.
  const runs = useQuery(runsListQuery(LATEST_RUNS));
  const universes = [...new Set((runs.data?.items ?? []).map((r) => r.universe))].sort();
  const start = useStartBacktest();
  const [strategy, setStrategy] = useState('');
  const [overrides, setOverrides] = useState('');
  const [universe, setUniverse] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [cash, setCash] = useState(String(DEFAULT_CASH));

  const list = strategies.data?.items ?? [];
  const chosen = strategy || list[0]?.id || '';
  const markets = specMarkets(list.find((s) => s.id === chosen)?.spec ?? {});
  const parsedOverrides = parseOverrides(overrides);
  const cashValue = Number(cash);
  const cashOk = cash.trim() !== '' && Number.isFinite(cashValue) && cashValue > 0;
  const chosenUniverse = universe || universes[0] || '';
  const ready = chosen !== '' && chosenUniverse !== '' && parsedOverrides.ok && cashOk;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready || !parsedOverrides.ok) return;
    start.mutate(
      {
        strategy: chosen,
        universe: chosenUniverse,
        cash: cashValue,
        ...(Object.keys(parsedOverrides.value).length ? { set: parsedOverrides.value } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      },
      { onSuccess: (b) => navigate(backtestHref(b.id)) },
    );
  };

  return (
    <section className="card">
      <div className="card-head">
        <h2>Run a backtest</h2>
        <span className="muted small">admin</span>
      </div>
      <form className="form-row backtest-form" onSubmit={submit}>
        <label htmlFor={`${id}-strategy`}>strategy</label>
        <select id={`${id}-strategy`} value={chosen} onChange={(e) => setStrategy(e.target.value)}>
          {list.map((s) => (
            <option key={s.id} value={s.id}>
              {s.id} (v{s.version}, {s.name})
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-set`}>overrides</label>
        <input
          id={`${id}-set`}
          value={overrides}
          placeholder="fast=20 slow=50"
          spellCheck={false}
          aria-invalid={!parsedOverrides.ok}
          aria-describedby={`${id}-set-hint`}
          onChange={(e) => setOverrides(e.target.value)}
        />
        <label htmlFor={`${id}-universe`}>universe</label>
        <input
          id={`${id}-universe`}
          list={`${id}-universes`}
          value={universe}
          placeholder={universes[0] ?? 'crypto_all'}
          spellCheck={false}
          onChange={(e) => setUniverse(e.target.value.trim())}
        />
        <datalist id={`${id}-universes`}>
          {universes.map((u) => (
            <option key={u} value={u} />
          ))}
        </datalist>
        <label htmlFor={`${id}-from`}>from</label>
        <input id={`${id}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <label htmlFor={`${id}-to`}>to</label>
        <input id={`${id}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        <label htmlFor={`${id}-cash`}>cash</label>
        <input
          id={`${id}-cash`}
          type="number"
          min="1"
          step="any"
          value={cash}
          aria-invalid={!cashOk}
          onChange={(e) => setCash(e.target.value)}
        />
        <button type="submit" className="btn primary" disabled={!ready || start.isPending}>
          {start.isPending ? 'Starting…' : 'Run backtest'}
        </button>
      </form>
      <p id={`${id}-set-hint`} className="muted small">
        {parsedOverrides.ok ? (
          <>
            Overrides set a built-in's parameters (e.g. <span className="mono">fast=20 slow=50</span> for
            sma_cross). Empty dates: the universe's whole history.
            {markets.length > 0 && ` ${chosen} trades ${markets.join(' and ')}.`}
          </>
        ) : (
          <span className="neg">{parsedOverrides.message}</span>
        )}
      </p>
      {start.isError && <WriteError what="start the backtest" error={start.error} />}
    </section>
  );
}
