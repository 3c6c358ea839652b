// The weekday run of one close: the selected group → tomorrow's candidates → sanity ranking → shortlist
// → news re-ranking of the shortlist (the sentiment layer's shortlist scorer) → the top few, stored with
// every candidate's numbers and the reason it stopped where it did. Running a close again replaces its
// rows with the same ones (the news window is point in time, scores of unchanged articles are reused).

import { addDays } from '../../calendar/index.ts';
import type { Sql } from '../../db/client.ts';
import { unpackRows } from '../../db/packed.ts';
import { AppError } from '../../errors/index.ts';
import { scoreShortlist } from '../../news/sentiment/shortlist.ts';
import type { PipelineContext } from '../../pipeline/types.ts';
import { sentimentScorer } from '../../stages/sentiment/index.ts';
import { dayTrading } from '../../strategy/builtins/day_trading.ts';
import { parseStrategy, type StrategySpec } from '../../strategy/spec.ts';
import { HISTORY_BARS, SIGNAL_DAYS, type TickerBars } from '../algorithms/index.ts';
import { equityBarDates, screenedTickers, weekStart } from '../dataset.ts';
import { loadSelectedGroup, type StoredGroup } from '../groups/store.ts';
import { type Candidate, groupPicks, rankBySanity } from './candidates.ts';

/** How a weekday run cuts its candidates and trades its picks. */
export interface WeekdayOptions {
  /** Candidates kept for news scoring, best sanity first (default 20). */
  shortlist?: number;
  /** Picks bought at the next open, equal shares of capital (default 4). */
  top?: number;
  /** Calendar days of news the shortlist reads (default 7). */
  newsDays?: number;
  /** How far news may move a shortlisted candidate (the shortlist scorer's weight, default 0.5). */
  newsWeight?: number;
  /** Trailing stop below the best price since entry, as a fraction (default 0.02). */
  trailPct?: number;
}

/** Defaults of the weekday run (the shortlist of 20 and top 4). */
export const WEEKDAY_DEFAULTS: Required<WeekdayOptions> = {
  shortlist: 20,
  top: 4,
  newsDays: 7,
  newsWeight: 0.5,
  trailPct: 0.02,
};

/** The list id the shortlist's news re-ranking is stored under (sentiment_shortlists, the News page). */
export const WEEKDAY_LIST = 'search-weekday';

/** The panel signal that marks a pick on its decision day: the trade spec's only entry rule. */
export const PICK_SIGNAL = 'search_pick';

/** Weeks back a selection is still traded when the last week has none. */
const STALE_WEEKS = 4;

/** Screens of the weekday universe on its close: the dataset's defaults. */
const SCREENS = { minPrice: 5, minDollarVolume: 1_000_000 };

/**
 * The next session's trade as a strategy spec: the day's picks (the PICK_SIGNAL) bought at the open with
 * an equal share (1 / top) of equity each, the day-trading exits (price-range bracket targets, a trailing
 * stop behind the best price seen, everything left sold at the close).
 */
export function weekdaySpec(top: number, trailPct: number): StrategySpec {
  const exit = dayTrading.build({ trail_pct: trailPct }).exit;
  return parseStrategy({
    id: 'search_weekday',
    version: 1,
    name: 'Weekday search picks',
    description: `Buy the weekday run's top ${top} at the open with 1/${top} of equity each, bracket target, ${trailPct * 100}% trailing stop, out at the close.`,
    type: 'DAY',
    asset_types: ['equity'],
    entry: { long: { signals: { mode: 'any', templates: [PICK_SIGNAL] } }, max_positions: top },
    exit,
    sizing: { mode: 'equal' },
  });
}

/** The group a close trades: the selection of the latest week before the close's week, at most STALE_WEEKS back. */
export async function tradedGroup(sql: Sql, date: string): Promise<StoredGroup | null> {
  const week = weekStart(date);
  for (let back = 1; back <= STALE_WEEKS; back++) {
    const group = await loadSelectedGroup(sql, addDays(week, -7 * back));
    if (group) return group;
  }
  return null;
}

