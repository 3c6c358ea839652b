/** A fraction as a percentage with two decimals, or a dash. */
export const pct = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(2)}%`;

/** A number with `digits` decimals, or a dash. */
export const num = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);

/** Money with thousands separators, or a dash. */
export const money = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : v.toLocaleString(undefined, { maximumFractionDigits: 2 });
