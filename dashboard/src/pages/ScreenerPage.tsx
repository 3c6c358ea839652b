import { useQuery } from '@tanstack/react-query';
import { type RefObject, useEffect, useRef, useState } from 'react';
import type { AssetList, AssetRow } from '../../../shared/api/contracts/assets.ts';
import { errorMessage } from '../api/client.ts';
import { assetListQuery } from '../api/queries/assets.ts';
import { Empty, ErrorBox, Loading } from '../components/QueryState.tsx';
import { SymbolSearchInput } from '../components/SymbolSearchInput.tsx';
import { ColumnPicker } from '../components/screener/ColumnPicker.tsx';
import { AttentionCell, FlagsCell, SignalsCell, SortHeader } from '../components/screener/cells.tsx';
import { ExportButton } from '../components/screener/ExportButton.tsx';
import { Filters } from '../components/screener/Filters.tsx';
import { SavedViews } from '../components/screener/SavedViews.tsx';
import { formatFeature, formatInt, formatPrice, signClass } from '../lib/format.ts';
import { useDebounced } from '../lib/useDebounced.ts';
import { type Dictionary, useDictionary } from '../lib/useDictionary.ts';
import { assetHref } from '../router.ts';
import {
  DEFAULT_STATE,
  hasFilters,
  PAGE_SIZES,
  type ScreenerState,
  serializeScreener,
  sortBy,
  toAssetQuery,
} from '../screener/state.ts';
import { useScreener } from '../screener/useScreener.ts';