/** One candidate as stored: its sanity numbers, news, ranks and the reason it stopped where it did. */
export interface WeekdayCandidate {
  asset_id: number;
  symbol: string;
  ret_5: number;
  vol_20: number | null;
  sanity_score: number | null;
  sanity_rank: number;
  shortlist_rank: number | null;
  news_score: number | null;
  article_count: number;
  pick_rank: number | null;
  reason: string;
}

/** What a weekday run stored for a close. */
export interface WeekdayRun {
  date: string;
  status: 'picked' | 'no_group' | 'no_candidates';
  group: StoredGroup | null;
  universe: number;
  shortlistSize: number;
  top: number;
  scorerVersion: string | null;
  spec: StrategySpec;
  reason: string;
  candidates: WeekdayCandidate[];
}

const fin = (x: number) => (Number.isFinite(x) ? x : null);
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** Why a shortlisted or ranked candidate is where it is. */
function reasonOf(c: Candidate, sanityRank: number, n: number, cut: WeekdayCandidate): string {
  const sanity = Number.isFinite(c.sanity)
    ? `sanity ${c.sanity.toFixed(2)} (5-day ${pct(c.ret5)}, daily vol ${pct(c.vol20)}) rank ${sanityRank} of ${n}`
    : `no sanity score (flat last 20 returns) rank ${sanityRank} of ${n}`;
  if (cut.shortlist_rank === null) return `${sanity}: outside the shortlist`;
  const news =
    cut.news_score === null
      ? 'no news (keeps its place)'
      : `news ${cut.news_score.toFixed(2)} from ${cut.article_count} article(s)`;
  const moved = `shortlist ${sanityRank} → ${cut.shortlist_rank}`;
  return cut.pick_rank === null
    ? `${sanity}; ${news}, ${moved}: outside the top`
    : `${sanity}; ${news}, ${moved}: pick ${cut.pick_rank}`;
}

/**
 * Runs and stores the weekday run of the equity close `date` (see the file header). Refuses a date
 * without equity bars, or with too little history, as invalid input.
 */
