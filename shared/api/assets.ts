import type postgres from 'postgres';
import type { Sql } from '../db/client.ts';
import type { AssetType } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';
import { isSentimentInput, sentimentRelation, sentimentSeries } from '../news/sentiment/inputs.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import { resolveUniverse } from '../universes/index.ts';
import {
  type AssetList,
  type AssetListQuery,
  type AssetRow,
  DEFAULT_ASSET_COLUMNS,
} from './contracts/assets.ts';
import { type AssetCursor, decodeCursor, encodeCursor } from './cursor.ts';

// GET /assets at 5,000 assets: filter and order every asset on asset_screen, the one pre-joined row
// per asset the database keeps (identity, latest bar, and that bar's features row; migration
// 20261208000200), cut the page, and only then gather the page's signals, review and quality flags.
// A top-N sort over that one table costs about a seventh of the same sort over the three tables it
// joins (EXPLAIN ANALYZE on the API bench's 5,000-asset database).

/** A sort key as SQL, with the join it reads from (if any). */
interface SortSql {
  expr: string;
  join?: string;
}

// The day's strongest fact and best review per asset, aggregated over the few dates that are some
// asset's latest (through the date indexes) rather than probed asset by asset.
const LATEST_DATES = 'select distinct date from asset_latest';
const STRENGTH: SortSql = {
  expr: 's.strength',
  join: `left join (
    select x.asset_id, x.date, max(x.strength) as strength from daily_signal_facts x
    where x.date in (${LATEST_DATES}) group by x.asset_id, x.date
  ) s on s.asset_id = a.asset_id and s.date = a.date`,
};
const ATTENTION: SortSql = {
  expr: 'r.attention_score',
  join: `left join (
    select v.asset_id, v.as_of_date, max(v.attention_score) as attention_score from asset_ai_reviews v
    where v.status = 'valid' and v.as_of_date in (${LATEST_DATES}) group by v.asset_id, v.as_of_date
  ) r on r.asset_id = a.asset_id and r.as_of_date = a.date`,
};

/**
 * Sort keys other than feature columns, over `a` (asset_screen); `change_1d` is the latest bar's
 * return, the `ret_1` feature; `signals` and `attention` are the older names of `strength` and
 * `attention_score`.
 */
const SORT_SQL: Record<string, SortSql> = {
  symbol: { expr: 'a.symbol' },
  close: { expr: 'a.close' },
  change_1d: { expr: 'a.ret_1' },
  strength: STRENGTH,
  signals: STRENGTH,
  attention_score: ATTENTION,
  attention: ATTENTION,
};

type Fragment = postgres.Fragment;

/**
 * The day's sentiment of every listed asset, of the configured scorer's series, on its latest bar's
 * date (point in time: the value the sentiment stage stored for that session), as `st`.
 */
function sentimentJoin(series: string): string {
  return `left join (
    select * from ${sentimentRelation(series)} x where x.date in (${LATEST_DATES})
  ) st on st.asset_id = a.asset_id and st.date = a.date`;
}

/**
 * The SQL of a sort key: the whitelist above, a sentiment input, or a catalogue column (validated by
 * the query schema).
 */
function sortSql(sort: string, series: string): SortSql {
  if (isSentimentInput(sort)) return { expr: `st.${sort}`, join: sentimentJoin(series) };
  return SORT_SQL[sort] ?? { expr: `a.${sort}` };
}

/** A filterable column as SQL: a sentiment input of the joined `st`, else a column of asset_screen. */
const columnSql = (name: string) => (isSentimentInput(name) ? `st.${name}` : `a.${name}`);

