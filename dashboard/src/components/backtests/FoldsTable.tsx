import type { BacktestDetail } from '../../../../shared/api/contracts/backtests.ts';
import { formatFractionPct, formatInt, formatNumber, signClass } from '../../lib/format.ts';

type Metrics = BacktestDetail['folds'][number]['test'];

/** Return, Sharpe, max drawdown and closed trades of one window, as four cells. */
function WindowCells({ m }: { m: Metrics }) {
  return (
    <>
      <td className={`num ${signClass(m.total_return)}`}>{formatFractionPct(m.total_return, 2, true)}</td>
      <td className="num">{formatNumber(m.sharpe)}</td>
      <td className="num">{formatFractionPct(m.max_drawdown)}</td>
      <td className="num">{formatInt(m.trades)}</td>
    </>
  );
}

const HEADS = ['return', 'Sharpe', 'max DD', 'trades'];

/**
 * A walk-forward's folds: each train and test window's dates and headline metrics, and the test
 * windows chained into the out-of-sample row, so in-sample and out-of-sample numbers read side by side.
 */
export function FoldsTable({ folds, oos }: Pick<BacktestDetail, 'folds' | 'oos'>) {
  return (
    <div className="table-wrap">
      <table className="grid folds">
        <thead>
          <tr>
            <th scope="col" rowSpan={2} className="num">
              fold
            </th>
            <th scope="colgroup" colSpan={5}>
              train
            </th>
            <th scope="colgroup" colSpan={5}>
              test
            </th>
          </tr>
          <tr>
            {['train', 'test'].flatMap((w) => [
              <th scope="col" key={`${w}-dates`}>
                dates
              </th>,
              ...HEADS.map((h) => (
                <th scope="col" className="num" key={`${w}-${h}`}>
                  {h}
                </th>
              )),
            ])}
          </tr>
        </thead>
        <tbody>
          {folds.map((f, i) => (
            <tr key={f.test_from}>
              <td className="num">{i + 1}</td>
              <td>
                {f.train_from} – {f.train_to}
              </td>
              <WindowCells m={f.train} />
              <td>
                {f.test_from} – {f.test_to}
              </td>
              <WindowCells m={f.test} />
            </tr>
          ))}
        </tbody>
        {oos && (
          <tfoot>
            <tr>
              <th scope="row" colSpan={6}>
                out of sample (test windows chained)
              </th>
              <td>
                {folds[0]?.test_from} – {folds.at(-1)?.test_to}
              </td>
              <WindowCells m={oos.metrics} />
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