export async function runWeekday(
  ctx: PipelineContext,
  date: string,
  options: WeekdayOptions = {},
): Promise<WeekdayRun> {
  const o = { ...WEEKDAY_DEFAULTS, ...options };
  const { sql } = ctx;
  const spec = weekdaySpec(o.top, o.trailPct);
  const bars = HISTORY_BARS + SIGNAL_DAYS;
  const dates = await equityBarDates(sql, date, bars);
  if (dates.at(-1) !== date || dates.length < bars)
    throw new AppError(
      'invalid_input',
      dates.at(-1) !== date
        ? `no equity bars stored for ${date}: the weekday run needs that day's close`
        : `the weekday run of ${date} needs ${bars} equity bar dates up to it, ${dates.length} are stored`,
      { retryable: false },
    );
  const group = await tradedGroup(sql, date);
  const base = {
    date,
    group,
    shortlistSize: o.shortlist,
    top: o.top,
    spec,
  };
  if (!group) {
    const run: WeekdayRun = {
      ...base,
      status: 'no_group',
      universe: 0,
      scorerVersion: null,
      reason: `no search group selected for the ${STALE_WEEKS} weeks before the week of ${weekStart(date)}`,
      candidates: [],
    };
    await storeWeekday(sql, run);
    return run;
  }

  const screened = await screenedTickers(sql, dates, bars - 1, SCREENS);
  const tickers: TickerBars[] = screened.map((r) => {
    const cols = [0, 1, 2, 3, 4].map(() => new Float64Array(bars));
    unpackRows(r.packed, cols, 0);
    const [open, high, low, close, volume] = cols as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    return { open, high, low, close, volume };
  });
  const ranked = rankBySanity(tickers, groupPicks(tickers, group.members));
  const shortlisted = ranked.slice(0, o.shortlist);
  const scorer = sentimentScorer(ctx);
  const news =
    shortlisted.length > 0
      ? await scoreShortlist(sql, scorer, {
          listId: WEEKDAY_LIST,
          date,
          assetType: 'equity',
          symbols: shortlisted.map((c) => screened[c.ticker]!.symbol),
          days: o.newsDays,
          weight: o.newsWeight,
        })
      : [];
  const bySymbol = new Map(news.map((r) => [r.symbol, r]));
  const candidates = ranked.map((c, i) => {
    const t = screened[c.ticker]!;
    const n = bySymbol.get(t.symbol);
    const row: WeekdayCandidate = {
      asset_id: Number(t.id),
      symbol: t.symbol,
      ret_5: c.ret5,
      vol_20: fin(c.vol20),
      sanity_score: fin(c.sanity),
      sanity_rank: i + 1,
      shortlist_rank: n ? n.rank : null,
      news_score: n ? n.news_score : null,
      article_count: n ? n.article_count : 0,
      pick_rank: n && n.rank <= o.top ? n.rank : null,
      reason: '',
    };
    row.reason = reasonOf(c, i + 1, ranked.length, row);
    return row;
  });
  const picks = candidates.filter((c) => c.pick_rank !== null).length;
  const run: WeekdayRun = {
    ...base,
    status: candidates.length > 0 ? 'picked' : 'no_candidates',
    universe: screened.length,
    scorerVersion: shortlisted.length > 0 ? scorer.version : null,
    reason:
      candidates.length > 0
        ? `${group.members.length} variations of group ${group.groupKey} (week of ${group.week}) all pick ${candidates.length} of ${screened.length} tickers; ${Math.min(o.shortlist, candidates.length)} shortlisted by sanity, news re-ranked by ${scorer.version}, ${picks} picked`
        : `no ticker of ${screened.length} is picked by all ${group.members.length} variations of group ${group.groupKey}`,
    candidates,
  };
  await storeWeekday(sql, run);
  return run;
}

/** Replaces the stored weekday run of a close. */
async function storeWeekday(sql: Sql, run: WeekdayRun): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`delete from search_weekday_runs where as_of_date = ${run.date}`;
    await tx`
      insert into search_weekday_runs (as_of_date, status, group_week, group_run_id, group_key, variations,
        universe, candidates, shortlist_size, top_n, scorer_version, trade_spec, reason)
      values (${run.date}, ${run.status}, ${run.group?.week ?? null}, ${run.group?.runId ?? null},
        ${run.group?.groupKey ?? null}, ${tx.json((run.group?.members ?? []) as never)}, ${run.universe},
        ${run.candidates.length}, ${run.shortlistSize}, ${run.top}, ${run.scorerVersion},
        ${tx.json(run.spec as never)}, ${run.reason})`;
    for (let i = 0; i < run.candidates.length; i += 2000)
      await tx`insert into search_weekday_candidates ${tx(
        run.candidates.slice(i, i + 2000).map((c) => ({ as_of_date: run.date, ...c })),
      )}`;
  });
}

/** A stored weekday run's trade: its spec and its picks in pick order, or null when the close has no run. */
export async function loadWeekdayTrade(
  sql: Sql,
  date: string,
): Promise<{ spec: StrategySpec; picks: { asset_id: number; symbol: string; pick_rank: number }[] } | null> {
  const [run] = await sql<{ trade_spec: unknown }[]>`
    select trade_spec from search_weekday_runs where as_of_date = ${date}`;
  if (!run) return null;
  const picks = await sql<{ asset_id: string; symbol: string; pick_rank: number }[]>`
    select asset_id, symbol, pick_rank from search_weekday_candidates
    where as_of_date = ${date} and pick_rank is not null order by pick_rank`;
  return {
    spec: parseStrategy(run.trade_spec),
    picks: picks.map((p) => ({ ...p, asset_id: Number(p.asset_id) })),
  };
}
