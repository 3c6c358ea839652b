// /signals and /signals/feed: the day's signal facts and what changed.
import { z } from 'zod';
import { AssetType, Direction, IsoDate } from '../../domain/market.ts';
import { UniverseId } from '../../domain/universes.ts';

/** One signal fact: a template that fired on an asset, with its strength and evidence. */
export const SignalView = z.object({
  template: z.string(),
  template_version: z.number(),
  name: z.string(),
  direction: Direction,
  strength: z.number(),
  evidence: z.record(z.string(), z.unknown()),
});
export type SignalView = z.infer<typeof SignalView>;

/** Query of GET /signals. */
export const DateQuery = z.object({ date: IsoDate.optional() }).strict();

/** A signal fact with its asset and date, as GET /signals lists it. */
export const DatedSignal = SignalView.extend({ symbol: z.string(), asset_type: AssetType, date: z.string() });
export type DatedSignal = z.infer<typeof DatedSignal>;

/** GET /signals; `date` is null when no facts exist yet. */
export const SignalList = z.object({
  date: z.string().nullable(),
  items: z.array(DatedSignal),
});
export type SignalList = z.infer<typeof SignalList>;

/** Query of GET /signals/feed. */
export const SignalFeedQuery = z.object({ date: IsoDate, universe: UniverseId.optional() }).strict();

/** `new`: fired today, not on the asset's previous stored day; `active`: both; `ended`: only then. */
export const SignalChange = z.enum(['new', 'active', 'ended']);
export type SignalChange = z.infer<typeof SignalChange>;

export const SignalFeedItem = z.object({
  change: SignalChange,
  template: z.string(),
  template_version: z.number(),
  name: z.string(),
  symbol: z.string(),
  asset_type: AssetType,
  direction: Direction,
  /** Today's strength; for `ended`, the strength on the previous day. */
  strength: z.number(),
  /** The asset's previous stored trading day, null for its first. */
  previous_date: z.string().nullable(),
  previous_strength: z.number().nullable(),
});
export type SignalFeedItem = z.infer<typeof SignalFeedItem>;

/** GET /signals/feed: what changed on a date, new first, then active, then ended. */
export const SignalFeed = z.object({
  date: z.string(),
  universe: z.string().nullable(),
  counts: z.object({ new: z.number(), active: z.number(), ended: z.number() }),
  items: z.array(SignalFeedItem),
});
export type SignalFeed = z.infer<typeof SignalFeed>;
