import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ReviewHorizonStats } from '../../../../shared/api/contracts/scorecards.ts';
import type { AssetType } from '../../../../shared/domain/market.ts';
import { reviewScorecardQuery } from '../../api/queries/reviews.ts';
import { formatFractionPct, formatInt, signClass } from '../../lib/format.ts';
import { MarketSelect } from '../MarketSelect.tsx';
import { Empty, ErrorBox, Loading } from '../QueryState.tsx';
import { CalibrationChart } from './CalibrationChart.tsx';
import { calibrationBars } from './calibration.ts';
import { planRates } from './reviewData.ts';

/** The scorecards' forward horizons in trading days (SCORECARD_HORIZONS, kept here so zod stays out of the bundle). */
const HORIZONS = [1, 5, 20] as const;

function HorizonCells({ horizons }: { horizons: readonly ReviewHorizonStats[] }) {
  return (
    <>
      {HORIZONS.map((h) => {
        const s = horizons.find((x) => x.horizon === h);
        return (
          <td key={h} className="num hz">
            {formatFractionPct(s?.hit_rate, 0)}
            <span className={`sub ${signClass(s?.adjusted_mean)}`}>
              {formatFractionPct(s?.adjusted_mean, 2, true)}
            </span>
            <span className="sub">n={formatInt(s?.n ?? 0)}</span>
          </td>
        );
      })}
    </>
  );
}

/** How past reviews played out: bullish vs bearish vs the signal-only baseline, plans and calibration. */
export function ReviewScorecardPanel({ models }: { models: string[] }) {
  const id = useId();
  const [assetType, setAssetType] = useState<AssetType | ''>('');
  const [model, setModel] = useState('');
  const [horizon, setHorizon] = useState<number>(5);
  const card = useQuery(
    reviewScorecardQuery({ ...(assetType ? { asset_type: assetType } : {}), ...(model ? { model } : {}) }),
  );
  const data = card.data;
  const plans = data ? planRates(data.plans) : null;
  const bars = data ? calibrationBars(data.calibration, horizon) : [];
  const baselineHit = data?.baseline.horizons.find((h) => h.horizon === horizon)?.hit_rate ?? null;

  return (
    <section className="card">
      <div className="card-head">
        <h2>Review scorecard</h2>
        <span className="muted small">direction-adjusted forward returns after the review date</span>
        <span className="spacer" />
        <div className="filters">
          <MarketSelect id={`${id}-type`} value={assetType} onChange={setAssetType} />
          <label htmlFor={`${id}-model`}>model</label>
          <select id={`${id}-model`} value={model} onChange={(e) => setModel(e.target.value)}>
            <option value="">all</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
      </div>
      {card.isPending && <Loading what="the review scorecard" />}
      {card.isError && (
        <ErrorBox what="the review scorecard" error={card.error} onRetry={() => void card.refetch()} />
      )}
      {data && data.reviews === 0 && <Empty>No valid reviews in this scope yet.</Empty>}
      {data && data.reviews > 0 && (
        <div className="section-gap">
          <div className="table-wrap">
            <table className="grid scorecard-table">
              <caption className="sr-only">
                Hit rate, mean adjusted return and count at 1, 5 and 20 days
              </caption>
              <thead>
                <tr>
                  <th>calls</th>
                  <th className="num">n</th>
                  {HORIZONS.map((h) => (
                    <th key={h} className="num">
                      {h}d hit · mean
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.verdicts.map((v) => (
                  <tr key={v.direction}>
                    <td className={`dir dir-${v.direction}`}>{v.direction}</td>
                    <td className="num">{formatInt(v.n)}</td>
                    <HorizonCells horizons={v.horizons} />
                  </tr>
                ))}
                <tr>
                  <td className="strong">all directional</td>
                  <td className="num">{formatInt(data.directional.n)}</td>
                  <HorizonCells horizons={data.directional.horizons} />
                </tr>
                <tr>
                  <td>
                    signal-only baseline{' '}
                    <span className="muted small">({formatInt(data.baseline.facts)} facts)</span>
                  </td>
                  <td className="num">{formatInt(data.baseline.facts)}</td>
                  <HorizonCells horizons={data.baseline.horizons} />
                </tr>
                <tr>
                  <td className="strong">edge over baseline</td>
                  <td />
                  {HORIZONS.map((h) => {
                    const e = data.edge.find((x) => x.horizon === h);
                    return (
                      <td key={h} className="num hz">
                        <span className={signClass(e?.hit_rate)}>
                          {formatFractionPct(e?.hit_rate, 1, true)}
                        </span>
                        <span className={`sub ${signClass(e?.adjusted_mean)}`}>
                          {formatFractionPct(e?.adjusted_mean, 2, true)}
                        </span>
                      </td>
                    );
                  })}
                </tr>
              </tbody>
            </table>
          </div>
          <p className="muted small">
            {formatInt(data.reviews)} valid reviews, {formatInt(data.neutral)} neutral (not scored).
          </p>
          {plans && (
            <div className="stat-grid">
              <div className="stat">
                <div className="stat-value num">{formatInt(data.plans.n)}</div>
                <div className="stat-label">
                  trade plans: {formatInt(plans.closed)} played out, {formatInt(data.plans.open)} open,{' '}
                  {formatInt(data.plans.not_triggered)} never entered
                </div>
              </div>
              <div className="stat">
                <div className="stat-value num pos">{formatFractionPct(plans.targetFirst, 0)}</div>
                <div className="stat-label">target first</div>
              </div>
              <div className="stat">
                <div className="stat-value num neg">{formatFractionPct(plans.stopFirst, 0)}</div>
                <div className="stat-label">stop first ({formatInt(data.plans.same_bar)} same bar)</div>
              </div>
              <div className="stat">
                <div className="stat-value num">{formatFractionPct(plans.neither, 0)}</div>
                <div className="stat-label">neither within the horizon</div>
              </div>
            </div>
          )}
          <div>
            <div className="card-head">
              <h3>Calibration</h3>
              <fieldset className="tabs">
                <legend className="sr-only">horizon</legend>
                {HORIZONS.map((h) => (
                  <button
                    key={h}
                    type="button"
                    className="btn small"
                    aria-pressed={horizon === h}
                    onClick={() => setHorizon(h)}
                  >
                    {h}d
                  </button>
                ))}
              </fieldset>
            </div>
            {bars.every((b) => b.hitRate === null) ? (
              <Empty>No directional review has a {horizon}-day outcome yet.</Empty>
            ) : (
              <CalibrationChart bars={bars} baselineHitRate={baselineHit} horizon={horizon} />
            )}
          </div>
        </div>
      )}
    </section>
  );
}
