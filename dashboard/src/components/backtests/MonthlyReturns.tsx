import { useMemo } from 'react';
import { formatFractionPct } from '../../lib/format.ts';
import { type EquityPoint, heatColor, heatScale, monthlyReturns } from './backtestData.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Monthly returns as a heatmap table: a row per year, a column per month and the year's total. */
export function MonthlyReturns({ points, start }: { points: readonly EquityPoint[]; start: number }) {
  const rows = useMemo(() => monthlyReturns(points, start), [points, start]);
  const scale = heatScale(rows);
  if (rows.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="grid heatmap">
        <caption className="sr-only">Monthly returns by year</caption>
        <thead>
          <tr>
            <th scope="col">year</th>
            {MONTHS.map((m) => (
              <th key={m} scope="col" className="num">
                {m}
              </th>
            ))}
            <th scope="col" className="num">
              year
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.year}>
              <th scope="row">{r.year}</th>
              {r.months.map((m, i) => (
                <td
                  key={MONTHS[i]}
                  className="num"
                  style={{ background: heatColor(m, scale) }}
                  title={m === null ? undefined : `${MONTHS[i]} ${r.year}: ${formatFractionPct(m, 2, true)}`}
                >
                  {m === null ? '' : formatFractionPct(m, 1, true)}
                </td>
              ))}
              <td className="num strong">{formatFractionPct(r.total, 1, true)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
