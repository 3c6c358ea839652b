import type { FeatureDictionaryEntry } from '../../../shared/api/contracts/features.ts';

const DASH = '—';

const fixed = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const formatters = new Map<number, Intl.NumberFormat>();
function withDigits(value: number, digits: number): string {
  let f = formatters.get(digits);
  if (!f) {
    f = fixed(digits);
    formatters.set(digits, f);
  }
  return f.format(value);
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });

const isNum = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Decimals a price needs to show about five significant digits (sub-cent crypto needs many). */
export function priceDecimals(price: number): number {
  const abs = Math.abs(price);
  if (abs === 0 || abs >= 1) return 2;
  return Math.min(8, Math.max(2, 4 - Math.floor(Math.log10(abs))));
}

/** A price, or a price difference shown with the decimals of the price it is a difference of. */
export function formatPrice(value: number | null | undefined, reference = value): string {
  return isNum(value) ? withDigits(value, priceDecimals(isNum(reference) ? reference : value)) : DASH;
}

/** A fraction (0.05) as a percent (5.00%). */
export function formatFractionPct(value: number | null | undefined, digits = 2, signed = false): string {
  if (!isNum(value)) return DASH;
  const s = `${withDigits(value * 100, digits)}%`;
  return signed && value > 0 ? `+${s}` : s;
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  return isNum(value) ? withDigits(value, digits) : DASH;
}

export function formatCompact(value: number | null | undefined): string {
  return isNum(value) ? compact.format(value) : DASH;
}

export function formatInt(value: number | null | undefined): string {
  return isNum(value) ? withDigits(Math.round(value), 0) : DASH;
}

export function formatDuration(ms: number | null | undefined): string {
  if (!isNum(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m ${Math.round((ms % 60_000) / 1000)}s`;
}

const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/** A number of unknown unit: two decimals from 1 up, four significant digits below (sub-cent prices). */
export function formatSmart(value: number | null | undefined): string {
  if (!isNum(value)) return DASH;
  const abs = Math.abs(value);
  if (abs >= 100_000) return formatCompact(value);
  if (abs >= 1 || abs === 0) return withDigits(value, 2);
  return significant.format(value);
}

/** A feature value in its dictionary unit; unknown units get a magnitude-based format. */
export function formatFeature(
  value: number | null | undefined,
  entry: FeatureDictionaryEntry | undefined,
): string {
  if (!isNum(value)) return DASH;
  switch (entry?.unit) {
    case 'fraction':
      return formatFractionPct(value, 2, true);
    case 'percent':
      return `${withDigits(value, 2)}%`;
    case 'price':
      return formatPrice(value);
    case 'ratio':
      return withDigits(value, 2);
    case 'count':
      return String(Math.round(value));
    case 'shares':
    case 'volume':
    case 'currency':
      return formatCompact(value);
    default:
      return formatSmart(value);
  }
}

/** Sign class for coloured numbers. */
export function signClass(value: number | null | undefined): string {
  if (!isNum(value) || value === 0) return '';
  return value > 0 ? 'pos' : 'neg';
}

export function modelLabel(model: string): string {
  return model === 'rules' ? 'rules-based (not an LLM)' : model;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
