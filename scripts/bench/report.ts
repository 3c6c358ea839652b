// Plain-text tables and number formats for the bench output.

export type Align = 'left' | 'right';

/** Columns padded to their widest cell, a rule under the header. */
export function table(header: string[], rows: string[][], align: Align[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (align[c] === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** `label  value` lines, labels padded to the longest. */
export function pairs(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

/** Three significant digits, at least one decimal below 100. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return v.toPrecision(3);
}

export function ratio(v: number): string {
  return `${num(v)}x`;
}

export function ms(v: number): string {
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v).toLocaleString('en-US')} ms`;
}

/** A relative difference: 0, or its order of magnitude. */
export function diff(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return 'lookback differs';
  return v.toExponential(1);
}

export function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'MISS';
}
