import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useAuth } from '../auth/AuthProvider.tsx';
import { type ThemeChoice, useTheme } from '../lib/theme.ts';

function TokenForm() {
  const { adminToken, setAdminToken } = useAuth();
  const [draft, setDraft] = useState('');
  const [saved, setSaved] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAdminToken(draft);
    setDraft('');
    setSaved(true);
  };
  return (
    <form onSubmit={submit} className="settings-section">
      <h3>Admin token</h3>
      <p className="muted small">
        Writes (run triggers, retries, schedules, templates) need an admin. Locally, paste the token{' '}
        <code>npm start</code> printed (also <code>STRATOS_ADMIN_TOKEN</code> in <code>.env</code>). It is
        kept in this browser only.
      </p>
      <div className="row">
        <input
          type="password"
          autoComplete="off"
          aria-label="Admin token"
          placeholder={adminToken ? '•••••• stored' : 'paste the admin token'}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            setSaved(false);
          }}
        />
        <button type="submit" className="btn primary small" disabled={!draft.trim()}>
          Save
        </button>
        <button
          type="button"
          className="btn small"
          disabled={!adminToken}
          onClick={() => {
            setAdminToken(null);
            setSaved(false);
          }}
        >
          Forget
        </button>
      </div>
      <p className="small" aria-live="polite">
        {adminToken ? (saved ? 'Saved. Writes now send it.' : 'A token is stored.') : 'No token: read-only.'}
      </p>
    </form>
  );
}

function SignIn() {
  const { user, signIn, signOut } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (user) {
    return (
      <div className="settings-section">
        <h3>Supabase account</h3>
        <p>
          Signed in as <strong>{user.email ?? 'unknown'}</strong>
          {user.role === 'admin' ? ' (admin)' : ' (reader: writes need the admin role)'}
        </p>
        <button type="button" className="btn small" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      setPassword('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="settings-section" onSubmit={(e) => void submit(e)}>
      <h3>Supabase account</h3>
      <div className="row">
        <input
          type="email"
          autoComplete="username"
          aria-label="Email"
          placeholder="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
        <input
          type="password"
          autoComplete="current-password"
          aria-label="Password"
          placeholder="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <button type="submit" className="btn primary small" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
      {error && (
        <p className="neg small" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** The settings dialog: credentials for writes, theme, and where the dashboard gets its data. */
export function SettingsDialog() {
  const auth = useAuth();
  const { choice, setChoice } = useTheme();
  const dialog = useRef<HTMLDialogElement>(null);

  // A native modal dialog: focus is trapped, Escape closes it, focus returns to the opener.
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (auth.settingsOpen && !d.open) d.showModal();
    if (!auth.settingsOpen && d.open) d.close();
  }, [auth.settingsOpen]);

  return (
    <dialog ref={dialog} className="settings" aria-labelledby="settings-title" onClose={auth.closeSettings}>
      <div className="card-head">
        <h2 id="settings-title">Settings</h2>
        <span className="spacer" />
        <button type="button" className="btn small" onClick={auth.closeSettings}>
          Close
        </button>
      </div>
      <TokenForm />
      {auth.supabaseEnabled && <SignIn />}
      <fieldset className="settings-section">
        <legend>
          <h3>Theme</h3>
        </legend>
        <div className="row">
          {THEMES.map((t) => (
            <label key={t.value} className="toggle">
              <input
                type="radio"
                name="theme"
                value={t.value}
                checked={choice === t.value}
                onChange={() => setChoice(t.value)}
              />
              {t.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="settings-section small muted">
        <h3>Connection</h3>
        API <span className="mono">{auth.config.apiBase}</span> · publishable key{' '}
        {auth.config.publishableKey ? 'set' : 'not set'} · config from{' '}
        {auth.configSource === 'file' ? 'dashboard-config.json' : 'build-time variables'}
      </div>
    </dialog>
  );
}
