import type { RunView } from '../../../shared/api/contracts/runs.ts';
import type { Direction } from '../../../shared/domain/market.ts';
import { modelLabel } from '../lib/format.ts';

export function StatusBadge({ status }: { status: RunView['status'] | 'ok' | 'degraded' }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

export function DirectionBadge({ direction }: { direction: Direction | null | undefined }) {
  if (!direction) return <span className="muted">—</span>;
  const arrow = direction === 'bullish' ? '▲' : direction === 'bearish' ? '▼' : '●';
  return (
    <span className={`dir dir-${direction}`}>
      {arrow} {direction}
    </span>
  );
}

/** The reviewer that wrote a review; the rules-based fallback must never pass for an LLM. */
export function ModelTag({ model }: { model: string }) {
  return (
    <span className={model === 'rules' ? 'model model-rules' : 'model'} title={`model: ${model}`}>
      {modelLabel(model)}
    </span>
  );
}
