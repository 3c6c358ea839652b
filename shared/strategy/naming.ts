import type { StrategySpec } from './spec.ts';

/** Crockford's base32: no I, L, O or U, so a short id reads aloud without ambiguity. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Characters of the short id in a name when it does not collide. */
export const SHORT_ID_LENGTH = 5;

/** JSON with object keys sorted at every level, so equal specs give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** 32-bit FNV-1a of the bytes, starting from the offset basis mixed with `seed`. */
function fnv1a(bytes: Uint8Array, seed: number): number {
  let h = (0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h;
}

/**
 * A 40-character base32 digest of the trading rules of a spec (entry, exit, sizing, leverage, units,
 * costs, type and asset types): its id, version, name and description do not change it, so a spec
 * renamed or re-saved keeps its name. Eight seeded FNV-1a words (not a cryptographic hash: names are
 * labels, collisions are detected against existing names, not prevented by the hash).
 */
export function specDigest(spec: StrategySpec): string {
  const { id: _id, version: _version, name: _name, description: _description, ...rules } = spec;
  const bytes = new TextEncoder().encode(canonicalJson(rules));
  let out = '';
  for (let seed = 0; seed < 8; seed++) {
    let h = fnv1a(bytes, seed);
    for (let k = 0; k < 5; k++) {
      out += ALPHABET[h & 31];
      h >>>= 5;
    }
  }
  return out;
}

/** The asset part of a name: the symbol in upper case with anything but A-Z and 0-9 dropped, or MULTI. */
function assetPart(asset: string | null): string {
  if (asset === null) return 'MULTI';
  const cleaned = asset.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (!cleaned) throw new RangeError(`asset "${asset}" has no letters or digits to name a strategy after`);
  return cleaned;
}

/**
 * The strategy's name `<ASSET>_<TYPE>_<ID>` (e.g. `BTC_MR_A4F2D`): the asset it trades, or MULTI for a
 * universe (`asset` null), its type code, and the first five characters of its digest. When that name is
 * in `taken` (names of other strategies), the id grows one digest character at a time, then takes a
 * `-2`, `-3`, ... suffix, so the same inputs always give the same name.
 */
export function strategyName(
  spec: StrategySpec,
  asset: string | null,
  taken: ReadonlySet<string> = new Set(),
): string {
  const prefix = `${assetPart(asset)}_${spec.type}_`;
  const digest = specDigest(spec);
  for (let n = SHORT_ID_LENGTH; n <= digest.length; n++) {
    const name = prefix + digest.slice(0, n);
    if (!taken.has(name)) return name;
  }
  for (let k = 2; ; k++) {
    const name = `${prefix}${digest}-${k}`;
    if (!taken.has(name)) return name;
  }
}
