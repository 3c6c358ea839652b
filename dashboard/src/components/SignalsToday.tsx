import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import type { DatedSignal, SignalList } from '../../../shared/api/contracts/signals.ts';
import { errorMessage } from '../api/client.ts';
import { templatesQuery } from '../api/queries/templates.ts';
import { formatNumber } from '../lib/format.ts';
import { assetHref } from '../router.ts';
import { DirectionBadge } from './Badges.tsx';
import { Empty, ErrorBox, Loading } from './QueryState.tsx';

interface Group {
  template: string;
  name: string;
  direction: DatedSignal['direction'];
  items: DatedSignal[];
}

function groupByTemplate(items: DatedSignal[]): Group[] {
  const groups = new Map<string, Group>();
  for (const s of items) {
    let g = groups.get(s.template);
    if (!g) {
      g = { template: s.template, name: s.name, direction: s.direction, items: [] };
      groups.set(s.template, g);
    }
    g.items.push(s);
  }
  for (const g of groups.values()) g.items.sort((a, b) => b.strength - a.strength);
  return [...groups.values()].sort(
    (a, b) => b.items.length - a.items.length || a.template.localeCompare(b.template),
  );
}

export function SignalsToday({ signals }: { signals: UseQueryResult<SignalList> }) {
  // Descriptions are a nicety: the groups render without them.
  const templates = useQuery(templatesQuery());
  const describe = new Map(templates.data?.items.map((t) => [t.id, t.description]));
  const groups = signals.data ? groupByTemplate(signals.data.items) : [];
  return (
    <section className="card">
      <div className="card-head">
        <h2>Signals fired</h2>
        <span className="muted">by template, strongest first</span>
        {templates.isError && (
          <span className="neg small" title={errorMessage(templates.error)}>
            template descriptions unavailable
          </span>
        )}
      </div>
      {signals.isPending && <Loading what="signals" />}
      {signals.isError && (
        <ErrorBox what="signals" error={signals.error} onRetry={() => void signals.refetch()} />
      )}
      {signals.data && groups.length === 0 && <Empty>No signals fired on {signals.data.date}.</Empty>}
      <div className="signal-groups">
        {groups.map((g) => (
          <div key={g.template} className="signal-group">
            <div className="signal-group-head" title={describe.get(g.template)}>
              <strong>{g.name}</strong> <span className="mono muted small">{g.template}</span>
              <span className="spacer" />
              <DirectionBadge direction={g.direction} />
              <span className="count num">{g.items.length}</span>
            </div>
            <div className="chips">
              {g.items.map((s) => (
                <a
                  key={`${s.asset_type}/${s.symbol}`}
                  className={`chip dir-${s.direction}`}
                  href={assetHref(s.asset_type, s.symbol)}
                  title={`strength ${formatNumber(s.strength, 2)}`}
                >
                  {s.symbol} <span className="num muted">{formatNumber(s.strength, 2)}</span>
                </a>
              ))}
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
