import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import type { ReviewList } from '../../../shared/api/contracts/reviews.ts';
import type { SignalList } from '../../../shared/api/contracts/signals.ts';
import { assetListQuery } from '../api/queries/assets.ts';
import { formatInt } from '../lib/format.ts';

function Stat({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="stat">
      <div className="stat-value num">{value}</div>
      <div className="stat-label">{label}</div>
      {sub && <div className="muted small">{sub}</div>}
    </div>
  );
}

function show(q: UseQueryResult<unknown>, value: number | undefined): string {
  if (q.isPending) return '…';
  if (q.isError) return 'error';
  return formatInt(value);
}

export function Counts({
  signals,
  reviews,
}: {
  signals: UseQueryResult<SignalList>;
  reviews: UseQueryResult<ReviewList>;
}) {
  const assets = useQuery(assetListQuery({ limit: 1 }));
  const signalled = new Set(signals.data?.items.map((s) => `${s.asset_type}/${s.symbol}`)).size;
  const rules = reviews.data?.items.filter((r) => r.model === 'rules').length ?? 0;
  return (
    <section className="stats">
      <Stat label="assets" value={show(assets, assets.data?.total)} />
      <Stat
        label="signals fired"
        value={show(signals, signals.data?.items.length)}
        sub={signals.data ? `on ${formatInt(signalled)} assets` : undefined}
      />
      <Stat
        label="reviews"
        value={show(reviews, reviews.data?.items.length)}
        sub={rules > 0 ? `${formatInt(rules)} rules-based (not an LLM)` : undefined}
      />
    </section>
  );
}
