import { type FormEvent, useState } from 'react';
import type { LifecycleBoard } from '../../../../shared/api/contracts/lifecycle.ts';
import { useLifecycleConfig, useRunCycle } from '../../api/queries/lifecycle.ts';
import { WriteError } from '../WriteError.tsx';

type Gates = LifecycleBoard['config']['gates'];

/** The gates an admin edits on the board, with their labels (fractions as fractions). */
const GATE_FIELDS: { key: keyof Gates & string; label: string; step: string }[] = [
  { key: 'min_trades', label: 'Min trades', step: '1' },
  { key: 'min_sharpe', label: 'Min Sharpe', step: '0.1' },
  { key: 'min_return', label: 'Min return', step: '0.01' },
  { key: 'max_drawdown', label: 'Max drawdown', step: '0.01' },
  { key: 'min_dsr', label: 'Min deflated Sharpe', step: '0.01' },
  { key: 'paper_min_days', label: 'Paper min days', step: '1' },
  { key: 'paper_stop', label: 'Paper stop', step: '0.01' },
  { key: 'paper_timeout_days', label: 'Paper timeout days', step: '1' },
  { key: 'max_live', label: 'Max live', step: '1' },
];

/** Discovery on/off, its rate, a cycle now, and the thresholds (admins change them; readers see them). */
export function DiscoveryControls({ board, admin }: { board: LifecycleBoard; admin: boolean }) {
  const config = useLifecycleConfig();
  const cycle = useRunCycle();
  const { config: c } = board;
  const [rate, setRate] = useState(String(c.proposals_per_hour));
  const [gates, setGates] = useState<Record<string, string>>(() =>
    Object.fromEntries(GATE_FIELDS.map((f) => [f.key, String(c.gates[f.key])])),
  );
  const saveRate = (e: FormEvent) => {
    e.preventDefault();
    config.mutate({ proposals_per_hour: Number(rate) });
  };
  const saveGates = (e: FormEvent) => {
    e.preventDefault();
    config.mutate({ gates: Object.fromEntries(Object.entries(gates).map(([k, v]) => [k, Number(v)])) });
  };
  return (
    <section className="lc-controls" aria-label="Discovery">
      <p>
        Discovery is <strong>{c.discovery_enabled ? 'on' : 'off'}</strong>: {c.proposals_per_hour} proposals
        an hour over {c.universe}, {c.lookback_days}-day backtests
        {board.schedule
          ? ` (schedule ${board.schedule.cron}${board.schedule.enabled ? '' : ', disabled'}, last run ${board.schedule.last_run_at ?? 'never'})`
          : ''}
        .
      </p>
      {admin ? (
        <>
          <div className="lc-row">
            <button
              type="button"
              className="btn small"
              disabled={config.isPending}
              onClick={() => config.mutate({ discovery_enabled: !c.discovery_enabled })}
            >
              {c.discovery_enabled ? 'Stop discovery' : 'Start discovery'}
            </button>
            <form onSubmit={saveRate} className="lc-row">
              <label>
                Rate per hour{' '}
                <input
                  type="number"
                  min={0}
                  max={50}
                  step={1}
                  value={rate}
                  onChange={(e) => setRate(e.target.value)}
                />
              </label>
              <button type="submit" className="btn small" disabled={config.isPending}>
                Set rate
              </button>
            </form>
            <button
              type="button"
              className="btn small"
              disabled={cycle.isPending}
              onClick={() => cycle.mutate()}
            >
              Run a cycle now
            </button>
          </div>
          <form onSubmit={saveGates} className="lc-gates" aria-label="Thresholds">
            {GATE_FIELDS.map((f) => (
              <label key={f.key}>
                {f.label}
                <input
                  type="number"
                  step={f.step}
                  value={gates[f.key] ?? ''}
                  onChange={(e) => setGates((g) => ({ ...g, [f.key]: e.target.value }))}
                />
              </label>
            ))}
            <button type="submit" className="btn small" disabled={config.isPending}>
              Save thresholds
            </button>
          </form>
          {config.isError ? <WriteError what="change the discovery settings" error={config.error} /> : null}
          {cycle.isError ? <WriteError what="run a cycle" error={cycle.error} /> : null}
        </>
      ) : (
        <p className="muted small">
          Gates: ≥ {c.gates.min_trades} trades, Sharpe ≥ {c.gates.min_sharpe}, return ≥{' '}
          {c.gates.min_return * 100}%, drawdown ≤ {c.gates.max_drawdown * 100}%, deflated Sharpe ≥{' '}
          {c.gates.min_dsr}; paper ≥ {c.gates.paper_min_days} days inside the band, stop at{' '}
          {c.gates.paper_stop * 100}%, timeout {c.gates.paper_timeout_days} days; at most {c.gates.max_live}{' '}
          live.
        </p>
      )}
    </section>
  );
}
