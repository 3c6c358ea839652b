import { useTriggerRun } from '../../api/queries/runs.ts';
import { useAuth } from '../../auth/AuthProvider.tsx';
import { WriteError } from '../WriteError.tsx';

/**
 * Admin action: runs the review stage again asking anew about the reviews stored invalid (a cut-off
 * or ungrounded answer) on `date`, or on each market's latest day without one. The new answers
 * replace the invalid ones and are paid for in that review run (see the costs panel).
 */
export function RetryInvalidButton({ date }: { date?: string | undefined }) {
  const { hasWriteCredential } = useAuth();
  const trigger = useTriggerRun();
  if (!hasWriteCredential) return null;
  return (
    <>
      <button
        type="button"
        className="btn small"
        disabled={trigger.isPending}
        title="Ask the reviewer again about the answers stored invalid; the new answers replace them and count in the review run's cost"
        onClick={() => trigger.mutate({ stage: 'review', retry_invalid: true, ...(date ? { date } : {}) })}
      >
        {trigger.isPending ? 'Starting…' : 'Re-ask invalid reviews'}
      </button>
      {trigger.isError && <WriteError what="re-ask the invalid reviews" error={trigger.error} />}
      {trigger.isSuccess && (
        <span className="muted small" role="status">
          Started {trigger.data.map((r) => `review ${r.universe} ${r.run_date} (#${r.id})`).join(', ')}.
        </span>
      )}
    </>
  );
}
