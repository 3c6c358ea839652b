import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { LATEST_RUNS, runsListQuery } from '../../api/queries/runs.ts';
import { templatesQuery } from '../../api/queries/templates.ts';
import { useDebounced } from '../../lib/useDebounced.ts';
import type { Dictionary } from '../../lib/useDictionary.ts';
import { formatRange, type RangeFilter, type ScreenerState } from '../../screener/state.ts';
import { FeatureSelect } from './FeatureSelect.tsx';

/** Universes every installation has; the latest runs add any others (list universes, rules). */
const KNOWN_UNIVERSES = [
  'crypto_all',
  'crypto_opportunities',
  'equity_all',
  'equity_opportunities',
  'equity_top500',
];

interface DraftRange {
  id: number;
  feature: string;
  min: string;
  max: string;
}

const toNumber = (s: string): number | null | undefined => {
  if (s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

/** The ranges of a draft that can be applied: a known bound or two, both numbers. */
function validRanges(drafts: DraftRange[]): RangeFilter[] {
  const out: RangeFilter[] = [];
  for (const d of drafts) {
    const min = toNumber(d.min);
    const max = toNumber(d.max);
    if (min === undefined || max === undefined || (min === null && max === null)) continue;
    if (min !== null && max !== null && min > max) continue;
    out.push({ feature: d.feature, min, max });
  }
  return out;
}

const key = (ranges: RangeFilter[]) => ranges.map(formatRange).join('|');

/**
 * Feature range rows. Typing is kept in a local draft (a half-typed "-0." is not a number yet) and
 * applied, debounced, once the valid ranges change; a change from outside (a saved view, back
 * button) resets the draft.
 */
function RangeEditor({
  ranges,
  dictionary,
  onChange,
}: {
  ranges: RangeFilter[];
  dictionary: Dictionary;
  onChange: (ranges: RangeFilter[]) => void;
}) {
  const nextId = useRef(0);
  const fromState = (rs: RangeFilter[]): DraftRange[] =>
    rs.map((r) => ({
      id: nextId.current++,
      feature: r.feature,
      min: r.min?.toString() ?? '',
      max: r.max?.toString() ?? '',
    }));
  const [drafts, setDrafts] = useState(() => fromState(ranges));
  const applied = key(ranges);
  const pending = useDebounced(key(validRanges(drafts)), 400);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only an outside change of the applied ranges resets the draft
  useEffect(() => {
    if (key(validRanges(drafts)) !== applied) setDrafts(fromState(ranges));
  }, [applied]);
  // Applies only a settled draft: a debounce that fires after an outside reset is stale.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the debounced key is the trigger
  useEffect(() => {
    const current = validRanges(drafts);
    if (pending === key(current) && pending !== applied) onChange(current);
  }, [pending]);

  const edit = (id: number, change: Partial<DraftRange>) =>
    setDrafts((ds) => ds.map((d) => (d.id === id ? { ...d, ...change } : d)));
  return (
    <fieldset className="ranges">
      <legend>Feature ranges</legend>
      {drafts.map((d) => {
        const min = toNumber(d.min);
        const max = toNumber(d.max);
        const problem =
          min === undefined || max === undefined
            ? 'not a number'
            : min !== null && max !== null && min > max
              ? 'min is above max'
              : null;
        return (
          <div key={d.id} className="range-row">
            <FeatureSelect
              label="Range feature"
              value={d.feature}
              dictionary={dictionary}
              onChange={(feature) => edit(d.id, { feature })}
            />
            <input
              inputMode="decimal"
              className="bound"
              aria-label={`${d.feature} minimum`}
              aria-invalid={min === undefined || problem === 'min is above max'}
              placeholder="min"
              value={d.min}
              onChange={(e) => edit(d.id, { min: e.target.value })}
            />
            <span aria-hidden="true">–</span>
            <input
              inputMode="decimal"
              className="bound"
              aria-label={`${d.feature} maximum`}
              aria-invalid={max === undefined}
              placeholder="max"
              value={d.max}
              onChange={(e) => edit(d.id, { max: e.target.value })}
            />
            <button
              type="button"
              className="btn small"
              aria-label={`Remove the ${d.feature} range`}
              onClick={() => {
                const rest = drafts.filter((x) => x.id !== d.id);
                setDrafts(rest);
                onChange(validRanges(rest));
              }}
            >
              ✕
            </button>
            {problem && (
              <span className="neg small" role="alert">
                {problem}
              </span>
            )}
            {dictionary.get(d.feature) && (
              <span className="muted small clip" title={dictionary.get(d.feature)?.description}>
                {dictionary.get(d.feature)?.unit}
              </span>
            )}
          </div>
        );
      })}
      <button
        type="button"
        className="btn small"
        onClick={() =>
          setDrafts((ds) => [...ds, { id: nextId.current++, feature: 'rsi_14', min: '', max: '' }])
        }
      >
        + range
      </button>
    </fieldset>
  );
}

/** Asset type, universe, fired signal, data-quality flag and feature-range filters. */
export function Filters({
  state,
  dictionary,
  set,
}: {
  state: ScreenerState;
  dictionary: Dictionary;
  set: (change: Partial<ScreenerState>) => void;
}) {
  const templates = useQuery(templatesQuery());
  const runs = useQuery(runsListQuery(LATEST_RUNS));
  const universes = [
    ...new Set([
      ...KNOWN_UNIVERSES,
      ...(runs.data?.items.map((r) => r.universe) ?? []),
      state.universe ?? '',
    ]),
  ]
    .filter(Boolean)
    .sort();
  const id = useId();
  return (
    <div className="filters">
      <label htmlFor={`${id}-type`}>
        type
        <select
          id={`${id}-type`}
          value={state.assetType ?? ''}
          onChange={(e) =>
            set({ assetType: e.target.value === '' ? null : (e.target.value as 'crypto' | 'equity') })
          }
        >
          <option value="">all</option>
          <option value="crypto">crypto</option>
          <option value="equity">equity</option>
        </select>
      </label>
      <label htmlFor={`${id}-universe`}>
        universe
        <select
          id={`${id}-universe`}
          value={state.universe ?? ''}
          onChange={(e) => set({ universe: e.target.value || null })}
        >
          <option value="">any</option>
          {universes.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-signal`}>
        signal fired
        <select
          id={`${id}-signal`}
          value={state.signal ?? ''}
          onChange={(e) => set({ signal: e.target.value || null })}
        >
          <option value="">any or none</option>
          {state.signal && !templates.data?.items.some((t) => t.id === state.signal) && (
            <option value={state.signal}>{state.signal}</option>
          )}
          {templates.data?.items.map((t) => (
            <option key={t.id} value={t.id} title={t.description}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-flagged`}>
        data quality
        <select
          id={`${id}-flagged`}
          value={state.flagged === null ? '' : String(state.flagged)}
          onChange={(e) => set({ flagged: e.target.value === '' ? null : e.target.value === 'true' })}
        >
          <option value="">any</option>
          <option value="true">flagged</option>
          <option value="false">not flagged</option>
        </select>
      </label>
      <RangeEditor ranges={state.ranges} dictionary={dictionary} onChange={(ranges) => set({ ranges })} />
    </div>
  );
}
