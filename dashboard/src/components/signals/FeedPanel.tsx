import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { AssetType } from '../../../../shared/domain/market.ts';
import { signalFeedQuery, signalsListQuery } from '../../api/queries/signals.ts';
import { formatNumber } from '../../lib/format.ts';
import { assetHref } from '../../router.ts';
import { DirectionBadge } from '../Badges.tsx';
import { MarketSelect } from '../MarketSelect.tsx';
import { Empty, ErrorBox, Loading } from '../QueryState.tsx';
import { defaultFeedDate, groupFeed, strengthDelta } from './feed.ts';

const UNIVERSE: Record<AssetType, string> = { crypto: 'crypto_all', equity: 'equity_all' };
const CHANGE_LABEL = { new: 'New', active: 'Still active', ended: 'Ended' } as const;

/** What changed on a date: new signals, those still firing and those that stopped. */
export function FeedPanel() {
  const id = useId();
  const [assetType, setAssetType] = useState<AssetType | ''>('');
  const [picked, setPicked] = useState('');
  const latest = useQuery(signalsListQuery({}));
  const fallback = latest.data
    ? (defaultFeedDate(latest.data.items, assetType || null) ?? latest.data.date)
    : null;
  const date = picked || fallback;
  const feed = useQuery({
    ...signalFeedQuery(date ?? '', assetType ? UNIVERSE[assetType] : undefined),
    enabled: date !== null,
  });
  const sections = feed.data ? groupFeed(feed.data.items) : [];

  return (
    <section className="card">
      <div className="card-head">
        <h2>Change feed</h2>
        {feed.data && (
          <span className="muted small">
            {feed.data.counts.new} new · {feed.data.counts.active} active · {feed.data.counts.ended} ended
          </span>
        )}
        <span className="spacer" />
        <div className="filters">
          <MarketSelect id={`${id}-type`} value={assetType} onChange={setAssetType} />
          <label htmlFor={`${id}-date`}>date</label>
          <input
            id={`${id}-date`}
            type="date"
            value={date ?? ''}
            onChange={(e) => setPicked(e.target.value)}
          />
          {picked && (
            <button type="button" className="btn small" onClick={() => setPicked('')}>
              Latest
            </button>
          )}
        </div>
      </div>
      {latest.isPending && !picked && <Loading what="the latest signal date" />}
      {latest.isError && !picked && (
        <ErrorBox what="the latest signal date" error={latest.error} onRetry={() => void latest.refetch()} />
      )}
      {latest.data && date === null && (
        <Empty>No signals yet: the feed starts after the first signals run.</Empty>
      )}
      {feed.isPending && date !== null && <Loading what="the change feed" />}
      {feed.isError && (
        <ErrorBox what="the change feed" error={feed.error} onRetry={() => void feed.refetch()} />
      )}
      {feed.data && (
        <div className={feed.isPlaceholderData ? 'stale' : undefined}>
          {sections.map((s) => (
            // New signals are the news and stay open; the long "still active" and "ended" lists fold away.
            <details key={s.change} className="feed-section" open={s.change === 'new'}>
              <summary>
                <h3>
                  {CHANGE_LABEL[s.change]} <span className="count num">{s.count}</span>
                </h3>
              </summary>
              {s.groups.length === 0 && <p className="muted small">None on {feed.data.date}.</p>}
              <div className="signal-groups">
                {s.groups.map((g) => (
                  <div key={g.template} className="signal-group">
                    <div className="signal-group-head">
                      <strong>{g.name}</strong> <span className="mono muted small">{g.template}</span>
                      <span className="spacer" />
                      <DirectionBadge direction={g.direction} />
                    </div>
                    <div className="chips">
                      {g.items.map((item) => {
                        const delta = strengthDelta(item);
                        return (
                          <a
                            key={`${item.asset_type}/${item.symbol}`}
                            className={`chip dir-${item.direction} ${s.change === 'ended' ? 'ended' : ''}`}
                            href={assetHref(item.asset_type, item.symbol)}
                            title={`strength ${formatNumber(item.strength, 1)}${item.previous_date ? `, previous day ${item.previous_date}` : ''}`}
                          >
                            {item.symbol} <span className="num muted">{formatNumber(item.strength, 0)}</span>
                            {delta !== null && delta !== 0 && (
                              <span className={`num small ${delta > 0 ? 'pos' : 'neg'}`}>
                                {' '}
                                {delta > 0 ? '+' : ''}
                                {formatNumber(delta, 0)}
                              </span>
                            )}
                          </a>
                        );
                      })}
                    </div>
                  </div>
                ))}
              </div>
            </details>
          ))}
        </div>
      )}
    </section>
  );
}
