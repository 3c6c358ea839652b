// The discovery loop's search space: the built-in strategies with their numeric parameters drawn around
// each default (half to twice it, inside the parameter's own bounds), seeded by the hour, so an hour's
// proposals are the same however often the hour is run.

import type { AssetType } from '../domain/market.ts';
import { createRng, type Rng } from '../providers/demo/generate.ts';
import { BUILTIN_STRATEGIES, builtinParameters, builtinSpec } from '../strategy/builtins/index.ts';
import type { BuiltinStrategy } from '../strategy/builtins/types.ts';
import { specDigest } from '../strategy/naming.ts';
import type { StrategySpec } from '../strategy/spec.ts';

/** One parameter's range as drawn: integer or real, inclusive bounds. */
interface ParamRange {
  name: string;
  int: boolean;
  low: number;
  high: number;
}

/** A proposal: the built-in varied, the parameters drawn and the spec stored under its own id. */
export interface Proposal {
  builtin: string;
  params: Record<string, number>;
  spec: StrategySpec;
}

/**
 * A built-in's parameters with the range discovery draws from: around the default d, [d/2, 2d] (a zero
 * default: a twentieth of the parameter's span either side), clipped to the range the built-in accepts.
 */
function paramRanges(b: BuiltinStrategy): ParamRange[] {
  const out: ParamRange[] = [];
  for (const p of builtinParameters(b.id)) {
    const d = p.default;
    if (!Number.isFinite(d)) continue;
    const min = p.min ?? Number.NEGATIVE_INFINITY;
    const max = p.max ?? Number.POSITIVE_INFINITY;
    const span = Number.isFinite(max - min) ? max - min : 1;
    const [lo, hi] = d === 0 ? [-span / 20, span / 20] : [Math.min(d / 2, d * 2), Math.max(d / 2, d * 2)];
    // Exclusive bounds: stay a hair inside.
    const eps = Math.abs(hi - lo) * 1e-6;
    let low = Math.max(lo, p.min_exclusive ? min + eps : min);
    let high = Math.min(hi, p.max_exclusive ? max - eps : max);
    if (p.integer) {
      low = Math.ceil(low);
      high = Math.floor(high);
    }
    if (low <= high) out.push({ name: p.name, int: p.integer, low, high });
  }
  return out;
}

function draw(r: ParamRange, rng: Rng): number {
  if (r.int) return r.low + Math.floor(rng.uniform() * (r.high - r.low + 1));
  // Four significant digits: a proposal's parameters read as a person would set them.
  return Number((r.low + rng.uniform() * (r.high - r.low)).toPrecision(4));
}

/** The strategy id of a proposal: its built-in and the first five characters of its rules' digest. */
export function proposalId(spec: StrategySpec, builtin: string): string {
  return `${builtin}_${specDigest(spec).slice(0, 5).toLowerCase()}`;
}

/**
 * Proposes `count` strategies for `label` (the hour) and `seed`: a built-in trading `assetType`, drawn
 * uniformly, with parameters drawn in their ranges; a draw the built-in refuses (fast ≥ slow, say) or
 * whose id `skip` says is taken (tried before) is drawn again, up to 20 draws per proposal.
 */
export function propose(
  label: string,
  seed: number,
  count: number,
  assetType: AssetType,
  skip: (id: string) => boolean,
): Proposal[] {
  const eligible = BUILTIN_STRATEGIES.filter((b) =>
    b.build(b.params.parse({})).asset_types.includes(assetType),
  );
  const rng = createRng(`lifecycle:${seed}:${label}`);
  const out: Proposal[] = [];
  const chosen = new Set<string>();
  for (let k = 0; k < count; k++) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const b = eligible[Math.floor(rng.uniform() * eligible.length)]!;
      const params = Object.fromEntries(paramRanges(b).map((r) => [r.name, draw(r, rng)]));
      if (!b.params.safeParse(params).success) continue;
      const base = builtinSpec(b.id, params);
      const id = proposalId(base, b.id);
      if (chosen.has(id) || skip(id)) continue;
      chosen.add(id);
      const described = Object.entries(params)
        .map(([key, v]) => `${key}=${v}`)
        .join(', ');
      out.push({
        builtin: b.id,
        params,
        spec: { ...base, id, version: 1, description: `Discovery variation of ${b.id}: ${described}.` },
      });
      break;
    }
  }
  return out;
}