/** Which rows come after the cursor in `sort_value <order> nulls last, symbol, id` order. */
function afterCursor(sql: Sql, c: AssetCursor): Fragment {
  const textual = c.sort === 'symbol';
  if (c.value !== null && typeof c.value !== (textual ? 'string' : 'number')) {
    throw new AppError('invalid_input', 'invalid cursor: pass the next_cursor of a previous page unchanged');
  }
  const tie = sql`(r.symbol, r.id) > (${c.symbol}::text, ${c.id}::bigint)`;
  if (c.value === null) return sql`and r.sort_value is null and ${tie}`;
  const value = textual ? sql`${c.value}::text` : sql`${c.value}::float8`;
  const beyond = c.order === 'asc' ? sql`r.sort_value > ${value}` : sql`r.sort_value < ${value}`;
  return sql`and (${beyond} or r.sort_value is null or (r.sort_value = ${value} and ${tie}))`;
}

/**
 * The universe filter: a whole market by type, a list by symbol, a rule universe by its members.
 * Wrapped in an object: a fragment is a thenable, and resolving it would run it as a query.
 */
async function universeFilter(sql: Sql, id: string): Promise<{ filter: Fragment }> {
  const [u] = await sql<{ asset_type: AssetType; symbols: string[] | null; rank_by: string | null }[]>`
    select asset_type, symbols, rank_by from universes where id = ${id}`;
  if (!u) throw new AppError('not_found', `unknown universe "${id}"`);
  if (u.rank_by) {
    const { assets } = await resolveUniverse(sql, id);
    return { filter: sql`and a.asset_id = any(${assets.map((a) => a.id)}::bigint[])` };
  }
  if (u.symbols) {
    return { filter: sql`and a.asset_type = ${u.asset_type} and a.symbol = any(${u.symbols}::text[])` };
  }
  return { filter: sql`and a.asset_type = ${u.asset_type}` };
}

/**
 * The asset table: each active asset's latest bar, chosen feature columns, signals, review and
 * quality flags; filtered by type, universe, search, signal, flags and feature ranges; sorted by any
 * column; paged by keyset cursor (stable under any sort) or, for older clients, by offset.
 */
