import type { AssetRow } from '../../../../shared/api/contracts/assets.ts';
import { formatNumber, modelLabel } from '../../lib/format.ts';
import type { SortOrder } from '../../screener/state.ts';
import { SortableTh } from '../SortableTh.tsx';

/** A column header that sorts by `column`; aria-sort tells assistive tech the current order. */
export function SortHeader({
  column,
  label,
  title,
  sort,
  order,
  onSort,
  numeric = true,
}: {
  column: string;
  label: string;
  title?: string | undefined;
  sort: string;
  order: SortOrder;
  onSort: (column: string) => void;
  numeric?: boolean;
}) {
  return (
    <SortableTh
      label={label}
      title={title}
      numeric={numeric}
      order={sort === column ? order : null}
      onSort={() => onSort(column)}
    />
  );
}

/** Signals fired on the latest date: count and direction split; the list in the tooltip. */
export function SignalsCell({ signals }: { signals: AssetRow['signals'] }) {
  if (signals.length === 0) return <span className="muted">0</span>;
  const bull = signals.filter((s) => s.direction === 'bullish').length;
  const bear = signals.filter((s) => s.direction === 'bearish').length;
  return (
    <span
      title={signals.map((s) => `${s.template} (${s.direction}, ${formatNumber(s.strength, 2)})`).join('\n')}
    >
      {signals.length}
      {bull > 0 && <span className="dir-bullish"> ▲{bull}</span>}
      {bear > 0 && <span className="dir-bearish"> ▼{bear}</span>}
    </span>
  );
}

/** The latest review's attention score with its direction; `R` marks the rules-based reviewer. */
export function AttentionCell({ review }: { review: AssetRow['review'] }) {
  if (!review || review.attention_score === null) return <span className="muted">—</span>;
  const arrow = review.direction === 'bullish' ? '▲' : review.direction === 'bearish' ? '▼' : '●';
  return (
    <span title={`${review.direction ?? 'no direction'} · ${modelLabel(review.model)}`}>
      <span className={`dir-${review.direction ?? 'neutral'}`}>{arrow}</span>{' '}
      {formatNumber(review.attention_score, 0)}
      {review.model === 'rules' && <span className="muted small"> R</span>}
    </span>
  );
}

/** Data-quality flags on the latest bar; reasons in the tooltip. */
export function FlagsCell({ flags }: { flags: AssetRow['quality_flags'] }) {
  if (flags.length === 0) return <span className="muted">—</span>;
  return (
    <span className="flag" title={flags.map((f) => `${f.kind}: ${f.reason}`).join('\n')}>
      ⚑ {flags.length}
    </span>
  );
}
