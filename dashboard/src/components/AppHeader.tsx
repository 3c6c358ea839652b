import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../api/client.ts';
import { healthQuery } from '../api/queries/health.ts';
import { useAuth } from '../auth/AuthProvider.tsx';
import { useTheme } from '../lib/theme.ts';
import { navigate, PAGES, type Route, screenerHref } from '../router.ts';
import { parseScreener, serializeScreener } from '../screener/state.ts';
import { StatusBadge } from './Badges.tsx';
import { SymbolSearchInput } from './SymbolSearchInput.tsx';

/** Symbol search: Enter opens the screener filtered by it. Hidden on the screener, which has its own. */
function HeaderSearch() {
  const [q, setQ] = useState('');
  return (
    <search>
      <form
        className="header-search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(screenerHref(serializeScreener({ ...parseScreener(''), q })));
          setQ('');
        }}
      >
        <SymbolSearchInput label="Search assets by symbol or name" value={q} onChange={setQ} />
      </form>
    </search>
  );
}

function HealthStatus() {
  const health = useQuery(healthQuery());
  if (health.isPending) return <span className="muted small">checking…</span>;
  if (health.isError)
    return (
      <span className="badge status-failed" title={errorMessage(health.error)}>
        api unreachable
      </span>
    );
  const db = health.data.database;
  return (
    <span className="health" title={`database ${db.ok ? `ok, ${db.latency_ms} ms` : 'down'}`}>
      <span className="muted small hide-narrow">
        latest <strong className="num">{health.data.latest_date ?? 'none'}</strong>
      </span>{' '}
      <StatusBadge status={health.data.status} />
    </span>
  );
}

/** Brand, page navigation, search, run indicator, health, theme and settings. */
export function AppHeader({ route, runInProgress }: { route: Route; runInProgress: boolean }) {
  const { theme, setChoice } = useTheme();
  const auth = useAuth();
  const credential = auth.user ? (auth.user.email ?? 'signed in') : auth.adminToken ? 'admin token' : null;
  return (
    <header className="app-header">
      <div className="header-row">
        <a className="brand" href="#/">
          Stratos
        </a>
        <nav aria-label="Pages" className="nav">
          {PAGES.map((p) => (
            <a
              key={p.page}
              href={p.href}
              aria-current={
                route.page === p.page || (route.page === 'backtest' && p.page === 'backtests')
                  ? 'page'
                  : undefined
              }
            >
              {p.label}
            </a>
          ))}
        </nav>
        <span className="spacer" />
        {route.page !== 'screener' && <HeaderSearch />}
        {runInProgress && (
          <a
            className="live"
            href="#/pipeline"
            title="A pipeline run is in progress; pages refresh as it goes"
          >
            <span className="pulse" aria-hidden="true" /> running
          </a>
        )}
        <HealthStatus />
        <button
          type="button"
          className="icon-btn"
          onClick={() => setChoice(theme === 'dark' ? 'light' : 'dark')}
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          title={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme (Settings can follow the system)`}
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <button
          type="button"
          className="icon-btn settings-btn"
          onClick={auth.openSettings}
          title={credential ? `Writes signed with: ${credential}` : 'Read-only: add an admin token to write'}
        >
          ⚙ <span className="hide-narrow">{credential ? 'admin' : 'settings'}</span>
        </button>
      </div>
    </header>
  );
}
