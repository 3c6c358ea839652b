import type { ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';

export function Loading({ what }: { what: string }) {
  return (
    <div className="state loading" role="status">
      Loading {what}…
    </div>
  );
}

export function ErrorBox({ what, error, onRetry }: { what: string; error: unknown; onRetry?: () => void }) {
  return (
    <div className="state error" role="alert">
      <span>
        Could not load {what}: {errorMessage(error)}
      </span>
      {onRetry && (
        <button type="button" className="btn small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}
