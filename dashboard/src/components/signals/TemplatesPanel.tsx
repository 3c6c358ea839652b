import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { HorizonStats, TemplateScorecard } from '../../../../shared/api/contracts/scorecards.ts';
import type { TemplateView } from '../../../../shared/api/contracts/templates.ts';
import type { AssetType } from '../../../../shared/domain/market.ts';
import {
  templateScorecardsQuery,
  templatesQuery,
  useSetTemplateEnabled,
} from '../../api/queries/templates.ts';
import { formatFractionPct, formatInt, signClass } from '../../lib/format.ts';
import { useRequestedState } from '../../lib/useRequestedState.ts';
import { DirectionBadge } from '../Badges.tsx';
import { MarketSelect } from '../MarketSelect.tsx';
import { Empty, ErrorBox, Loading } from '../QueryState.tsx';
import { WriteError } from '../WriteError.tsx';

/** The scorecards' forward horizons in trading days (SCORECARD_HORIZONS, kept here so zod stays out of the bundle). */
const HORIZONS = [1, 5, 20] as const;

function HorizonCell({ stats }: { stats: HorizonStats | undefined }) {
  if (!stats || stats.n === 0) return <td className="num hz muted">—</td>;
  return (
    <td className="num hz" title={`median ${formatFractionPct(stats.median, 2, true)}`}>
      {formatFractionPct(stats.hit_rate, 0)}
      <span className={`sub ${signClass(stats.mean)}`}>
        {formatFractionPct(stats.mean, 2, true)}{' '}
        <span className="muted">vs {formatFractionPct(stats.baseline, 2, true)}</span>
      </span>
      <span className="sub">n={formatInt(stats.n)}</span>
    </td>
  );
}

function EnabledToggle({ template }: { template: TemplateView }) {
  const toggle = useSetTemplateEnabled();
  const [enabled, requestEnabled] = useRequestedState(template.enabled);
  return (
    <>
      <label className="toggle">
        <input
          type="checkbox"
          aria-label={`${template.name} enabled`}
          checked={enabled}
          disabled={toggle.isPending}
          onChange={(e) =>
            toggle.mutate({ id: template.id, enabled: e.target.checked }, requestEnabled(e.target.checked))
          }
        />
        {enabled ? 'on' : 'off'}
      </label>
      {toggle.isError && <WriteError what={`switch ${template.id}`} error={toggle.error} />}
    </>
  );
}

function TemplateRows({
  template,
  cards,
  onEdit,
}: {
  template: TemplateView;
  cards: TemplateScorecard[];
  onEdit: (id: string) => void;
}) {
  const rows: (TemplateScorecard | null)[] = cards.length ? cards : [null];
  const span = rows.length;
  return (
    <>
      {rows.map((card, i) => (
        <tr key={card?.asset_type ?? 'none'}>
          {i === 0 && (
            <>
              <td rowSpan={span}>
                <strong>{template.name}</strong>
                <div className="mono muted small">
                  {template.id} v{template.version}
                </div>
                <div className="muted small clip" title={template.description}>
                  {template.description}
                </div>
              </td>
              <td rowSpan={span}>
                <DirectionBadge direction={template.direction} />
              </td>
              <td rowSpan={span}>
                <EnabledToggle template={template} />
              </td>
            </>
          )}
          <td>{card?.asset_type ?? <span className="muted">—</span>}</td>
          <td className="num">{formatInt(card?.firings ?? 0)}</td>
          {HORIZONS.map((h) => (
            <HorizonCell key={h} stats={card?.horizons.find((s) => s.horizon === h)} />
          ))}
          {i === 0 && (
            <td rowSpan={span}>
              <button type="button" className="btn small" onClick={() => onEdit(template.id)}>
                Edit
              </button>
            </td>
          )}
        </tr>
      ))}
    </>
  );
}

/** Every template with its scorecard per market: did its firings beat the market afterwards? */
export function TemplatesPanel({ onEdit, onNew }: { onEdit: (id: string) => void; onNew: () => void }) {
  const id = useId();
  const [assetType, setAssetType] = useState<AssetType | ''>('');
  const templates = useQuery(templatesQuery());
  const cards = useQuery(templateScorecardsQuery(assetType || undefined));
  const byTemplate = new Map<string, TemplateScorecard[]>();
  for (const c of cards.data?.items ?? [])
    byTemplate.set(c.template, [...(byTemplate.get(c.template) ?? []), c]);
  const list = [...(templates.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <section className="card">
      <div className="card-head">
        <h2>Templates</h2>
        <span className="muted small">
          hit rate · mean direction-adjusted return vs the market baseline · n
        </span>
        <span className="spacer" />
        <MarketSelect id={`${id}-type`} value={assetType} onChange={setAssetType} />
        <button type="button" className="btn primary" onClick={onNew}>
          New template
        </button>
      </div>
      {templates.isPending && <Loading what="templates" />}
      {templates.isError && (
        <ErrorBox what="templates" error={templates.error} onRetry={() => void templates.refetch()} />
      )}
      {cards.isError && (
        <ErrorBox what="scorecards" error={cards.error} onRetry={() => void cards.refetch()} />
      )}
      {cards.isPending && list.length > 0 && (
        <Loading what="scorecards (over the whole signal history; a few seconds on years of data)" />
      )}
      {templates.data && list.length === 0 && <Empty>No templates stored yet.</Empty>}
      {list.length > 0 && (
        <div className={`table-wrap ${cards.isPending || cards.isPlaceholderData ? 'stale' : ''}`}>
          <table className="grid scorecard-table">
            <thead>
              <tr>
                <th>template</th>
                <th>direction</th>
                <th>enabled</th>
                <th>market</th>
                <th className="num">firings</th>
                {HORIZONS.map((h) => (
                  <th key={h} className="num">
                    {h}d
                  </th>
                ))}
                <th>
                  <span className="sr-only">actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((t) => (
                <TemplateRows
                  key={t.id}
                  template={t}
                  cards={(byTemplate.get(t.id) ?? []).filter((c) => !assetType || c.asset_type === assetType)}
                  onEdit={onEdit}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
