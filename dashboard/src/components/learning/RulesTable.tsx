import { type FormEvent, useState } from 'react';
import type { LearnedRuleView } from '../../../../shared/api/contracts/learning.ts';
import { useLearningDecision } from '../../api/queries/learning.ts';
import { formatFractionPct, formatInt, formatNumber } from '../../lib/format.ts';
import { WriteError } from '../WriteError.tsx';

type Decision = 'active' | 'retired';

const STATUS_CLASS: Record<LearnedRuleView['status'], string> = {
  proposed: 'badge status-queued',
  active: 'badge status-succeeded',
  retired: 'badge',
};

/** An admin's Activate / Retire of one rule: the button asks for the reason the decision is stored with. */
function RuleActions({ rule }: { rule: LearnedRuleView }) {
  const decide = useLearningDecision();
  const [pending, setPending] = useState<Decision | null>(null);
  const [reason, setReason] = useState('');
  const verb = (d: Decision) => (d === 'active' ? 'Activate' : 'Retire');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!pending) return;
    decide.mutate(
      { id: rule.id, status: pending, reason: reason.trim() },
      {
        onSuccess: () => {
          setPending(null);
          setReason('');
        },
      },
    );
  };
  if (pending) {
    return (
      <form className="learn-decide" onSubmit={submit} aria-label={`${verb(pending)} rule ${rule.id}`}>
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={`why ${pending === 'active' ? 'activate' : 'retire'}`}
          aria-label="Reason"
          maxLength={1000}
          // biome-ignore lint/a11y/noAutofocus: the reason is the only thing the admin types next
          autoFocus
        />
        <button type="submit" className="btn small" disabled={decide.isPending || reason.trim() === ''}>
          {verb(pending)}
        </button>
        <button type="button" className="btn small" onClick={() => setPending(null)}>
          Cancel
        </button>
        {decide.isError ? (
          <WriteError
            what={`${pending === 'active' ? 'activate' : 'retire'} rule ${rule.id}`}
            error={decide.error}
          />
        ) : null}
      </form>
    );
  }
  return (
    <span className="learn-decide">
      {rule.status !== 'active' ? (
        <button type="button" className="btn small" onClick={() => setPending('active')}>
          Activate
        </button>
      ) : null}
      {rule.status !== 'retired' ? (
        <button type="button" className="btn small" onClick={() => setPending('retired')}>
          Retire
        </button>
      ) : null}
    </span>
  );
}

/**
 * The learned rules with their evidence: the setup's closed trades the conditions match (support), how
 * many of those won against the setup's own win rate, and the failure lift (above 1: the rule picks losers).
 */
export function RulesTable({ rules, admin }: { rules: LearnedRuleView[]; admin: boolean }) {
  return (
    <div className="table-wrap">
      <table className="grid learn-rules">
        <thead>
          <tr>
            <th scope="col">setup</th>
            <th scope="col">blocks buys when</th>
            <th scope="col">status</th>
            <th scope="col" className="num" title="The setup's closed trades whose entry snapshot matches">
              support
            </th>
            <th scope="col" className="num" title="Win rate of the matching trades">
              success
            </th>
            <th scope="col" className="num" title="The setup's win rate over all its closed trades">
              base rate
            </th>
            <th
              scope="col"
              className="num"
              title="Failure rate under the rule over the setup's failure rate (1: no information)"
            >
              lift
            </th>
            {admin ? <th scope="col">decide</th> : null}
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.id} data-rule={r.id}>
              <th scope="row" className="mono">
                {r.setup}
              </th>
              <td className="mono">{r.description}</td>
              <td>
                <span className={STATUS_CLASS[r.status]}>{r.status}</span>
              </td>
              <td className="num">{formatInt(r.support)}</td>
              <td className="num">
                {formatFractionPct(r.success_rate, 1)}{' '}
                <span className="muted small">
                  ({formatInt(r.successes)}/{formatInt(r.support)})
                </span>
              </td>
              <td className="num">{formatFractionPct(r.base_rate, 1)}</td>
              <td className="num">{formatNumber(r.lift)}</td>
              {admin ? (
                <td>
                  <RuleActions rule={r} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
