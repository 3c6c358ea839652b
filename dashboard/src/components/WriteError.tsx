import { useAuth } from '../auth/AuthProvider.tsx';
import { writeErrorMessage } from '../lib/writeError.ts';

/**
 * The error of a write, next to the control that made it. A refusal (401/403) says so plainly and
 * offers the settings where the admin token goes; the shell's banner says it once for the page too.
 */
export function WriteError({ what, error }: { what: string; error: unknown }) {
  const { openSettings } = useAuth();
  const { refused, message } = writeErrorMessage(error);
  return (
    <div className={refused ? 'state error refused' : 'state error'} role="alert">
      <span>{refused ? message : `Could not ${what}: ${message}`}</span>
      {refused && (
        <button type="button" className="btn small" onClick={openSettings}>
          Settings
        </button>
      )}
    </div>
  );
}
