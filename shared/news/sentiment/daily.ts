/**
 * Daily sentiment per asset from its scored mentions, point in time: a day's row uses only the
 * mentions whose session (sessionOf) is that day or earlier.
 */

/** Per calendar day without news, the last news day's mean keeps e^(−DECAY_RATE) of its value. */
export const DECAY_RATE = 0.05;
/** After this many calendar days without news the decayed value is dropped (e^(−6) < 0.3%). */
export const DECAY_HORIZON_DAYS = 120;

/** The decay rule, FNSPID's on the [-1, 1] scale: value × e^(−0.05 × calendar days since the news day). */
export function decay(value: number, days: number): number {
  return value * Math.exp(-DECAY_RATE * days);
}

/** One valid score of one asset, with the session it counts for. */
export interface SessionScore {
  session: string;
  score: number;
  relevance: number;
}

/** One `daily_sentiment` row's values. */
export interface DailySentiment {
  date: string;
  newsCount: number;
  mean: number | null;
  weightedMean: number | null;
  dispersion: number | null;
  decayed: number | null;
  lastNewsDate: string | null;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
const round = (x: number) => Math.round(x * 1e9) / 1e9;

/**
 * The rows of `days` (ascending trading days) for one asset. A day with news: count, mean,
 * relevance-weighted mean (the mean when every relevance is 0), dispersion (population standard
 * deviation) and decayed = mean. A day without: count 0, nulls, and the last news day's mean decayed
 * over the calendar days since (null before any news or past DECAY_HORIZON_DAYS). Scores whose
 * session is after a day never reach it, whatever order they come in.
 */
export function dailySentiment(scores: readonly SessionScore[], days: readonly string[]): DailySentiment[] {
  const bySession = new Map<string, SessionScore[]>();
  for (const s of scores) {
    const list = bySession.get(s.session);
    if (list) list.push(s);
    else bySession.set(s.session, [s]);
  }
  const sessions = [...bySession.keys()].sort();
  const out: DailySentiment[] = [];
  let last: { date: string; mean: number } | null = null;
  let next = 0;
  for (const day of days) {
    // News sessions between the previous day and this one (non-trading sessions cannot occur, but
    // a session before the first day seeds the decay).
    let today: SessionScore[] | null = null;
    while (next < sessions.length && sessions[next]! <= day) {
      const session = sessions[next++]!;
      const list = bySession.get(session)!;
      if (session === day) today = list;
      else last = { date: session, mean: mean(list) };
    }
    if (today) {
      const m = mean(today);
      const rel = today.reduce((s, x) => s + x.relevance, 0);
      const wm = rel > 0 ? today.reduce((s, x) => s + x.relevance * x.score, 0) / rel : m;
      const variance = today.reduce((s, x) => s + (x.score - m) ** 2, 0) / today.length;
      out.push({
        date: day,
        newsCount: today.length,
        mean: round(m),
        weightedMean: round(wm),
        dispersion: round(Math.sqrt(variance)),
        decayed: round(m),
        lastNewsDate: day,
      });
      last = { date: day, mean: m };
      continue;
    }
    const gap = last ? daysBetween(last.date, day) : Number.POSITIVE_INFINITY;
    out.push({
      date: day,
      newsCount: 0,
      mean: null,
      weightedMean: null,
      dispersion: null,
      decayed: last && gap <= DECAY_HORIZON_DAYS ? round(decay(last.mean, gap)) : null,
      lastNewsDate: last?.date ?? null,
    });
  }
  return out;
}

function mean(list: readonly SessionScore[]): number {
  return list.reduce((s, x) => s + x.score, 0) / list.length;
}
