import { parseStrategy } from '../strategy/spec.ts';
import type { EngineState } from './step.ts';

// Paper trading keeps the state between days as JSON: typed arrays become arrays, NaN and undefined
// become null (JSON has neither), and loading turns them back. JSON numbers round-trip doubles exactly.
const FLOATS = [
  'qty',
  'entryQty',
  'entryPrice',
  'stop',
  'bracketTarget',
  'trailDistance',
  'extreme',
  'flow',
  'exitValue',
  'lastClose',
  'pendingQty',
] as const;
const INTS = ['entryDay', 'targetsDone'] as const;

/** The state as JSON text, for storing between days. */
export function storeState(s: EngineState): string {
  const out: Record<string, unknown> = { ...s, whole: Array.from(s.whole) };
  for (const k of FLOATS) out[k] = Array.from(s[k], (x) => (Number.isNaN(x) ? null : x));
  for (const k of INTS) out[k] = Array.from(s[k]);
  out.pendingExit = s.pendingExit.map((x) => x ?? null);
  return JSON.stringify(out);
}

/** A state stored by storeState, ready for the next `step`; its spec is validated again. */
export function loadState(json: string): EngineState {
  const raw = JSON.parse(json) as Record<string, unknown> & EngineState;
  const floats = (k: (typeof FLOATS)[number]) =>
    Float64Array.from(raw[k] as unknown as (number | null)[], (x) => x ?? NaN);
  // A state stored before exits could be cut by volume has no pendingQty: every working exit was whole.
  if (raw.pendingQty === undefined)
    (raw as unknown as Record<string, unknown>).pendingQty = new Array(raw.qty.length).fill(null);
  return {
    ...raw,
    spec: parseStrategy(raw.spec),
    whole: Uint8Array.from(raw.whole as unknown as number[]),
    qty: floats('qty'),
    entryQty: floats('entryQty'),
    entryPrice: floats('entryPrice'),
    stop: floats('stop'),
    bracketTarget: floats('bracketTarget'),
    trailDistance: floats('trailDistance'),
    extreme: floats('extreme'),
    flow: floats('flow'),
    exitValue: floats('exitValue'),
    lastClose: floats('lastClose'),
    pendingQty: floats('pendingQty'),
    entryDay: Int32Array.from(raw.entryDay as unknown as number[]),
    targetsDone: Int32Array.from(raw.targetsDone as unknown as number[]),
    pendingExit: (raw.pendingExit as unknown as (string | null)[]).map((x) => x ?? undefined),
  };
}
