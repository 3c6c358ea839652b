/** The three-class reading of a sentiment score. */
export type SentimentLabel = 'positive' | 'neutral' | 'negative';

/** An article as a scorer sees it: its id, text and the tickers it mentions (the grounding set). */
export interface ScoreArticle {
  /** Stable id within one scoring call (the `news_articles` id, or the CSV row number). */
  id: string;
  title: string;
  /** Summary and/or body; may be empty when only a headline is known. */
  text: string;
  /** Upper-case tickers the article mentions; the scorer answers for exactly these. */
  tickers: string[];
  /** Company names by ticker, when known (the lexicon's relevance also looks for them). */
  names?: Record<string, string>;
}

/**
 * One article × ticker outcome. `valid` carries a score in [-1, 1] with relevance and impact in
 * [0, 1]; `invalid` carries no numbers but the reason (a failed or ungrounded answer is never a 0).
 */
export interface MentionScore {
  articleId: string;
  ticker: string;
  status: 'valid' | 'invalid';
  score: number | null;
  relevance: number | null;
  impact: number | null;
  reason: string | null;
  /** USD this outcome cost (its share of the call that produced it); 0 for the lexicon and cache hits. */
  costUsd: number;
}

/** What one `score` call produced, and what it left unscored because the budget ran out. */
export interface ScoreBatch {
  scores: MentionScore[];
  /** Articles not sent because the per-run budget was spent (to be scored by a later run). */
  skipped: string[];
  /** Calls that failed at the transport (after the SDK's retries): their articles are not scored. */
  errors: { articleIds: string[]; error: string; retryable: boolean }[];
  /** HTTP requests made (0 for the lexicon). */
  requests: number;
  tokensIn: number;
  tokensOut: number;
}

/** A news sentiment scorer: the LLM or the lexicon, versioned so that a new version rescored everything. */
export interface SentimentScorer {
  /** Stored with every score: `lexicon-v1`, or `llm-v1:<model>`. */
  version: string;
  kind: 'lexicon' | 'llm';
  /** One line for logs. */
  description: string;
  /** Scores every article × ticker; with a budget, stops starting calls once it is spent. */
  score(articles: ScoreArticle[], budget?: { usd: number | null }): Promise<ScoreBatch>;
}
