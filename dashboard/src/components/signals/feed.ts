import type { SignalChange, SignalFeedItem } from '../../../../shared/api/contracts/signals.ts';

/** The feed's sections in reading order: what is news first. */
export const CHANGES: readonly SignalChange[] = ['new', 'active', 'ended'];

/** One template's assets within a feed section. */
export interface FeedTemplateGroup {
  template: string;
  name: string;
  direction: SignalFeedItem['direction'];
  items: SignalFeedItem[];
}

/** One kind of change (new, active, ended) with its template groups. */
export interface FeedSection {
  change: SignalChange;
  count: number;
  groups: FeedTemplateGroup[];
}

/**
 * The change feed as sections (new, active, ended), each grouped by template: the templates with
 * the most assets first, assets strongest first. Every section is present, empty or not, so the
 * page can say "nothing ended".
 */
export function groupFeed(items: readonly SignalFeedItem[]): FeedSection[] {
  return CHANGES.map((change) => {
    const groups = new Map<string, FeedTemplateGroup>();
    let count = 0;
    for (const item of items) {
      if (item.change !== change) continue;
      count++;
      let g = groups.get(item.template);
      if (!g) {
        g = { template: item.template, name: item.name, direction: item.direction, items: [] };
        groups.set(item.template, g);
      }
      g.items.push(item);
    }
    for (const g of groups.values())
      g.items.sort((a, b) => b.strength - a.strength || a.symbol.localeCompare(b.symbol));
    return {
      change,
      count,
      groups: [...groups.values()].sort(
        (a, b) => b.items.length - a.items.length || a.template.localeCompare(b.template),
      ),
    };
  });
}

/** Strength change since the previous day, for `active` items; null when there is nothing to compare. */
export function strengthDelta(item: SignalFeedItem): number | null {
  return item.change === 'active' && item.previous_strength !== null
    ? item.strength - item.previous_strength
    : null;
}

/**
 * The date the feed opens on: the newest signal date of the market (both markets: the newest of
 * either), from GET /signals' latest-per-market list; null when nothing has fired yet.
 */
export function defaultFeedDate(
  latest: readonly { asset_type: string; date: string }[],
  assetType: string | null,
): string | null {
  let best: string | null = null;
  for (const s of latest)
    if ((!assetType || s.asset_type === assetType) && (!best || s.date > best)) best = s.date;
  return best;
}
