import { useAuth } from '../auth/AuthProvider.tsx';

/** Shown when the server refused a write (401/403): says why and opens the settings to fix it. */
export function DeniedBanner() {
  const { denied, dismissDenied, openSettings, hasWriteCredential } = useAuth();
  if (!denied) return null;
  const text =
    denied.status === 401 || !hasWriteCredential
      ? 'Admin token needed: this action changes data. Paste the admin token printed by `npm start`, or sign in as an admin.'
      : 'Not allowed: your credentials can read but not write. This action needs an admin.';
  return (
    <div className="denied-banner" role="alert">
      <span>
        {text} <span className="muted small">(server: {denied.message})</span>
      </span>
      <button type="button" className="btn small primary" onClick={openSettings}>
        Open settings
      </button>
      <button type="button" className="btn small" onClick={dismissDenied}>
        Dismiss
      </button>
    </div>
  );
}
