import type {
  ReviewHorizonStats,
  ReviewScorecard,
  ReviewScorecardQuery,
} from '../api/contracts/scorecards.ts';
import type { Sql } from '../db/client.ts';
import { SCORECARD_HORIZONS } from '../domain/horizons.ts';

type Horizon = (typeof SCORECARD_HORIZONS)[number];

/** Aggregates of a group of calls: `n1`, `hit1`, `mean1`, `adj1`, `n5`, ... per horizon. */
type Aggregates = { n: number } & { [K in `${'n' | 'hit' | 'mean' | 'adj'}${Horizon}`]: number | null };

/** Confidence buckets: [0, 0.2), [0.2, 0.4), ..., [0.8, 1]; the SQL below spells out the 5. */
const BUCKETS = 5;

/**
 * How past valid reviews played out: for 1, 5 and 20 stored bars after the review date (never the
 * date itself or earlier) the hit rate and mean return of bullish and bearish verdicts, calibration by
 * confidence bucket, which of stop and first target each plan touched first once its entry zone was
 * reached (plans never entered are counted apart), and the signal-only baseline of the same asset-days.
 * A review without enough later bars is left out of that horizon.
 */
export async function reviewScorecard(
  sql: Sql,
  query: Partial<ReviewScorecardQuery> = {},
): Promise<ReviewScorecard> {
  const type = query.asset_type ?? null;
  const model = query.model ?? null;
  const from = query.from ?? null;
  const to = query.to ?? null;

  // Shared by the three queries: the reviews in scope, their asset-days and those days' forward returns
  // from the review date's close to the close 1, 5 and 20 stored bars later.
  const scope = () => sql`
    rv as (
      select v.asset_id, v.as_of_date, v.direction, v.confidence, v.review -> 'trade_plan' as plan,
        case v.direction when 'bullish' then 1::float8 when 'bearish' then -1::float8 else 0::float8 end as sign
      from asset_ai_reviews v join assets a on a.id = v.asset_id
      where v.status = 'valid'
        and (${type}::text is null or a.asset_type = ${type}::text)
        and (${model}::text is null or v.model = ${model}::text)
        and (${from}::date is null or v.as_of_date >= ${from}::date)
        and (${to}::date is null or v.as_of_date <= ${to}::date)
    ),
    days as (select distinct asset_id, as_of_date from rv),
    fwd as (
      select d.asset_id, d.as_of_date,
        f.c1 / b.close - 1 as r1, f.c5 / b.close - 1 as r5, f.c20 / b.close - 1 as r20
      from days d
      join daily_bars b on b.asset_id = d.asset_id and b.date = d.as_of_date
      cross join lateral (
        select max(close) filter (where n = 1) as c1, max(close) filter (where n = 5) as c5,
          max(close) filter (where n = 20) as c20
        from (
          select close, row_number() over (order by date) as n from (
            select date, close from daily_bars x
            where x.asset_id = d.asset_id and x.date > d.as_of_date order by x.date limit 20
          ) later
        ) numbered
      ) f
    )`;
  const aggregates = (sign: string) =>
    sql.unsafe(
      SCORECARD_HORIZONS.map(
        (h) =>
          `count(r${h})::int as n${h}, avg(((${sign}) * r${h} > 0)::int::float8) as hit${h}, ` +
          `avg(r${h}) as mean${h}, avg((${sign}) * r${h}) as adj${h}`,
      ).join(', '),
    );

  // One pass, three groupings: by verdict, by confidence bucket (directional only) and by whether the
  // review took a direction at all.
  const groups = await sql<
    (Aggregates & {
      by_direction: boolean;
      by_bucket: boolean;
      direction: string | null;
      bucket: number | null;
      directional: boolean | null;
    })[]
  >`
    with ${scope()},
    scored as (
      select rv.*, fwd.r1, fwd.r5, fwd.r20, rv.sign <> 0 as directional,
        case when rv.sign <> 0 then least(floor(rv.confidence * 5), 4)::int end as bucket
      from rv left join fwd using (asset_id, as_of_date)
    )
    select grouping(direction) = 0 as by_direction, grouping(bucket) = 0 as by_bucket,
      direction, bucket, directional, count(*)::int as n, ${aggregates('sign')}
    from scored
    group by grouping sets ((direction), (bucket), (directional))`;

  // The same asset-days' directional signal facts, each signed by its own direction.
  const [baseline] = await sql<Aggregates[]>`
    with ${scope()},
    facts as (
      select x.asset_id, x.date as as_of_date,
        case x.direction when 'bearish' then -1::float8 else 1::float8 end as sign
      from daily_signal_facts x join days d on d.asset_id = x.asset_id and d.as_of_date = x.date
      where x.direction <> 'neutral'
    )
    select count(*)::int as n, ${aggregates('sign')}
    from facts left join fwd using (asset_id, as_of_date)`;

  // Each plan waits for its entry zone (a plan without one enters at the review's close, on the first
  // later bar); from the bar that reaches the zone, its stop and first target are walked for its horizon.
  // An entry bar's own touches count: the zone may be reached at its open or later, so a stop touched on
  // it may well come after the entry, and the stop-first rule for one bar stays conservative.
  const [plans] = await sql<ReviewScorecard['plans'][]>`
    with ${scope()},
    plans as (
      select row_number() over () as id, rv.asset_id, rv.as_of_date, rv.plan ->> 'side' as side,
        (rv.plan ->> 'stop')::float8 as stop, (rv.plan -> 'targets' ->> 0)::float8 as target,
        (rv.plan -> 'entry_zone' ->> 'low')::float8 as entry_low,
        (rv.plan -> 'entry_zone' ->> 'high')::float8 as entry_high,
        coalesce((rv.plan ->> 'horizon_days')::int, 20) as horizon
      from rv
      where rv.plan ->> 'side' in ('long', 'short') and jsonb_typeof(rv.plan -> 'stop') = 'number'
        and jsonb_array_length(rv.plan -> 'targets') > 0
    ),
    later as (
      select p.id, x.low, x.high, row_number() over (partition by p.id order by x.date) as n
      from plans p cross join lateral (
        -- 120 trading days is the schema's longest horizon: up to 120 to enter and 120 to hold.
        select date, low, high from daily_bars x
        where x.asset_id = p.asset_id and x.date > p.as_of_date order by x.date limit 240
      ) x
    ),
    -- Grouped joins rather than per-plan scans of "later": linear in the bars walked.
    entered as (
      select p.id, p.side, p.stop, p.target, p.horizon, count(l.n)::int as bars,
        min(l.n) filter (
          where l.n <= p.horizon and (p.entry_low is null or (l.low <= p.entry_high and l.high >= p.entry_low))
        ) as entry_bar
      from plans p left join later l on l.id = p.id
      group by p.id, p.side, p.stop, p.target, p.horizon
    ),
    walked as (
      select e.horizon, e.bars, e.entry_bar,
        min(l.n) filter (where case e.side when 'long' then l.low <= e.stop else l.high >= e.stop end) as stop_bar,
        min(l.n) filter (where case e.side when 'long' then l.high >= e.target else l.low <= e.target end) as target_bar
      from entered e left join later l on l.id = e.id and l.n >= e.entry_bar and l.n < e.entry_bar + e.horizon
      group by e.id, e.horizon, e.bars, e.entry_bar
    )
    select count(*)::int as n,
      count(*) filter (where entry_bar is null and bars >= horizon)::int as not_triggered,
      count(*) filter (where stop_bar <= target_bar or (stop_bar is not null and target_bar is null))::int as stop_first,
      count(*) filter (where target_bar < stop_bar or (target_bar is not null and stop_bar is null))::int as target_first,
      count(*) filter (
        where entry_bar is not null and stop_bar is null and target_bar is null and bars >= entry_bar + horizon - 1
      )::int as neither,
      count(*) filter (
        where stop_bar is null and target_bar is null
          and (bars < coalesce(entry_bar + horizon - 1, horizon))
      )::int as open,
      count(*) filter (where stop_bar = target_bar)::int as same_bar
    from walked`;

  const byDirection = (d: string) => groups.find((g) => g.by_direction && g.direction === d);
  const byBucket = (b: number) => groups.find((g) => g.by_bucket && g.bucket === b);
  const directional = groups.find((g) => !g.by_direction && !g.by_bucket && g.directional);
  const neutral = byDirection('neutral')?.n ?? 0;
  const directionalStats = horizons(directional);
  const baselineStats = horizons(baseline);
  return {
    asset_type: type,
    model,
    from,
    to,
    reviews: (directional?.n ?? 0) + neutral,
    neutral,
    verdicts: (['bullish', 'bearish'] as const).map((direction) => {
      const g = byDirection(direction);
      return { direction, n: g?.n ?? 0, horizons: horizons(g) };
    }),
    calibration: Array.from({ length: BUCKETS }, (_, b) => {
      const g = byBucket(b);
      return { low: b / BUCKETS, high: (b + 1) / BUCKETS, n: g?.n ?? 0, horizons: horizons(g) };
    }),
    directional: { n: directional?.n ?? 0, horizons: directionalStats },
    baseline: { facts: baseline?.n ?? 0, horizons: baselineStats },
    edge: SCORECARD_HORIZONS.map((horizon, i) => ({
      horizon,
      hit_rate: difference(directionalStats[i]!.hit_rate, baselineStats[i]!.hit_rate),
      adjusted_mean: difference(directionalStats[i]!.adjusted_mean, baselineStats[i]!.adjusted_mean),
    })),
    plans: plans ?? {
      n: 0,
      not_triggered: 0,
      stop_first: 0,
      target_first: 0,
      neither: 0,
      open: 0,
      same_bar: 0,
    },
  };
}

function horizons(row: Aggregates | undefined): ReviewHorizonStats[] {
  return SCORECARD_HORIZONS.map((h) => ({
    horizon: h,
    n: row?.[`n${h}`] ?? 0,
    hit_rate: row?.[`hit${h}`] ?? null,
    mean: row?.[`mean${h}`] ?? null,
    adjusted_mean: row?.[`adj${h}`] ?? null,
  }));
}

function difference(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}
