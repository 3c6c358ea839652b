import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useStartBacktest } from '../../api/queries/backtests.ts';
import { LATEST_RUNS, runsListQuery } from '../../api/queries/runs.ts';
import { strategiesQuery } from '../../api/queries/strategies.ts';
import { backtestHref, navigate } from '../../router.ts';
import { WriteError } from '../WriteError.tsx';
import {
  overrideProblem,
  parameterRange,
  parseOverrides,
  parseWalkForward,
  specMarkets,
  type WalkForwardFields,
} from './backtestData.ts';

const DEFAULT_CASH = 100_000;

const NO_WALK_FORWARD: WalkForwardFields = { mode: '', train: '252', test: '63', step: '', embargo: '' };

/**
 * Starts a backtest (admin): a stored strategy, a built-in's parameter overrides (its parameters listed
 * with defaults and ranges), a universe, an optional date range, the starting cash and an optional
 * walk-forward (rolling or anchored folds, their lengths and embargo). On success the page follows the
 * backtest's result.
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
  const [walk, setWalk] = useState(NO_WALK_FORWARD);
  const setWalkField = (k: keyof WalkForwardFields) => (e: { target: { value: string } }) =>
    setWalk({ ...walk, [k]: e.target.value });

  const list = strategies.data?.items ?? [];
  const chosen = strategy || list[0]?.id || '';
  const chosenStrategy = list.find((s) => s.id === chosen);
  const markets = specMarkets(chosenStrategy?.spec ?? {});
  const parameters = chosenStrategy?.parameters ?? [];
  const parsed = parseOverrides(overrides);
  const problem = parsed.ok ? overrideProblem(chosen, parameters, parsed.value) : parsed.message;
  const walkForward = parseWalkForward(walk);
  const cashValue = Number(cash);
  const cashOk = cash.trim() !== '' && Number.isFinite(cashValue) && cashValue > 0;
  const chosenUniverse = universe || universes[0] || '';
  const ready = chosen !== '' && chosenUniverse !== '' && problem === null && walkForward.ok && cashOk;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready || !parsed.ok || !walkForward.ok) return;
    start.mutate(
      {
        strategy: chosen,
        universe: chosenUniverse,
        cash: cashValue,
        ...(Object.keys(parsed.value).length ? { set: parsed.value } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(walkForward.value ? { walk_forward: walkForward.value } : {}),
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
          aria-invalid={problem !== null}
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
        <label htmlFor={`${id}-wf`}>walk-forward</label>
        <select id={`${id}-wf`} value={walk.mode} onChange={setWalkField('mode')}>
          <option value="">off</option>
          <option value="rolling">rolling folds</option>
          <option value="anchored">anchored folds</option>
        </select>
        {walk.mode !== '' && (
          <>
            <label htmlFor={`${id}-wf-train`}>train days</label>
            <input
              id={`${id}-wf-train`}
              type="number"
              min="1"
              step="1"
              value={walk.train}
              onChange={setWalkField('train')}
            />
            <label htmlFor={`${id}-wf-test`}>test days</label>
            <input
              id={`${id}-wf-test`}
              type="number"
              min="1"
              step="1"
              value={walk.test}
              onChange={setWalkField('test')}
            />
            <label htmlFor={`${id}-wf-step`}>step days</label>
            <input
              id={`${id}-wf-step`}
              type="number"
              min="1"
              step="1"
              value={walk.step}
              placeholder="= test"
              onChange={setWalkField('step')}
            />
            <label htmlFor={`${id}-wf-embargo`}>embargo days</label>
            <input
              id={`${id}-wf-embargo`}
              type="number"
              min="0"
              step="1"
              value={walk.embargo}
              placeholder="lookback"
              onChange={setWalkField('embargo')}
            />
          </>
        )}
        <button type="submit" className="btn primary" disabled={!ready || start.isPending}>
          {start.isPending ? 'Starting…' : 'Run backtest'}
        </button>
      </form>
      <p id={`${id}-set-hint`} className="muted small">
        {problem === null ? (
          <>
            Overrides set a built-in's parameters (e.g. <span className="mono">fast=20 slow=50</span> for
            sma_cross). Empty dates: the universe's whole history.
            {markets.length > 0 && ` ${chosen} trades ${markets.join(' and ')}.`}
          </>
        ) : (
          <span className="neg">{problem}</span>
        )}
      </p>
      {walk.mode !== '' && (
        <p className="muted small">
          {walkForward.ok ? (
            <>
              {walk.mode === 'rolling'
                ? 'Rolling: each train window has the same length and slides by the step.'
                : 'Anchored: every train window starts at the range start and grows by the step.'}{' '}
              The embargo (empty: the strategy's longest lookback, the least accepted) separates each train
              window from its test window; every window starts from fresh cash, and the test windows chained
              give the out-of-sample result.
            </>
          ) : (
            <span className="neg">{walkForward.message}</span>
          )}
        </p>
      )}
      {parameters.length > 0 && (
        <div className="table-wrap">
          <table className="grid parameters">
            <caption className="muted small">{chosen}'s parameters (override as name=value)</caption>
            <thead>
              <tr>
                <th scope="col">name</th>
                <th scope="col">default · range</th>
                <th scope="col">what it sets</th>
              </tr>
            </thead>
            <tbody>
              {parameters.map((p) => (
                <tr key={p.name}>
                  <td className="mono">{p.name}</td>
                  <td className="mono">{parameterRange(p)}</td>
                  <td>{p.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {start.isError && <WriteError what="start the backtest" error={start.error} />}
    </section>
  );
}
