import type { LearningOverview } from '../../../../shared/api/contracts/learning.ts';
import { formatFractionPct, formatInt, signClass } from '../../lib/format.ts';

/** What each shadow changes about the live exits. */
const SHADOW_LABEL: Record<LearningOverview['shadows'][number]['shadow'], string> = {
  tighter: 'tighter (half the stop and target)',
  wider: 'wider (1.5× the stop and target)',
  scalp: 'scalp (small target, at most 3 bars)',
};

/**
 * Each shadow's ghost exits on the live trades against the live exits of the same trades; "beats live"
 * only once a shadow has `minGhosts` ghosts, fewer are too few to say.
 */
export function ShadowsTable({
  shadows,
  minGhosts,
}: {
  shadows: LearningOverview['shadows'];
  minGhosts: number;
}) {
  return (
    <div className="table-wrap">
      <table className="grid learn-shadows">
        <thead>
          <tr>
            <th scope="col">shadow</th>
            <th scope="col" className="num">
              ghost trades
            </th>
            <th scope="col" className="num">
              mean return
            </th>
            <th scope="col" className="num">
              live mean return
            </th>
            <th scope="col" className="num">
              win rate
            </th>
            <th scope="col" className="num">
              live win rate
            </th>
            <th scope="col">verdict</th>
          </tr>
        </thead>
        <tbody>
          {shadows.map((s) => (
            <tr key={s.shadow} data-shadow={s.shadow}>
              <th scope="row">{SHADOW_LABEL[s.shadow]}</th>
              <td className="num">{formatInt(s.trades)}</td>
              <td className={`num ${signClass(s.mean_pnl)}`}>{formatFractionPct(s.mean_pnl, 2, true)}</td>
              <td className={`num ${signClass(s.live_mean_pnl)}`}>
                {formatFractionPct(s.live_mean_pnl, 2, true)}
              </td>
              <td className="num">{formatFractionPct(s.win_rate, 1)}</td>
              <td className="num">{formatFractionPct(s.live_win_rate, 1)}</td>
              <td>
                {s.trades < minGhosts ? (
                  <span className="muted small">
                    needs {formatInt(minGhosts - s.trades)} more ghosts ({formatInt(minGhosts)} to report)
                  </span>
                ) : s.beats_live ? (
                  <span className="badge status-succeeded">beats live</span>
                ) : (
                  <span className="muted">does not beat live</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
