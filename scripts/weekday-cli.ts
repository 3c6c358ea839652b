// `stratos weekday`: the weekly search's weekday run of one close from the command line — the selected
// group's candidates, their sanity ranking, the news-re-ranked shortlist and the picks — and, with
// --portfolio, the weekday paper portfolio brought to that close through the trade stage's path.
import { latestCompleteDay } from '../shared/calendar/index.ts';
import { IsoDate } from '../shared/domain/market.ts';
import { AppError } from '../shared/errors/index.ts';
import { tradePortfolio } from '../shared/portfolio/run/index.ts';
import { runWeekday, WEEKDAY_DEFAULTS } from '../shared/search/weekday/run.ts';
import { createWeekdayPortfolio } from '../shared/search/weekday/trade.ts';
import type { Session } from './local/session.ts';

type Values = Record<string, string | boolean | undefined>;
type WithSession = <T>(fn: (s: Session) => Promise<T>) => Promise<T>;

const usage = (message: string) => new AppError('invalid_input', message, { retryable: false });

/** A whole number in [min, max] from an option, or its default. */
function intOption(values: Values, name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < min || n > max)
    throw usage(`--${name} must be a whole number from ${min} to ${max}, got ${String(raw)}`);
  return n;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null) => (x === null ? '—' : x.toFixed(2));

/** `stratos weekday [--date D] [--shortlist N] [--top N] [--portfolio ID] [--cash X]`. */
export function weekdayCommand(withSession: WithSession) {
  return {
    summary: 'weekday run of the weekly search: the selected group’s candidates → shortlist → news → picks',
    usage:
      'stratos weekday [--date YYYY-MM-DD] [--shortlist N] [--top N] [--portfolio ID] [--cash X]\n\nThe close (default: the last complete equity session) is screened with the selected group of the latest earlier week; candidates are ranked by the 5-day return over the 5-day volatility of the last 20 returns, the shortlist is re-ranked by its news, and the top picks are bought at the next open by weekday portfolios. With --portfolio, that weekday portfolio (created on first use, starting that close) is brought to the close.',
    options: {
      date: { type: 'string' as const, help: 'the close to run (default: the last complete equity session)' },
      shortlist: {
        type: 'string' as const,
        help: `candidates scored on news (default ${WEEKDAY_DEFAULTS.shortlist})`,
      },
      top: {
        type: 'string' as const,
        help: `picks bought at the next open (default ${WEEKDAY_DEFAULTS.top})`,
      },
      portfolio: { type: 'string' as const, help: 'a weekday portfolio id to bring to the close' },
      cash: { type: 'string' as const, help: 'starting cash of a portfolio created now (default 100000)' },
    },
    run: async ({ values }: { values: Values }): Promise<number> => {
      const date = values.date === undefined ? latestCompleteDay('equity') : String(values.date);
      if (!IsoDate.safeParse(date).success) throw usage(`--date ${date} is not a date YYYY-MM-DD`);
      const shortlist = intOption(values, 'shortlist', WEEKDAY_DEFAULTS.shortlist, 1, 500);
      const top = intOption(values, 'top', WEEKDAY_DEFAULTS.top, 1, 100);
      if (top > shortlist) throw usage(`--top ${top} exceeds --shortlist ${shortlist}`);
      const cash = intOption(values, 'cash', 100_000, 1, 1_000_000_000_000);
      const portfolio = values.portfolio === undefined ? undefined : String(values.portfolio);
      return withSession(async (s) => {
        const run = await runWeekday(s.ctx, date, { shortlist, top });
        console.log(`weekday ${date}: ${run.status}. ${run.reason}`);
        if (run.candidates.length > 0) {
          console.log('rank  symbol    sanity  5-day    vol/day  shortlist  news   pick');
          for (const c of run.candidates.filter(
            (x) => x.shortlist_rank !== null || x.sanity_rank <= shortlist,
          ))
            console.log(
              [
                String(c.sanity_rank).padStart(4),
                ` ${c.symbol.padEnd(8)}`,
                num(c.sanity_score).padStart(7),
                pct(c.ret_5).padStart(7),
                pct(c.vol_20).padStart(8),
                String(c.shortlist_rank ?? '—').padStart(10),
                (c.news_score === null ? '—' : `${c.news_score.toFixed(2)}`).padStart(6),
                String(c.pick_rank ?? '').padStart(5),
              ].join(' '),
            );
        }
        if (portfolio === undefined) return 0;
        const [known] = await s.ctx.sql<
          { kind: string }[]
        >`select kind from portfolios where id = ${portfolio}`;
        if (!known)
          await createWeekdayPortfolio(s.ctx.sql, {
            id: portfolio,
            name: `Weekday picks (${portfolio})`,
            universe: 'equity_all',
            starting_cash: cash,
            start_date: date,
          });
        else if (known.kind !== 'weekday')
          throw usage(`portfolio "${portfolio}" is a ${known.kind} portfolio, not a weekday one`);
        const out = await tradePortfolio(s.ctx, portfolio, date);
        const fills = await s.ctx.sql<
          { symbol: string; side: string; qty: number; price: number; rule: string }[]
        >`
          select symbol, side, qty, price, rule from portfolio_fills
          where portfolio_id = ${portfolio} and date = ${date} order by seq`;
        const [equity] = await s.ctx.sql<{ equity: number }[]>`
          select equity from portfolio_equity where portfolio_id = ${portfolio} and date = ${date}`;
        console.log(
          `portfolio ${portfolio}: ${out.days} new session(s), ${out.fills} fill(s)${out.trading ? '' : ' (trading halted)'}; equity at ${date} ${equity ? equity.equity.toFixed(2) : '—'}`,
        );
        for (const f of fills)
          console.log(
            `  ${f.side.padEnd(4)} ${f.symbol.padEnd(8)} ${String(f.qty).padStart(6)} @ ${f.price.toFixed(4)}  ${f.rule}`,
          );
        return 0;
      });
    },
  };
}