/** The search box: typed text is applied to the URL after a pause, not on every keystroke. */
function SearchBox({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const [text, setText] = useState(value);
  const settled = useDebounced(text, 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the settled text is the trigger
  useEffect(() => {
    if (settled.trim() !== value.trim()) onChange(settled);
  }, [settled]);
  // A change from outside (a saved view, the back button) replaces what is typed.
  useEffect(() => setText((t) => (t.trim() === value.trim() ? t : value)), [value]);
  return <SymbolSearchInput label="Search symbol or name" value={text} onChange={setText} />;
}

function Row({ row, columns, dictionary }: { row: AssetRow; columns: string[]; dictionary: Dictionary }) {
  const href = assetHref(row.asset_type, row.symbol);
  return (
    <tr>
      <th scope="row">
        <a href={href} className="sym">
          {row.symbol}
        </a>
      </th>
      <td className="clip name">
        <span title={row.name ?? undefined}>{row.name ?? ''}</span>
        <span className="muted small"> · {row.asset_type}</span>
      </td>
      <td className="num">{formatPrice(row.close)}</td>
      {columns.map((name) => {
        const value = row.features[name];
        const entry = dictionary.get(name);
        return (
          <td key={name} className={`num ${entry?.unit === 'fraction' ? signClass(value) : ''}`}>
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
      <td>
        <FlagsCell flags={row.quality_flags} />
      </td>
    </tr>
  );
}

/**
 * Cursor paging. The API's cursors only go forward, so the cursors of the pages before are kept
 * here for "previous"; a shared link that starts mid-way offers "first page" instead.
 */
function Pager({
  state,
  page,
  history,
  set,
}: {
  state: ScreenerState;
  page: AssetList;
  history: RefObject<(string | null)[]>;
  set: (change: Partial<ScreenerState>) => void;
}) {
  const known = state.cursor === null || history.current.length > 0;
  const first = history.current.length * state.limit + 1;
  const last = first + page.items.length - 1;
  return (
    <nav className="pagination" aria-label="Pages of the result">
      <span className="num" aria-live="polite">
        {page.items.length === 0
          ? `0 of ${formatInt(page.total)}`
          : known
            ? `${formatInt(first)}–${formatInt(last)} of ${formatInt(page.total)}`
            : `${formatInt(page.items.length)} rows of ${formatInt(page.total)}`}
      </span>
      {!known && (
        <button type="button" className="btn small" onClick={() => set({ cursor: null })}>
          « first page
        </button>
      )}
      <button
        type="button"
        className="btn small"
        disabled={!known || state.cursor === null}
        onClick={() => {
          const previous = history.current.pop() ?? null;
          set({ cursor: previous });
        }}
      >
        ‹ prev
      </button>
      <button
        type="button"
        className="btn small"
        disabled={!page.next_cursor}
        onClick={() => {
          history.current.push(state.cursor);
          set({ cursor: page.next_cursor });
        }}
      >
        next ›
      </button>
      <label className="muted">
        rows{' '}
        <select value={state.limit} onChange={(e) => set({ limit: Number(e.target.value) })}>
          {[...new Set([...PAGE_SIZES, state.limit])]
            .sort((a, b) => a - b)
            .map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
        </select>
      </label>
    </nav>
  );
}

/** The screener: the universe as a table with chosen feature columns, filters, sort, paging, views and export. */
export function ScreenerPage({ query }: { query: string }) {
  const { state, set, replace } = useScreener(query);
  const { dictionary, error: dictionaryError } = useDictionary();
  const list = useQuery(assetListQuery(toAssetQuery(state)));

  // Cursors of the earlier pages of this filter and sort; any other change starts over.
  const history = useRef<(string | null)[]>([]);
  const filterKey = serializeScreener({ ...state, cursor: null });
  const lastFilter = useRef(filterKey);
  if (lastFilter.current !== filterKey || state.cursor === null) {
    lastFilter.current = filterKey;
    history.current = [];
  }

  const header = { sort: state.sort, order: state.order, onSort: (c: string) => replace(sortBy(state, c)) };
  const filtered = hasFilters(state);

  return (
    <>
      <div className="page-title">
        <h1>Screener</h1>
        <SearchBox value={state.q} onChange={(q) => set({ q })} />
        <span className="spacer" />
        <SavedViews state={state} apply={replace} />
      </div>
      <section className="card" aria-label="Filters">
        <Filters state={state} dictionary={dictionary} set={set} />
      </section>
      <section className="card" aria-label="Result">
        <div className="card-head">
          <ColumnPicker
            columns={state.columns}
            dictionary={dictionary}
            onChange={(columns) => set({ columns })}
          />
          <ExportButton state={state} />
          {filtered && (
            <button
              type="button"
              className="btn small"
              onClick={() => replace({ ...DEFAULT_STATE, columns: state.columns })}
            >
              Clear filters
            </button>
          )}
          {dictionaryError ? (
            <span className="neg small" title={errorMessage(dictionaryError)}>
              feature descriptions unavailable
            </span>
          ) : null}
          {list.isPlaceholderData && <span className="muted small">updating…</span>}
          <span className="spacer" />
          {list.data && <Pager state={state} page={list.data} history={history} set={set} />}
        </div>
        {list.isPending && <Loading what="assets" />}
        {list.isError && <ErrorBox what="assets" error={list.error} onRetry={() => void list.refetch()} />}
        {list.data && list.data.items.length === 0 && (
          <Empty>
            {filtered ? 'No assets match these filters.' : 'No assets yet: run the pipeline first.'}
          </Empty>
        )}
        {list.data && list.data.items.length > 0 && (
          <div className={`table-wrap screener-wrap ${list.isPlaceholderData ? 'stale' : ''}`}>
            <table className="grid assets">
              <caption className="visually-hidden">
                Assets, sorted by {state.sort} {state.order === 'asc' ? 'ascending' : 'descending'}
              </caption>
              <thead>
                <tr>
                  <SortHeader column="symbol" label="symbol" numeric={false} {...header} />
                  <th scope="col">name</th>
                  <SortHeader column="close" label="close" title="Latest close" {...header} />
                  {state.columns.map((name) => (
                    <SortHeader
                      key={name}
                      column={name}
                      label={name}
                      title={dictionary.get(name)?.description}
                      {...header}
                    />
                  ))}
                  <SortHeader
                    column="strength"
                    label="signals"
                    title="Signals fired on the latest date (sorts by the strongest)"
                    {...header}
                  />
                  <SortHeader
                    column="attention_score"
                    label="attention"
                    title="Attention score of the latest review (0-100)"
                    {...header}
                  />
                  <th scope="col" title="Data-quality entries on the latest bar">
                    flags
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((row) => (
                  <Row key={row.id} row={row} columns={state.columns} dictionary={dictionary} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
