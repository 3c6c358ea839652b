import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AssetRow } from '../../../shared/api/schemas.ts';
import type { AssetType } from '../../../shared/domain/market.ts';
import { errorMessage } from '../api/client.ts';
import { type AssetListParams, assetListQuery } from '../api/queries.ts';
import { formatFeature, formatNumber, formatPrice, modelLabel, signClass } from '../lib/format.ts';
import { useDebounced } from '../lib/useDebounced.ts';
import { type Dictionary, useDictionary } from '../lib/useDictionary.ts';
import { assetHref } from '../router.ts';
import { Pagination } from './Pagination.tsx';
import { Empty, ErrorBox, Loading } from './QueryState.tsx';

/** Feature columns of the table, in order; headers carry the dictionary description. */
const FEATURE_COLUMNS = ['ret_1', 'ret_20', 'rsi_14', 'dist_sma_200', 'rvol_20'] as const;

type Order = 'asc' | 'desc';

function SortHeader({
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
  title?: string;
  sort: string;
  order: Order;
  onSort: (column: string) => void;
  numeric?: boolean;
}) {
  const active = sort === column;
  return (
    <th
      className={numeric ? 'num' : undefined}
      aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button
        type="button"
        className={`sort ${active ? 'active' : ''}`}
        title={title}
        onClick={() => onSort(column)}
      >
        {label}
        <span className="sort-mark">{active ? (order === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>
  );
}

function SignalsCell({ signals }: { signals: AssetRow['signals'] }) {
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

function AttentionCell({ review }: { review: AssetRow['review'] }) {
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

function Row({ row, dictionary }: { row: AssetRow; dictionary: Dictionary }) {
  const href = assetHref(row.asset_type, row.symbol);
  return (
    <tr>
      <td>
        <a href={href} className="sym">
          {row.symbol}
        </a>
      </td>
      <td className="clip name">
        <a href={href} className="plain">
          {row.name ?? ''}
        </a>
        {row.sector && <span className="muted small"> · {row.sector}</span>}
      </td>
      <td className="num">{formatPrice(row.close)}</td>
      {FEATURE_COLUMNS.map((name) => {
        const value = row.features[name];
        const entry = dictionary.get(name);
        const colour = entry?.unit === 'fraction' ? signClass(value) : '';
        return (
          <td key={name} className={`num ${colour}`}>
            {formatFeature(value, entry)}
          </td>
        );
      })}
      <td className="num">
        <SignalsCell signals={row.signals} />
      </td>
      <td className="num">
        <AttentionCell review={row.review} />
      </td>
    </tr>
  );
}

export function AssetTable() {
  const { dictionary, error: dictionaryError } = useDictionary();
  const [search, setSearch] = useState('');
  const [assetType, setAssetType] = useState<AssetType | ''>('');
  const [sort, setSort] = useState('symbol');
  const [order, setOrder] = useState<Order>('asc');
  const [page, setPage] = useState({ limit: 50, offset: 0 });
  const q = useDebounced(search.trim(), 250);

  const params: AssetListParams = {
    sort,
    order,
    limit: page.limit,
    offset: page.offset,
    ...(assetType ? { asset_type: assetType } : {}),
    ...(q ? { q } : {}),
  };
  const list = useQuery(assetListQuery(params));

  const onSort = (column: string) => {
    if (column === sort) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(column);
      setOrder(column === 'symbol' ? 'asc' : 'desc');
    }
    setPage((p) => ({ ...p, offset: 0 }));
  };
  const header = { sort, order, onSort };

  return (
    <section className="card">
      <div className="card-head">
        <h2>Assets</h2>
        <input
          type="search"
          className="search"
          placeholder="Search symbol or name"
          aria-label="Search symbol or name"
          value={search}
          maxLength={50}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage((p) => ({ ...p, offset: 0 }));
          }}
        />
        <select
          aria-label="Asset type"
          value={assetType}
          onChange={(e) => {
            setAssetType(e.target.value as AssetType | '');
            setPage((p) => ({ ...p, offset: 0 }));
          }}
        >
          <option value="">all types</option>
          <option value="crypto">crypto</option>
          <option value="equity">equity</option>
        </select>
        {dictionaryError ? (
          <span className="neg small" title={errorMessage(dictionaryError)}>
            feature descriptions unavailable
          </span>
        ) : null}
        {list.isPlaceholderData && <span className="muted small">updating…</span>}
        <span className="spacer" />
        {list.data && (
          <Pagination total={list.data.total} limit={page.limit} offset={page.offset} onChange={setPage} />
        )}
      </div>
      {list.isPending && <Loading what="assets" />}
      {list.isError && <ErrorBox what="assets" error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <Empty>No assets match.</Empty>}
      {list.data && list.data.items.length > 0 && (
        <div className={`table-wrap ${list.isPlaceholderData ? 'stale' : ''}`}>
          <table className="grid assets">
            <thead>
              <tr>
                <SortHeader column="symbol" label="symbol" numeric={false} {...header} />
                <th>name</th>
                <SortHeader column="close" label="close" title="Latest close" {...header} />
                {FEATURE_COLUMNS.map((name) => (
                  <SortHeader
                    key={name}
                    column={name}
                    label={name}
                    title={dictionary.get(name)?.description}
                    {...header}
                  />
                ))}
                <SortHeader
                  column="signals"
                  label="signals"
                  title="Signals fired on the latest date"
                  {...header}
                />
                <SortHeader
                  column="attention"
                  label="attention"
                  title="Attention score of the latest review (0-100)"
                  {...header}
                />
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((row) => (
                <Row key={row.id} row={row} dictionary={dictionary} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
