import type { TemplateScorecard, TemplateScorecards } from '../api/contracts/scorecards.ts';
import type { Sql } from '../db/client.ts';
import { SCORECARD_HORIZONS } from '../domain/horizons.ts';
import type { AssetType, Direction } from '../domain/market.ts';

type Horizon = (typeof SCORECARD_HORIZONS)[number];

/** One template and asset type, with `n1`, `hit1`, `mean1`, `median1`, `base1`, `n5`, ... per horizon. */
type StatsRow = {
  template: string;
  name: string;
  direction: Direction;
  enabled: boolean;
  asset_type: AssetType;
  firings: number;
} & { [K in `${'n' | 'hit' | 'mean' | 'median' | 'base'}${Horizon}`]: number | null };

/**
 * How each template's facts played out, per asset type: firings, and for 1, 5 and 20 stored trading
 * days after the signal date the hit rate and mean/median forward return, direction-adjusted (each
 * fact by the direction it was recorded with; neutral ones raw), against the same-day mean of every
 * asset of the type. Only bars strictly after the signal date count; a fact without `h` later bars is
 * left out of horizon `h`. Every template appears, with zero firings if it never fired.
 */
export async function templateScorecards(
  sql: Sql,
  opts: { assetType?: AssetType | undefined; from?: string | undefined; to?: string | undefined } = {},
): Promise<TemplateScorecards> {
  const type = opts.assetType ?? null;
  const from = opts.from ?? null;
  const to = opts.to ?? null;
  const rows = await sql<StatsRow[]>`
    with facts as (
      select x.asset_id, a.asset_type, x.date, x.template,
        case x.direction when 'bearish' then -1::float8 else 1::float8 end as sign
      from daily_signal_facts x join assets a on a.id = x.asset_id
      where (${type}::text is null or a.asset_type = ${type}::text)
        and (${from}::date is null or x.date >= ${from}::date)
        and (${to}::date is null or x.date <= ${to}::date)
    ),
    -- One pass over the bars: the return from each close to the close 1, 5 and 20 stored bars later
    -- (null where those bars do not exist yet). lead() only looks forward, so bars before the first
    -- signal date are never needed.
    fwd as (
      select b.asset_id, b.date,
        lead(b.close, 1) over w / b.close - 1 as r1,
        lead(b.close, 5) over w / b.close - 1 as r5,
        lead(b.close, 20) over w / b.close - 1 as r20
      from daily_bars b
      -- An array of assets lets the primary key serve each asset's dates from the first signal on.
      where b.asset_id = any(array(select id from assets where ${type}::text is null or asset_type = ${type}::text))
        and b.date >= (select min(date) from facts)
      window w as (partition by b.asset_id order by b.date)
    ),
    -- The unconditional return: the equal-weighted mean over all assets of the type, on signal dates.
    days as (
      select a.asset_type, r.date, avg(r.r1) as m1, avg(r.r5) as m5, avg(r.r20) as m20
      from fwd r join assets a on a.id = r.asset_id
      where (a.asset_type, r.date) in (select asset_type, date from facts)
      group by a.asset_type, r.date
    ),
    -- Per horizon: facts with a known forward close, hit rate, mean and median of the adjusted
    -- return, and the baseline over the same facts' dates, adjusted the same way.
    stats as (
      select f.template, f.asset_type, count(*)::int as firings,
        count(r.r1)::int as n1, avg((f.sign * r.r1 > 0)::int::float8) as hit1, avg(f.sign * r.r1) as mean1,
        percentile_cont(0.5) within group (order by f.sign * r.r1) as median1,
        avg(f.sign * d.m1) filter (where r.r1 is not null) as base1,
        count(r.r5)::int as n5, avg((f.sign * r.r5 > 0)::int::float8) as hit5, avg(f.sign * r.r5) as mean5,
        percentile_cont(0.5) within group (order by f.sign * r.r5) as median5,
        avg(f.sign * d.m5) filter (where r.r5 is not null) as base5,
        count(r.r20)::int as n20, avg((f.sign * r.r20 > 0)::int::float8) as hit20, avg(f.sign * r.r20) as mean20,
        percentile_cont(0.5) within group (order by f.sign * r.r20) as median20,
        avg(f.sign * d.m20) filter (where r.r20 is not null) as base20
      from facts f
      left join fwd r on r.asset_id = f.asset_id and r.date = f.date
      left join days d on d.asset_type = f.asset_type and d.date = f.date
      group by f.template, f.asset_type
    ),
    latest as (
      select distinct on (id) id, name, direction, enabled, definition
      from signal_templates order by id, version desc
    ),
    -- Every template with each asset type it applies to now, and any it fired on under older versions.
    pairs as (
      select l.id as template, t.asset_type
      from latest l cross join jsonb_array_elements_text(l.definition -> 'asset_types') t(asset_type)
      where ${type}::text is null or t.asset_type = ${type}::text
      union
      select template, asset_type from stats
    )
    select p.template, l.name, l.direction, l.enabled, p.asset_type, coalesce(s.firings, 0) as firings,
      coalesce(s.n1, 0) as n1, s.hit1, s.mean1, s.median1, s.base1,
      coalesce(s.n5, 0) as n5, s.hit5, s.mean5, s.median5, s.base5,
      coalesce(s.n20, 0) as n20, s.hit20, s.mean20, s.median20, s.base20
    from pairs p
    join latest l on l.id = p.template
    left join stats s on s.template = p.template and s.asset_type = p.asset_type
    order by p.template, p.asset_type`;

  const items = rows.map(
    (r): TemplateScorecard => ({
      template: r.template,
      name: r.name,
      direction: r.direction,
      direction_adjusted: r.direction !== 'neutral',
      enabled: r.enabled,
      asset_type: r.asset_type,
      firings: r.firings,
      horizons: SCORECARD_HORIZONS.map((h) => {
        const [mean, baseline] = [r[`mean${h}`], r[`base${h}`]];
        return {
          horizon: h,
          n: r[`n${h}`] ?? 0,
          hit_rate: r[`hit${h}`],
          mean,
          median: r[`median${h}`],
          baseline,
          edge: mean === null || baseline === null ? null : mean - baseline,
        };
      }),
    }),
  );
  return { asset_type: type, from, to, items };
}
