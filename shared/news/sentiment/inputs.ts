import type { PipelineContext } from '../../pipeline/types.ts';
import { LEXICON_VERSION } from '../score/lexicon.ts';

/**
 * Daily sentiment as inputs of templates and strategies, each a `daily_sentiment` column of the
 * current scorer's series on that asset and day. Missing (NaN, so a condition on it is false) on a day
 * with neither news nor a decayed value: no news is an abstention, never a neutral 0.
 */
export const SENTIMENT_COLUMNS = {
  news_count: 'news_count',
  sentiment_mean: 'mean',
  sentiment_weighted: 'weighted_mean',
  sentiment_dispersion: 'dispersion',
  sentiment_decayed: 'decayed',
} as const;

/** The sentiment input names, in the order SENTIMENT_COLUMNS lists them. */
export const SENTIMENT_INPUTS = Object.keys(SENTIMENT_COLUMNS) as SentimentInput[];

/** A sentiment input's name. */
export type SentimentInput = keyof typeof SENTIMENT_COLUMNS;

const INPUTS = new Set<string>(SENTIMENT_INPUTS);

/** Each sentiment input as the feature dictionary (GET /features) describes it to editors and the screener. */
export const SENTIMENT_DICTIONARY = [
  ['news_count', 'count', 'Articles about the asset scored for this session (0 on a day without news)'],
  ['sentiment_mean', 'ratio', "Mean of the session's article scores, -1 to 1; missing without news"],
  [
    'sentiment_weighted',
    'ratio',
    "Relevance-weighted mean of the session's article scores, -1 to 1; missing without news",
  ],
  [
    'sentiment_dispersion',
    'ratio',
    "Standard deviation of the session's article scores (disagreement); missing without news",
  ],
  [
    'sentiment_decayed',
    'ratio',
    'The last news day’s mean, decayed toward 0 over days without news; missing before any news',
  ],
].map(([name, unit, description]) => ({
  name: name as SentimentInput,
  description: description!,
  category: 'sentiment',
  unit: unit!,
  lookback: 0,
  scope: 'asset' as const,
}));

/** Whether an input name is a sentiment input. */
export function isSentimentInput(name: string): name is keyof typeof SENTIMENT_COLUMNS {
  return INPUTS.has(name);
}

/**
 * The `daily_sentiment` series inputs read: the configured scorer's version (the sentiment stage writes
 * that one), the lexicon's without one. Checked to be safe as SQL text.
 */
export function sentimentSeries(ctx: Pick<PipelineContext, 'sentiment'>): string {
  const version = ctx.sentiment?.scorer.version ?? LEXICON_VERSION;
  if (!/^[\w.:/@+-]+$/.test(version)) throw new RangeError(`unexpected scorer version "${version}"`);
  return version;
}

/**
 * A relation with `asset_id`, `date` and one column per sentiment input, of one scorer's series, to
 * join or read where features are read.
 */
export function sentimentRelation(series: string): string {
  const columns = SENTIMENT_INPUTS.map((name) => `${SENTIMENT_COLUMNS[name]}::float8 as ${name}`).join(', ');
  return `(select asset_id, date, ${columns} from daily_sentiment where scorer_version = '${series}')`;
}
