import { useQuery } from '@tanstack/react-query';
import type { QualityEntry } from '../../../shared/api/contracts/quality.ts';
import { qualityListQuery } from '../api/queries/quality.ts';
import { assetHref } from '../router.ts';
import { Empty, ErrorBox, Loading } from './QueryState.tsx';

const SHOWN = 20;

/** The entry's asset; a rejected row may name a symbol that is not (yet) an asset. */
function AssetLink({ entry }: { entry: QualityEntry }) {
  if (!entry.symbol) return <span className="muted">(no symbol)</span>;
  if (entry.asset_type !== 'crypto' && entry.asset_type !== 'equity')
    return <span className="sym">{entry.symbol}</span>;
  return (
    <a href={assetHref(entry.asset_type, entry.symbol)} className="sym">
      {entry.symbol}
    </a>
  );
}

/** The latest date's data-quality ledger: bars flagged or rejected, provider disagreements. */
export function QualityAlerts() {
  const quality = useQuery(qualityListQuery({}));
  const items = quality.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="quality-alerts">
      <div className="card-head">
        <h2 id="quality-alerts">Data-quality alerts</h2>
        {quality.data?.date && <span className="muted num">{quality.data.date}</span>}
        {items.length > 0 && <span className="count num">{items.length}</span>}
      </div>
      {quality.isPending && <Loading what="data-quality alerts" />}
      {quality.isError && (
        <ErrorBox what="data-quality alerts" error={quality.error} onRetry={() => void quality.refetch()} />
      )}
      {quality.data && items.length === 0 && <Empty>No data-quality entries on the latest date.</Empty>}
      {items.length > 0 && (
        <ul className="alerts">
          {items.slice(0, SHOWN).map((q) => (
            <li key={q.id}>
              <span className={`badge ${q.kind === 'rejected' ? 'status-failed' : 'status-partial'}`}>
                {q.kind}
              </span>{' '}
              <AssetLink entry={q} /> <span className="muted small">{q.source}</span> {q.reason}
            </li>
          ))}
          {items.length > SHOWN && (
            <li className="muted">
              and {items.length - SHOWN} more (flagged assets: <a href="#/screener?flagged=true">screener</a>)
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
