import type { SignalFeed, SignalFeedItem } from '../api/contracts/signals.ts';
import type { Sql } from '../db/client.ts';
import { resolveUniverse } from '../universes/index.ts';

/**
 * What changed on a date, per asset with a features row that day (optionally of one universe),
 * comparing its facts with those of its previous stored trading day (however far back, so weekends
 * and holidays are not "ended"): `new`, `active` (fired on both) and `ended`.
 */
export async function changeFeed(
  sql: Sql,
  opts: { date: string; universe?: string | undefined },
): Promise<SignalFeed> {
  const ids = opts.universe ? (await resolveUniverse(sql, opts.universe)).assets.map((a) => a.id) : null;
  const items = await sql<SignalFeedItem[]>`
    with days as (
      select f.asset_id,
        (select max(p.date) from daily_features p where p.asset_id = f.asset_id and p.date < f.date) as prev
      from daily_features f
      where f.date = ${opts.date}::date and (${ids}::bigint[] is null or f.asset_id = any(${ids}::bigint[]))
    ),
    cur as (
      select x.* from daily_signal_facts x join days d on d.asset_id = x.asset_id
      where x.date = ${opts.date}::date
    ),
    old as (
      select x.* from daily_signal_facts x join days d on d.asset_id = x.asset_id and x.date = d.prev
    ),
    changes as (
      select coalesce(c.asset_id, o.asset_id) as asset_id, coalesce(c.template, o.template) as template,
        case when o.template is null then 'new' when c.template is null then 'ended' else 'active' end as change,
        coalesce(c.template_version, o.template_version) as template_version,
        coalesce(c.direction, o.direction) as direction,
        coalesce(c.strength, o.strength) as strength,
        o.strength as previous_strength
      from cur c full join old o on o.asset_id = c.asset_id and o.template = c.template
    )
    select x.change, x.template, x.template_version, t.name, a.symbol, a.asset_type, x.direction, x.strength,
      d.prev as previous_date, x.previous_strength
    from changes x
    join days d on d.asset_id = x.asset_id
    join assets a on a.id = x.asset_id
    join signal_templates t on t.id = x.template and t.version = x.template_version
    order by array_position(array['new', 'active', 'ended'], x.change), x.strength desc, a.symbol, x.template`;
  const count = (change: SignalFeedItem['change']) => items.filter((i) => i.change === change).length;
  return {
    date: opts.date,
    universe: opts.universe ?? null,
    counts: { new: count('new'), active: count('active'), ended: count('ended') },
    items: [...items],
  };
}
