import { useMemo, useState } from 'react';
import { formatFractionPct, formatInt, formatNumber, formatPrice, signClass } from '../../lib/format.ts';
import { assetHref } from '../../router.ts';
import { SortableTh } from '../SortableTh.tsx';
import { type NumberedTrade, sortTrades, type TradeRow, type TradeSortKey } from './backtestData.ts';

/** Rows drawn at first; a long backtest has thousands of trades. */
const PAGE = 200;

const COLUMNS: { key: TradeSortKey; label: string; numeric?: boolean }[] = [
  { key: 'n', label: '#', numeric: true },
  { key: 'symbol', label: 'asset' },
  { key: 'side', label: 'side' },
  { key: 'entry_date', label: 'entry' },
  { key: 'exit_date', label: 'exit' },
  { key: 'bars', label: 'bars', numeric: true },
  { key: 'pnl', label: 'P&L', numeric: true },
  { key: 'return_pct', label: 'return', numeric: true },
];

/**
 * The closed trades, sortable by any column; each asset links to its chart with this backtest's
 * entries and exits as markers.
 */
export function TradesTable({ trades, backtestId }: { trades: readonly TradeRow[]; backtestId: number }) {
  const [sort, setSort] = useState<{ key: TradeSortKey; order: 'asc' | 'desc' }>({
    key: 'n',
    order: 'asc',
  });
  const [shown, setShown] = useState(PAGE);
  const numbered = useMemo<NumberedTrade[]>(() => trades.map((t, i) => ({ ...t, n: i + 1 })), [trades]);
  const sorted = useMemo(() => sortTrades(numbered, sort.key, sort.order), [numbered, sort]);
  if (trades.length === 0) return <div className="state empty">No closed trades.</div>;
  return (
    <>
      <div className="table-wrap scroll-y">
        <table className="grid trades">
          <thead>
            <tr>
              {COLUMNS.map((c) => {
                const active = sort.key === c.key;
                const next =
                  active && sort.order === 'asc' ? 'desc' : active ? 'asc' : c.numeric ? 'desc' : 'asc';
                return (
                  <SortableTh
                    key={c.key}
                    label={c.label}
                    numeric={c.numeric}
                    order={active ? sort.order : null}
                    onSort={() => setSort({ key: c.key, order: next })}
                  />
                );
              })}
              <th scope="col" className="num">
                qty
              </th>
              <th scope="col" className="num">
                entry price
              </th>
              <th scope="col" className="num">
                exit price
              </th>
              <th scope="col">rules</th>
            </tr>
          </thead>
          <tbody>
            {sorted.slice(0, shown).map((t) => (
              <tr key={t.n}>
                <td className="num muted">{t.n}</td>
                <td>
                  <a
                    className="sym"
                    href={`${assetHref(t.asset_type, t.symbol)}?backtest=${backtestId}`}
                    title={`${t.symbol}'s chart with this backtest's trades`}
                  >
                    {t.symbol}
                  </a>
                </td>
                <td className={t.side === 'long' ? 'dir-bullish' : 'dir-bearish'}>{t.side}</td>
                <td className="num">{t.entry_date}</td>
                <td className="num">{t.exit_date}</td>
                <td className="num">{formatInt(t.bars)}</td>
                <td className={`num ${signClass(t.pnl)}`}>{formatNumber(t.pnl, 2)}</td>
                <td className={`num ${signClass(t.return_pct)}`}>
                  {formatFractionPct(t.return_pct, 2, true)}
                </td>
                <td className="num">{formatNumber(t.qty, t.qty % 1 === 0 ? 0 : 4)}</td>
                <td className="num">{formatPrice(t.entry_price)}</td>
                <td className="num">{formatPrice(t.exit_price)}</td>
                <td className="mono small">
                  {t.entry_rule} → {t.exit_rule}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {sorted.length > shown && (
        <button type="button" className="btn small" onClick={() => setShown((n) => n + PAGE * 5)}>
          Show more ({formatInt(sorted.length - shown)} left)
        </button>
      )}
    </>
  );
}
