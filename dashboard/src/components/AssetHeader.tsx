import type { AssetDetail } from '../../../shared/api/contracts/assets.ts';
import { formatFractionPct, formatPrice, signClass } from '../lib/format.ts';

/** Name, identity and the latest close with its change from the previous bar. */
export function AssetHeader({ detail }: { detail: AssetDetail }) {
  const { asset, bars } = detail;
  const last = bars[bars.length - 1];
  const prev = bars[bars.length - 2];
  const change = last && prev ? last.close - prev.close : null;
  const changePct = change !== null && prev && prev.close !== 0 ? change / prev.close : null;
  return (
    <div className="asset-header">
      <div>
        <h1>
          {asset.symbol} <span className="asset-name">{asset.name ?? ''}</span>
        </h1>
        <div className="muted">
          {asset.asset_type}
          {asset.sector && ` · ${asset.sector}`}
          {asset.exchange && ` · ${asset.exchange}`}
        </div>
      </div>
      <span className="spacer" />
      {last && (
        <div className="quote">
          <div className="quote-price num">{formatPrice(last.close)}</div>
          <div className={`num ${signClass(change)}`}>
            {change !== null && (change > 0 ? '+' : '')}
            {change !== null ? formatPrice(change, last?.close) : ''} ({formatFractionPct(changePct, 2, true)}
            )
          </div>
          <div className="muted small num">close {last.date}</div>
        </div>
      )}
    </div>
  );
}
