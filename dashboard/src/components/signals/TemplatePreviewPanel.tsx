import { useQuery } from '@tanstack/react-query';
import { templatePreviewQuery } from '../../api/queries/templates.ts';
import { formatNumber } from '../../lib/format.ts';
import { assetHref } from '../../router.ts';
import { Evidence } from '../Evidence.tsx';
import { Empty, ErrorBox, Loading } from '../QueryState.tsx';

/** Which assets the draft would fire on today; `definition` is only given once it validates. */
export function TemplatePreviewPanel({ definition, text }: { definition: unknown | null; text: string }) {
  const preview = useQuery({ ...templatePreviewQuery(definition, text), enabled: definition !== null });
  return (
    <section aria-live="polite" aria-busy={preview.isFetching}>
      <div className="card-head">
        <h3>Live preview</h3>
        {preview.data && (
          <span className="muted small">
            {preview.data.items.length} asset{preview.data.items.length === 1 ? '' : 's'} ·{' '}
            {preview.data.date ?? 'each market on its latest date'}
          </span>
        )}
        {preview.isFetching && <span className="muted small">updating…</span>}
      </div>
      {definition === null && !preview.data && <Empty>The preview runs once the template validates.</Empty>}
      {definition !== null && preview.isPending && <Loading what="the preview" />}
      {preview.isError && (
        <ErrorBox what="the preview" error={preview.error} onRetry={() => void preview.refetch()} />
      )}
      {preview.data && preview.data.items.length === 0 && <Empty>It would fire on no asset.</Empty>}
      {preview.data && preview.data.items.length > 0 && (
        <div
          className={`table-wrap scroll-y ${preview.isPlaceholderData || definition === null ? 'stale' : ''}`}
        >
          <table className="grid">
            <thead>
              <tr>
                <th>asset</th>
                <th className="num">strength</th>
                <th>evidence</th>
              </tr>
            </thead>
            <tbody>
              {preview.data.items.map((p) => (
                <tr key={`${p.universe}/${p.asset_id}`}>
                  <td>
                    <a className="sym" href={assetHref(p.asset_type, p.symbol)}>
                      {p.symbol}
                    </a>{' '}
                    <span className="muted small nowrap">{p.date}</span>
                  </td>
                  <td className="num">{formatNumber(p.strength, 1)}</td>
                  <td>
                    <Evidence evidence={p.evidence} />
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
