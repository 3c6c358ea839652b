import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../api/client.ts';
import { healthQuery } from '../api/queries.ts';
import { todayHref } from '../router.ts';
import { StatusBadge } from './Badges.tsx';

export function AppHeader() {
  const health = useQuery(healthQuery());
  return (
    <header className="app-header">
      <a className="brand" href={todayHref}>
        Stratos
      </a>
      <span className="muted">daily market signals</span>
      <span className="spacer" />
      {health.isPending && <span className="muted">checking health…</span>}
      {health.isError && (
        <span className="badge status-failed" title={errorMessage(health.error)}>
          api unreachable: {errorMessage(health.error)}
        </span>
      )}
      {health.data && (
        <>
          <span>
            latest date <strong className="num">{health.data.latest_date ?? 'none'}</strong>
          </span>
          <span
            title={`database ${health.data.database.ok ? 'ok' : 'down'}, ${health.data.database.latency_ms} ms`}
          >
            db{' '}
            <span className="num">
              {health.data.database.ok ? `${health.data.database.latency_ms} ms` : 'down'}
            </span>
          </span>
          <StatusBadge status={health.data.status} />
        </>
      )}
    </header>
  );
}
