import { useQuery } from '@tanstack/react-query';
import { strategiesQuery } from '../../api/queries/strategies.ts';
import { Empty, ErrorBox, Loading } from '../QueryState.tsx';
import { specMarkets } from './backtestData.ts';

/** Every strategy's latest version: name, id, type, markets and description, each openable in the editor. */
export function StrategiesPanel({ onOpen, onNew }: { onOpen: (id: string) => void; onNew: () => void }) {
  const strategies = useQuery(strategiesQuery());
  const list = [...(strategies.data?.items ?? [])].sort((a, b) => a.id.localeCompare(b.id));
  return (
    <section className="card" aria-labelledby="strategies-title">
      <div className="card-head">
        <h2 id="strategies-title">Strategies</h2>
        <span className="muted small">specs as data, every change a new version</span>
        <span className="spacer" />
        <button type="button" className="btn small" onClick={onNew}>
          New strategy
        </button>
      </div>
      {strategies.isPending && <Loading what="strategies" />}
      {strategies.isError && (
        <ErrorBox what="strategies" error={strategies.error} onRetry={() => void strategies.refetch()} />
      )}
      {strategies.data && list.length === 0 && <Empty>No strategies stored yet.</Empty>}
      {list.length > 0 && (
        <div className="table-wrap">
          <table className="grid strategies">
            <thead>
              <tr>
                <th scope="col">name</th>
                <th scope="col">id</th>
                <th scope="col">type</th>
                <th scope="col">markets</th>
                <th scope="col">description</th>
                <th scope="col">
                  <span className="sr-only">open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id}>
                  <td className="mono">{s.name}</td>
                  <td className="mono">
                    {s.id} <span className="muted">v{s.version}</span>
                    {s.builtin && <span className="badge">built-in</span>}
                  </td>
                  <td className="mono">{String(s.spec.type ?? '')}</td>
                  <td>{specMarkets(s.spec).join(', ')}</td>
                  <td className="clip" title={s.description}>
                    {s.description}
                  </td>
                  <td>
                    <button type="button" className="btn small" onClick={() => onOpen(s.id)}>
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
