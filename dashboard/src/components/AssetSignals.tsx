import type { AssetDetail } from '../../../shared/api/contracts/assets.ts';
import { formatNumber } from '../lib/format.ts';
import { DirectionBadge } from './Badges.tsx';
import { Evidence } from './Evidence.tsx';
import { Empty } from './QueryState.tsx';

export function AssetSignals({ signals }: { signals: AssetDetail['signals'] }) {
  const rows = [...signals].sort((a, b) =>
    a.date < b.date ? 1 : a.date > b.date ? -1 : b.strength - a.strength,
  );
  return (
    <section className="card">
      <div className="card-head">
        <h2>Signals</h2>
        <span className="muted">{rows.length} in range, newest first</span>
      </div>
      {rows.length === 0 ? (
        <Empty>No signals fired in this range.</Empty>
      ) : (
        <div className="table-wrap scroll-y">
          <table className="grid">
            <thead>
              <tr>
                <th>date</th>
                <th>signal</th>
                <th>direction</th>
                <th className="num">strength</th>
                <th>evidence</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={`${s.date}/${s.template}`}>
                  <td className="num">{s.date}</td>
                  <td title={`${s.template} v${s.template_version}`}>{s.name}</td>
                  <td>
                    <DirectionBadge direction={s.direction} />
                  </td>
                  <td className="num">{formatNumber(s.strength, 2)}</td>
                  <td>
                    <Evidence evidence={s.evidence} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
