import type { AssetType } from '../../../shared/domain/market.ts';

/** A labelled market picker; the empty value means both markets. */
export function MarketSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: AssetType | '';
  onChange: (value: AssetType | '') => void;
}) {
  return (
    <>
      <label htmlFor={id}>market</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as AssetType | '')}>
        <option value="">both</option>
        <option value="crypto">crypto</option>
        <option value="equity">equities</option>
      </select>
    </>
  );
}
