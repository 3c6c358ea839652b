import { type FormEvent, useState } from 'react';
import type { LifecycleCard } from '../../../../shared/api/contracts/lifecycle.ts';
import { useLifecycleAction } from '../../api/queries/lifecycle.ts';
import { WriteError } from '../WriteError.tsx';
import { money, num, pct } from './format.ts';

type Action = 'promote' | 'reject' | 'pause' | 'resume';

/** The actions the card's phase allows an admin. */
function actionsFor(card: LifecycleCard): Action[] {
  const out: Action[] = [];
  if (card.phase !== 'live') out.push('promote');
  out.push('reject', card.paused ? 'resume' : 'pause');
  return out;
}

/** An admin's action on one strategy: which, and the reason it is stored with. */
function ActionForm({ card }: { card: LifecycleCard }) {
  const act = useLifecycleAction();
  const [action, setAction] = useState<Action>(actionsFor(card)[0]!);
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    act.mutate({ id: card.strategy_id, action, reason: reason.trim() }, { onSuccess: () => setReason('') });
  };
  return (
    <form className="lc-action" onSubmit={submit} aria-label={`Act on ${card.strategy_id}`}>
      <select value={action} onChange={(e) => setAction(e.target.value as Action)} aria-label="Action">
        {actionsFor(card).map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
      <input
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder="reason"
        aria-label="Reason"
        maxLength={1000}
      />
      <button type="submit" className="btn small" disabled={act.isPending || reason.trim() === ''}>
        Apply
      </button>
      {act.isError ? <WriteError what={`${action} ${card.strategy_id}`} error={act.error} /> : null}
    </form>
  );
}

/** One strategy on the board: its name, the gate's numbers, its paper result, the latest reason. */
export function StrategyCard({ card, admin }: { card: LifecycleCard; admin: boolean }) {
  const params = card.params
    ? Object.entries(card.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')
    : null;
  return (
    <article className={`lc-card${card.paused ? ' paused' : ''}`} data-strategy={card.strategy_id}>
      <header>
        <strong>{card.name}</strong>
        <span className="muted"> {card.strategy_id}</span>
        {card.paused ? <span className="badge">paused</span> : null}
      </header>
      {params ? (
        <p className="muted small">
          {card.builtin}: {params}
        </p>
      ) : null}
      <dl className="lc-metrics">
        <dt title="Annualised Sharpe ratio of the backtest's daily returns">Sharpe</dt>
        <dd>{num(card.sharpe)}</dd>
        <dt title="Deflated Sharpe ratio: probability the true Sharpe beats the best of the trials' noise">
          DSR
        </dt>
        <dd>
          {num(card.dsr, 3)}
          {card.trials !== null ? <span className="muted"> / {card.trials} trials</span> : null}
        </dd>
        <dt>Return</dt>
        <dd>{pct(card.total_return)}</dd>
        <dt>Max DD</dt>
        <dd>{pct(card.max_drawdown)}</dd>
        <dt>Trades</dt>
        <dd>{num(card.trades, 0)}</dd>
        {card.portfolio_id ? (
          <>
            <dt>Paper</dt>
            <dd>
              <a href={`#/portfolio?id=${encodeURIComponent(card.portfolio_id)}`}>
                {card.paper_days ?? 0} days
              </a>
            </dd>
            <dt>P&amp;L</dt>
            <dd className={(card.pnl ?? 0) < 0 ? 'neg' : 'pos'}>
              {money(card.pnl)} ({pct(card.return_pct)})
            </dd>
          </>
        ) : null}
      </dl>
      {card.last_reason ? <p className="lc-reason small">{card.last_reason}</p> : null}
      {admin ? <ActionForm card={card} /> : null}
    </article>
  );
}