export async function listAssets(ctx: PipelineContext, query: AssetListQuery): Promise<AssetList> {
  const { sql } = ctx;
  const columns = query.columns ?? [...DEFAULT_ASSET_COLUMNS];
  const ranges = query.range ?? [];
  const cursor = query.cursor ? decodeCursor(query.cursor, query.sort, query.order) : null;
  const series = sentimentSeries(ctx);
  const sortBy = sortSql(query.sort, series);
  const pattern = query.q ? `%${query.q.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%` : null;
  const empty = sql``;

  const filters: Fragment[] = [];
  if (query.asset_type) filters.push(sql`and a.asset_type = ${query.asset_type}`);
  if (query.universe) filters.push((await universeFilter(sql, query.universe)).filter);
  if (pattern) filters.push(sql`and (a.symbol ilike ${pattern} or a.name ilike ${pattern})`);
  if (query.signal) {
    filters.push(sql`and exists (select 1 from daily_signal_facts x
      where x.asset_id = a.asset_id and x.date = a.date and x.template = ${query.signal})`);
  }
  if (query.flagged) {
    const flagged = sql`exists (select 1 from data_quality_ledger q where q.asset_id = a.asset_id and q.date = a.date::text)`;
    filters.push(query.flagged === 'true' ? sql`and ${flagged}` : sql`and not ${flagged}`);
  }
  // Feature names come from the catalogue (validated by the query schema); bounds are parameters.
  for (const r of ranges) {
    const column = sql.unsafe(columnSql(r.feature));
    if (r.min !== null) filters.push(sql`and ${column} >= ${r.min}::float8`);
    if (r.max !== null) filters.push(sql`and ${column} <= ${r.max}::float8`);
  }
  // Sorting or filtering by sentiment joins the day's sentiment before the ranking (once).
  const joins = [
    ...new Set([
      ...(sortBy.join ? [sortBy.join] : []),
      ...(ranges.some((r) => isSentimentInput(r.feature)) ? [sentimentJoin(series)] : []),
    ]),
  ].join('\n');
  const order = sql.unsafe(query.order === 'desc' ? 'desc' : 'asc');
  const featureList = sql.unsafe(columns.map((n) => `, ${columnSql(n)}`).join(''));
  // The page's own sentiment columns: looked up for its rows only, by the table's key.
  const pageSentiment = columns.some(isSentimentInput)
    ? sql.unsafe(`left join lateral (
        select * from ${sentimentRelation(series)} x where x.asset_id = a.asset_id and x.date = a.date
      ) st on true`)
    : empty;

  const where = sql`where a.active ${filters.reduce((acc, f) => sql`${acc} ${f}`, empty)}`;
  const page = sql<(Record<string, unknown> & { sort_value: unknown })[]>`
    with ranked as (
      select a.asset_id as id, a.symbol, ${sql.unsafe(sortBy.expr)} as sort_value
      from asset_screen a
      ${joins ? sql.unsafe(joins) : empty}
      ${where}
    ),
    page as (
      select * from ranked r
      where true ${cursor ? afterCursor(sql, cursor) : empty}
      order by r.sort_value ${order} nulls last, r.symbol, r.id
      limit ${query.limit + 1} offset ${query.offset}
    )
    select p.sort_value, a.asset_id as id, a.symbol, a.name, a.asset_type, a.sector,
      a.date::text as date, a.close ${featureList},
      coalesce((
        select jsonb_agg(jsonb_build_object('template', x.template, 'direction', x.direction, 'strength', x.strength)
          order by x.strength desc, x.template)
        from daily_signal_facts x where x.asset_id = a.asset_id and x.date = a.date
      ), '[]'::jsonb) as signals,
      (
        select jsonb_build_object('direction', v.direction, 'attention_score', v.attention_score, 'model', v.model)
        from asset_ai_reviews v where v.asset_id = a.asset_id and v.as_of_date = a.date and v.status = 'valid'
        order by v.attention_score desc nulls last, v.model limit 1
      ) as review,
      coalesce((
        select jsonb_agg(jsonb_build_object('kind', q.kind, 'reason', q.reason) order by q.id)
        from data_quality_ledger q where q.asset_id = a.asset_id and q.date = a.date::text
      ), '[]'::jsonb) as quality_flags
    from page p
    join asset_screen a on a.asset_id = p.id
    ${pageSentiment}
    order by p.sort_value ${order} nulls last, p.symbol, p.id`;
  // The total is counted for a first page (or an offset page) only, beside the page query rather than
  // as a window over it: a window keeps every matching row until the end, where the page needs 51.
  // Pages reached through next_cursor carry the first page's count.
  const count =
    cursor?.total !== undefined
      ? cursor.total
      : sql<{ total: number }[]>`
          select count(*)::int as total from asset_screen a
          ${ranges.some((r) => isSentimentInput(r.feature)) ? sql.unsafe(sentimentJoin(series)) : empty}
          ${where}`.then((r) => r[0]!.total);
  const [rows, total] = await Promise.all([page, count]);

  const more = rows.length > query.limit;
  const items = more ? rows.slice(0, query.limit) : rows;
  const last = items.at(-1);
  return {
    items: items.map((r) => toRow(r, columns)),
    total,
    limit: query.limit,
    offset: query.offset,
    next_cursor:
      more && last
        ? encodeCursor({
            sort: query.sort,
            order: query.order,
            value: (last.sort_value as number | string | null) ?? null,
            symbol: last.symbol as string,
            id: last.id as number,
            total,
          })
        : null,
  };
}

function toRow(r: Record<string, unknown>, columns: readonly string[]): AssetRow {
  const features: Record<string, number | null> = {};
  for (const n of columns) features[n] = (r[n] as number | null | undefined) ?? null;
  return {
    id: r.id as number,
    symbol: r.symbol as string,
    name: r.name as string | null,
    asset_type: r.asset_type as AssetType,
    sector: r.sector as string | null,
    date: r.date as string | null,
    close: r.close as number | null,
    features,
    signals: r.signals as AssetRow['signals'],
    review: r.review as AssetRow['review'],
    quality_flags: r.quality_flags as AssetRow['quality_flags'],
  };
}
