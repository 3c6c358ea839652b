import type { MentionScore, ScoreArticle, ScoreBatch, SentimentLabel, SentimentScorer } from './types.ts';

/**
 * The lexicon scorer: a finance-aware word and phrase list in the spirit of Loughran-McDonald (2011),
 * written for news headlines and sentences, with negation, intensifiers, contrast clauses and
 * direction × object rules ("loss narrowed" is good news, "costs rose" bad). General sentiment
 * lexicons score near chance on financial text because "liability", "tax" or "cost" are not moods;
 * here only words a finance reader takes as good or bad news carry weight.
 */
export const LEXICON_VERSION = 'lexicon-v1';

/**
 * |score| at or above this is positive / negative, below it neutral: one plain term (weight 1)
 * gives 0.58, a diminished one (0.5) 0.33, a mild word alone ("risk", 0.3) 0.21 and stays neutral.
 */
export const LABEL_THRESHOLD = 0.25;

/** The three-class label of a score in [-1, 1] (see LABEL_THRESHOLD). */
export function labelOf(score: number): SentimentLabel {
  if (score >= LABEL_THRESHOLD) return 'positive';
  if (score <= -LABEL_THRESHOLD) return 'negative';
  return 'neutral';
}

/** One text's lexicon score: in [-1, 1], its label and the terms that made it. */
export interface LexiconScore {
  score: number;
  label: SentimentLabel;
  /** The matched terms with their signed contribution after modifiers, for audit. */
  terms: { term: string; weight: number }[];
}

// Squashes the raw sum into (-1, 1) as VADER does: s / sqrt(s² + α).
const ALPHA = 2;

// Multi-word expressions, matched on whole tokens before single words; their tokens are consumed.
const PHRASES: [string, number][] = [
  // earnings against expectations
  ['beat estimates', 1.5],
  ['beats estimates', 1.5],
  ['beat expectations', 1.5],
  ['beats expectations', 1.5],
  ['beat forecasts', 1.5],
  ['beats forecasts', 1.5],
  ['beat consensus', 1.5],
  ['beats consensus', 1.5],
  ['top estimates', 1.5],
  ['tops estimates', 1.5],
  ['topped estimates', 1.5],
  ['tops expectations', 1.5],
  ['topped expectations', 1.5],
  ['above expectations', 1.2],
  ['above estimates', 1.2],
  ['above forecasts', 1.2],
  ['exceeded expectations', 1.5],
  ['exceeds expectations', 1.5],
  ['exceeded estimates', 1.5],
  ['better than expected', 1.3],
  ['better-than-expected', 1.3],
  ['stronger than expected', 1.3],
  ['stronger-than-expected', 1.3],
  ['ahead of expectations', 1.2],
  ['ahead of schedule', 1],
  ['miss estimates', -1.5],
  ['misses estimates', -1.5],
  ['missed estimates', -1.5],
  ['misses expectations', -1.5],
  ['missed expectations', -1.5],
  ['missed forecasts', -1.5],
  ['below expectations', -1.2],
  ['below estimates', -1.2],
  ['below forecasts', -1.2],
  ['worse than expected', -1.3],
  ['worse-than-expected', -1.3],
  ['weaker than expected', -1.3],
  ['weaker-than-expected', -1.3],
  ['falls short', -1.3],
  ['fell short', -1.3],
  ['fall short', -1.3],
  ['short of expectations', -1.3],
  ['short of estimates', -1.3],
  ['behind schedule', -1],
  // guidance and outlook
  ['raises guidance', 1.5],
  ['raised guidance', 1.5],
  ['raises its guidance', 1.5],
  ['raised its guidance', 1.5],
  ['raises outlook', 1.5],
  ['raised outlook', 1.5],
  ['raises its outlook', 1.5],
  ['raised its outlook', 1.5],
  ['raises forecast', 1.5],
  ['raised forecast', 1.5],
  ['raises its forecast', 1.5],
  ['raised its forecast', 1.5],
  ['boosts guidance', 1.5],
  ['lifts guidance', 1.5],
  ['cuts guidance', -1.5],
  ['cut guidance', -1.5],
  ['cuts its guidance', -1.5],
  ['lowers guidance', -1.5],
  ['lowered guidance', -1.5],
  ['lowers its guidance', -1.5],
  ['lowered its guidance', -1.5],
  ['cuts outlook', -1.5],
  ['cut outlook', -1.5],
  ['cuts its outlook', -1.5],
  ['lowers outlook', -1.5],
  ['lowered outlook', -1.5],
  ['lowers its outlook', -1.5],
  ['lowered its outlook', -1.5],
  ['cuts forecast', -1.5],
  ['cut forecast', -1.5],
  ['cuts its forecast', -1.5],
  ['lowers forecast', -1.5],
  ['lowered forecast', -1.5],
  ['slashes forecast', -1.8],
  ['slashed forecast', -1.8],
  ['profit warning', -1.5],
  ['withdraws guidance', -1.3],
  ['withdrew guidance', -1.3],
  ['reaffirms guidance', 0.6],
  ['reaffirmed guidance', 0.6],
  // capital returns
  ['raises dividend', 1.3],
  ['raised dividend', 1.3],
  ['raises its dividend', 1.3],
  ['raised its dividend', 1.3],
  ['increases dividend', 1.3],
  ['increased its dividend', 1.3],
  ['hikes dividend', 1.3],
  ['dividend increase', 1.3],
  ['dividend hike', 1.3],
  ['special dividend', 1],
  ['cuts dividend', -1.5],
  ['cut dividend', -1.5],
  ['cuts its dividend', -1.5],
  ['suspends dividend', -1.5],
  ['suspended its dividend', -1.5],
  ['suspends its dividend', -1.5],
  ['dividend cut', -1.5],
  ['share buyback', 1],
  ['stock buyback', 1],
  ['buyback program', 1],
  ['repurchase program', 1],
  ['share repurchase', 1],
  // analysts
  ['price target raised', 1.2],
  ['raises price target', 1.2],
  ['raised price target', 1.2],
  ['raises target', 1],
  ['price target cut', -1.2],
  ['cuts price target', -1.2],
  ['lowers price target', -1.2],
  ['lowered price target', -1.2],
  ['strong buy', 1.3],
  ['buy rating', 0.8],
  ['sell rating', -0.8],
  // records and extremes
  ['record revenue', 1.5],
  ['record sales', 1.5],
  ['record profit', 1.5],
  ['record earnings', 1.5],
  ['record high', 1.3],
  ['all-time high', 1.3],
  ['all time high', 1.3],
  ['52-week high', 1],
  ['record loss', -1.5],
  ['record low', -1.3],
  ['all-time low', -1.3],
  ['52-week low', -1],
  // events
  ['files for bankruptcy', -2],
  ['filed for bankruptcy', -2],
  ['file for bankruptcy', -2],
  ['chapter 11', -2],
  ['going concern', -1.5],
  ['sec probe', -1.5],
  ['sec investigation', -1.5],
  ['under investigation', -1.3],
  ['class action', -1.3],
  ['data breach', -1.3],
  ['accounting irregularities', -1.8],
  ['job cuts', -1],
  ['lays off', -1],
  ['laid off', -1],
  ['lay off', -1],
  ['declined to', 0],
  ['declines to', 0],
  ['decline to', 0],
  ['return to profitability', 1.2],
  ['returned to profitability', 1.2],
  ['cut jobs', -1],
  ['cuts jobs', -1],
  ['shuts down', -1],
  ['short seller', -1],
  ['swung to a profit', 1.5],
  ['swung to profit', 1.5],
  ['swings to profit', 1.5],
  ['turned a profit', 1.3],
  ['returned to profit', 1.3],
  ['returns to profit', 1.3],
  ['swung to a loss', -1.5],
  ['swung to loss', -1.5],
  ['swings to loss', -1.5],
  ['fda approval', 1.3],
  ['wins approval', 1.2],
  ['won approval', 1.2],
  ['wins contract', 1.2],
  ['won a contract', 1.2],
  ['wins a contract', 1.2],
  ['awarded a contract', 1.2],
  ['secures contract', 1.2],
  ['strong demand', 1.2],
  ['weak demand', -1.2],
  ['on track', 0.6],
  ['no longer', 0],
  ['in line with expectations', 0],
  ['in line with estimates', 0],
  ['in line', 0],
];

// Single words a finance reader takes as good (+) or bad (−) news, with their strength.
const WORDS: Record<string, number> = {
  // positive
  beat: 1.2,
  beats: 1.2,
  tops: 1,
  exceed: 1,
  exceeded: 1.2,
  exceeds: 1.2,
  outperform: 1,
  outperformed: 1.2,
  outperforms: 1.2,
  outperformance: 1,
  upgrade: 1.3,
  upgraded: 1.3,
  upgrades: 1.3,
  overweight: 0.8,
  strong: 1,
  stronger: 1,
  strongest: 1,
  strength: 0.8,
  robust: 1,
  solid: 0.8,
  healthy: 0.7,
  improve: 1,
  improved: 1,
  improves: 1,
  improving: 1,
  improvement: 1,
  gain: 1,
  gains: 1,
  gained: 1,
  profitable: 1,
  profitability: 0.6,
  success: 1,
  successful: 1,
  successfully: 1,
  win: 1,
  wins: 1,
  won: 1,
  awarded: 0.8,
  breakthrough: 1.2,
  upbeat: 1.2,
  optimistic: 1,
  optimism: 1,
  bullish: 1.2,
  rally: 1,
  rallies: 1,
  rallied: 1,
  rebound: 1,
  rebounds: 1,
  rebounded: 1,
  recover: 0.8,
  recovered: 0.8,
  recovers: 0.8,
  recovery: 0.8,
  boom: 1,
  booming: 1,
  momentum: 0.6,
  positive: 0.8,
  favorable: 0.8,
  favourable: 0.8,
  attractive: 0.7,
  opportunity: 0.5,
  opportunities: 0.5,
  benefit: 0.6,
  benefits: 0.6,
  best: 0.8,
  approved: 0.8,
  approval: 0.8,
  buyback: 0.8,
  buybacks: 0.8,
  tailwind: 0.8,
  tailwinds: 0.8,
  accretive: 0.8,
  efficiency: 0.5,
  outpaced: 0.8,
  surpassed: 1,
  surpasses: 1,
  expansion: 0.6,
  expands: 0.6,
  expanded: 0.6,
  upside: 0.8,
  resilient: 0.8,
  resilience: 0.7,
  milestone: 0.7,
  // negative
  loss: -1,
  losses: -1,
  lost: -0.8,
  lose: -0.8,
  loses: -0.8,
  losing: -0.8,
  miss: -1.2,
  misses: -1.2,
  missed: -1.2,
  weak: -1,
  weaker: -1,
  weakest: -1,
  weakness: -1,
  weakened: -1,
  weakening: -1,
  poor: -1,
  poorly: -1,
  disappoint: -1.2,
  disappointed: -1.2,
  disappointing: -1.2,
  disappointment: -1.2,
  disappoints: -1.2,
  downgrade: -1.3,
  downgraded: -1.3,
  downgrades: -1.3,
  underweight: -0.8,
  underperform: -1,
  underperformed: -1,
  underperforms: -1,
  bankrupt: -2,
  bankruptcy: -2,
  insolvency: -2,
  insolvent: -2,
  default: -1.3,
  defaulted: -1.5,
  defaults: -1.3,
  lawsuit: -1.2,
  lawsuits: -1.2,
  litigation: -1,
  sued: -1.2,
  sues: -1,
  fraud: -1.8,
  probe: -1,
  probes: -1,
  investigation: -0.8,
  penalty: -1,
  penalties: -1,
  fined: -1.2,
  scandal: -1.5,
  recall: -1.2,
  recalls: -1.2,
  recalled: -1.2,
  layoff: -1,
  layoffs: -1,
  warning: -1,
  warns: -1.2,
  warned: -1.2,
  bearish: -1.2,
  pessimistic: -1,
  pessimism: -1,
  concern: -0.8,
  concerns: -0.8,
  worried: -0.8,
  worries: -0.8,
  worry: -0.8,
  fear: -0.8,
  fears: -0.8,
  uncertainty: -0.6,
  uncertain: -0.5,
  risk: -0.3,
  risks: -0.3,
  volatile: -0.4,
  volatility: -0.3,
  headwind: -0.8,
  headwinds: -0.8,
  slowdown: -1,
  sluggish: -1,
  stagnant: -0.8,
  deteriorate: -1,
  deteriorated: -1,
  deteriorating: -1,
  deterioration: -1,
  impairment: -1,
  impairments: -1,
  writedown: -1,
  'write-down': -1,
  writeoff: -1,
  'write-off': -1,
  delay: -0.8,
  delayed: -0.8,
  delays: -0.8,
  shortfall: -1.2,
  deficit: -0.8,
  downturn: -1,
  recession: -1,
  crisis: -1.2,
  struggle: -1,
  struggles: -1,
  struggling: -1,
  halt: -1,
  halted: -1,
  halts: -1,
  suspend: -1,
  suspended: -1,
  suspends: -1,
  closure: -0.8,
  closures: -0.8,
  shutdown: -1,
  strike: -0.8,
  breach: -1.2,
  hacked: -1.2,
  violation: -1,
  violations: -1,
  antitrust: -0.8,
  sanctions: -0.8,
  restatement: -1.2,
  restate: -1.2,
  dilution: -0.8,
  dilutive: -0.8,
  selloff: -1,
  'sell-off': -1,
  crash: -1.5,
  crashed: -1.5,
  collapse: -1.5,
  collapsed: -1.5,
  unprofitable: -1,
  negative: -0.8,
  adverse: -1,
  adversely: -1,
  challenging: -0.7,
  difficult: -0.7,
  pressure: -0.6,
  pressures: -0.6,
  pressured: -0.8,
  downside: -0.8,
  delisted: -1.5,
  delisting: -1.5,
  resign: -0.6,
  resigns: -0.6,
  resigned: -0.6,
  ousted: -1,
  turmoil: -1.2,
  plagued: -1,
  hurt: -1,
  hurts: -1,
  damage: -0.8,
  damaged: -0.8,
  jeopardy: -1,
  threat: -0.7,
  threatens: -0.8,
  exposure: -0.3,
  squeeze: -1,
  squeezed: -1,
  squeezing: -1,
};

// Movement words: their sign comes from what moves ("profit rose" good, "costs rose" bad).
const UP = new Set(
  'rise rises rising rose risen increase increases increased increasing grow grows grew grown growing jump jumps jumped jumping climb climbs climbed climbing surge surges surged surging soar soars soared soaring advance advances advanced higher expand widen widens widened widening boost boosts boosted raise raises raised double doubled doubles triple tripled accelerate accelerated accelerates accelerating hike hikes hiked spike spiked skyrocket skyrocketed skyrockets up upped swell swelled balloon ballooned'.split(
    ' ',
  ),
);
const DOWN = new Set(
  'fall falls fell fallen falling drop drops dropped dropping decline declines declined declining decrease decreases decreased decreasing slip slips slipped slipping slide slides slid sliding sink sinks sank sunk sinking plunge plunges plunged plunging plummet plummets plummeted plummeting tumble tumbles tumbled tumbling slump slumps slumped dip dips dipped shrink shrinks shrank shrunk shrinking narrow narrows narrowed narrowing lower lowered lowers lowering down cut cuts cutting reduce reduces reduced reducing slash slashes slashed halve halved halves contracted contracting slowed slows slowing ease eased eases erode eroded erodes eroding sag sagged'.split(
    ' ',
  ),
);
// Movement words read as adjectives or nouns look forward for what moves ("lower costs", "a rise in sales").
const FORWARD_FIRST = new Set(
  'higher lower increased reduced decreased rising falling declining growing expanded boosted raised lowered cut cuts slashed'.split(
    ' ',
  ),
);

// What moves: more of these is good news, less is bad.
const GOOD = new Set(
  'revenue revenues sales profit profits earnings income ebit ebitda eps margin margins turnover dividend dividends demand order orders bookings backlog share shares stock stocks price prices cash cashflow guidance outlook forecast forecasts production output deliveries shipments volume volumes traffic subscribers customers users growth profitability valuation rating ratings return returns result results performance jobs workforce staff employees headcount market capacity value payout payouts sentiment confidence'.split(
    ' ',
  ),
);
// What moves: more of these is bad news, less is good.
const BAD = new Set(
  'loss losses cost costs expense expenses debt debts deficit unemployment impairment impairments writedowns charges liabilities risk risks churn delinquencies provisions headwinds volatility layoffs inventory inventories leverage'.split(
    ' ',
  ),
);

const NEGATORS = new Set(
  'not no never none nobody nothing neither nor without cannot hardly barely lack lacks lacked'.split(' '),
);
// Two-token negators ("fails to meet").
const NEGATOR_PAIRS = new Set(['fails to', 'failed to', 'fail to', 'unable to', 'did not', 'does not']);
const INTENSIFIERS: Record<string, number> = {
  very: 1.4,
  sharply: 1.5,
  sharp: 1.5,
  significantly: 1.4,
  significant: 1.3,
  substantially: 1.4,
  substantial: 1.3,
  strongly: 1.4,
  dramatically: 1.6,
  dramatic: 1.5,
  hugely: 1.5,
  huge: 1.4,
  massive: 1.5,
  massively: 1.5,
  steep: 1.5,
  steeply: 1.5,
  record: 1.4,
  biggest: 1.4,
  largest: 1.3,
  major: 1.2,
  heavy: 1.3,
  heavily: 1.3,
  deep: 1.3,
  deeply: 1.3,
  extremely: 1.6,
  highly: 1.3,
  much: 1.2,
  severe: 1.5,
  severely: 1.5,
};
const DIMINISHERS: Record<string, number> = {
  slightly: 0.5,
  slight: 0.5,
  marginally: 0.5,
  marginal: 0.5,
  somewhat: 0.6,
  modestly: 0.6,
  modest: 0.6,
  little: 0.6,
  small: 0.7,
  partly: 0.6,
  partially: 0.6,
  mildly: 0.5,
  mild: 0.6,
};
// After these, what came before in the sentence matters less ("weak quarter, but guidance raised").
const BUT = new Set(['but', 'however', 'nevertheless', 'nonetheless']);
// The clause after these is conceded and matters less ("despite weak sales, profit rose").
const CONCESSIVE = new Set(['despite', 'although', 'though', 'notwithstanding']);
const BOUNDARY = new Set([',', ';', ':', '.', '!', '?', 'while', 'whereas']);
const ARTICLES = new Set(['a', 'an', 'the', 'its', 'their']);

interface Phrase {
  tokens: string[];
  weight: number;
  text: string;
}
// Phrases by first token, longest first, so "raised its guidance" wins over "raised".
const PHRASE_INDEX = new Map<string, Phrase[]>();
for (const [text, weight] of PHRASES) {
  const tokens = tokenize(text);
  const list = PHRASE_INDEX.get(tokens[0]!) ?? [];
  list.push({ tokens, weight, text });
  list.sort((a, b) => b.tokens.length - a.tokens.length);
  PHRASE_INDEX.set(tokens[0]!, list);
}

function tokenize(text: string): string[] {
  const lower = text.toLowerCase().replace(/[’‘]/g, "'").replace(/n't\b/g, ' not');
  return lower.match(/[a-z0-9][a-z0-9'-]*%?|[,;:.!?]/g) ?? [];
}

// Plural, past and adverb forms of listed words ("upgrades" from "upgrade", "strongly" from "strong").
function wordWeight(token: string): number | undefined {
  const direct = WORDS[token];
  if (direct !== undefined) return direct;
  for (const [suffix, add] of [
    ['s', ''],
    ['es', ''],
    ['ed', ''],
    ['ed', 'e'],
    ['ing', ''],
    ['ing', 'e'],
    ['ly', ''],
  ] as const) {
    if (token.length > suffix.length + 2 && token.endsWith(suffix)) {
      const w = WORDS[token.slice(0, -suffix.length) + add];
      if (w !== undefined) return w;
    }
  }
  return undefined;
}

function objectPolarity(token: string | undefined): number {
  if (token === undefined) return 0;
  if (GOOD.has(token)) return 1;
  if (BAD.has(token)) return -1;
  return 0;
}

const isNumber = (t: string | undefined) => t !== undefined && /^[0-9]/.test(t);

interface Term {
  start: number;
  end: number;
  /** Where modifiers are looked for: the movement word of "revenue failed to grow", else the start. */
  anchor: number;
  weight: number;
  text: string;
}

/** Scores one text with the finance lexicon: a score in [-1, 1], its label and the terms it matched. */
export function scoreLexicon(text: string): LexiconScore {
  const tokens = tokenize(text);
  const n = tokens.length;
  const terms: Term[] = [];
  const consumed = new Uint8Array(n);
  // Pass 1: phrases, then movement words with their object, then single words not consumed.
  for (let i = 0; i < n; i++) {
    const candidates = PHRASE_INDEX.get(tokens[i]!);
    if (!candidates) continue;
    for (const p of candidates) {
      if (i + p.tokens.length > n) continue;
      let ok = true;
      for (let k = 1; k < p.tokens.length && ok; k++) ok = tokens[i + k] === p.tokens[k];
      if (!ok) continue;
      for (let k = 0; k < p.tokens.length; k++) consumed[i + k] = 1;
      if (p.weight !== 0) {
        terms.push({ start: i, end: i + p.tokens.length, anchor: i, weight: p.weight, text: p.text });
      }
      i += p.tokens.length - 1;
      break;
    }
  }
  for (let i = 0; i < n; i++) {
    if (consumed[i]) continue;
    const t = tokens[i]!;
    const dir = UP.has(t) ? 1 : DOWN.has(t) ? -1 : 0;
    if (dir === 0) continue;
    // "up" and "down" are movements only before a number ("shares were down 3%"), not in "set up".
    if ((t === 'up' || t === 'down') && !isNumber(tokens[i + 1])) continue;
    const object = findObject(tokens, i, consumed);
    const polarity = object >= 0 ? objectPolarity(tokens[object]) : 1;
    if (object >= 0) consumed[object] = 1;
    consumed[i] = 1;
    const label = object >= 0 ? `${tokens[object]} ${t}` : t;
    terms.push({
      start: Math.min(i, object >= 0 ? object : i),
      end: i + 1,
      anchor: i,
      weight: dir * polarity,
      text: label,
    });
  }
  for (let i = 0; i < n; i++) {
    if (consumed[i]) continue;
    const w = wordWeight(tokens[i]!);
    if (w !== undefined) terms.push({ start: i, end: i + 1, anchor: i, weight: w, text: tokens[i]! });
  }
  terms.sort((a, b) => a.start - b.start);

  // Pass 2: modifiers from the tokens before each term (and an adverb right after it), then clauses.
  let sum = 0;
  const out: { term: string; weight: number }[] = [];
  const butAt = lastIndexOf(tokens, BUT);
  for (const term of terms) {
    let w = term.weight;
    const clauseStart = clauseStartOf(tokens, term.start);
    for (let k = term.anchor - 1; k >= Math.max(clauseStart, term.anchor - 4); k--) {
      const tk = tokens[k]!;
      if (NEGATORS.has(tk) || (k > 0 && NEGATOR_PAIRS.has(`${tokens[k - 1]} ${tk}`))) {
        // "not only ... but" is emphasis, not negation.
        if (tokens[k + 1] !== 'only') w = -0.7 * w;
        break;
      }
    }
    for (const k of [term.anchor - 1, term.anchor - 2, term.end]) {
      if (k < clauseStart || k >= n) continue;
      const tk = tokens[k]!;
      const m = INTENSIFIERS[tk] ?? DIMINISHERS[tk];
      if (m !== undefined) {
        w *= m;
        break;
      }
    }
    if (butAt >= 0 && term.start < butAt) w *= 0.5;
    if (isConceded(tokens, term.start)) w *= 0.5;
    sum += w;
    out.push({ term: term.text, weight: Math.round(w * 1000) / 1000 });
  }
  const score = sum === 0 ? 0 : sum / Math.sqrt(sum * sum + ALPHA);
  return { score, label: labelOf(score), terms: out };
}

// The object of a movement word: forward first for adjective/noun uses ("lower costs", "a rise in
// sales"), else the nearest one before it in the clause ("operating profit for the quarter rose").
function findObject(tokens: string[], i: number, consumed: Uint8Array): number {
  const forwardFirst = FORWARD_FIRST.has(tokens[i]!) || ARTICLES.has(tokens[i - 1] ?? '');
  const forward = () => {
    for (let k = i + 1; k <= i + 3 && k < tokens.length; k++) {
      const t = tokens[k]!;
      if (BOUNDARY.has(t)) return -1;
      if (objectPolarity(t) !== 0 && !consumed[k]) return k;
    }
    return -1;
  };
  const backward = () => {
    for (let k = i - 1; k >= i - 6 && k >= 0; k--) {
      const t = tokens[k]!;
      if (BOUNDARY.has(t)) return -1;
      if (objectPolarity(t) !== 0 && !consumed[k]) return k;
    }
    return -1;
  };
  if (forwardFirst) {
    const f = forward();
    return f >= 0 ? f : backward();
  }
  const b = backward();
  return b >= 0 ? b : forward();
}

function clauseStartOf(tokens: string[], i: number): number {
  for (let k = i - 1; k >= 0; k--) if (BOUNDARY.has(tokens[k]!)) return k + 1;
  return 0;
}

function lastIndexOf(tokens: string[], set: Set<string>): number {
  for (let k = tokens.length - 1; k >= 0; k--) if (set.has(tokens[k]!)) return k;
  return -1;
}

// Inside a clause that starts with "despite" / "although" (up to the next boundary).
function isConceded(tokens: string[], i: number): boolean {
  for (let k = i - 1; k >= 0; k--) {
    const t = tokens[k]!;
    if (CONCESSIVE.has(t)) return true;
    if (BOUNDARY.has(t)) return false;
  }
  return false;
}

// Text past this is not read: a long body's later paragraphs (boilerplate, disclaimers) add noise.
const MAX_TEXT_CHARS = 4000;

/**
 * The lexicon as a news scorer (version `lexicon-v1`, labelled as such wherever it is stored). Per
 * article × ticker: score = (2 × headline score + text score) / 3 when there is text, else the
 * headline's; relevance = 1 when the ticker (or the company's name, when given) is named in the
 * headline, 0.6 in the text, else 0.3 (the provider listed it); impact = |score| × relevance. It
 * cannot tell the tickers of one article apart.
 */
export function createLexiconScorer(): SentimentScorer {
  return {
    version: LEXICON_VERSION,
    kind: 'lexicon',
    description: `finance lexicon (${LEXICON_VERSION}, no LLM configured)`,
    async score(articles: ScoreArticle[]): Promise<ScoreBatch> {
      const scores: MentionScore[] = [];
      for (const a of articles) {
        const head = scoreLexicon(a.title).score;
        const text = a.text.slice(0, MAX_TEXT_CHARS);
        const score = text.trim() === '' ? head : (2 * head + scoreLexicon(text).score) / 3;
        for (const ticker of a.tickers) {
          const named = new RegExp(`(^|[^A-Za-z0-9])\\$?${escapeRegExp(ticker)}([^A-Za-z0-9]|$)`);
          const name = nameKey(a.names?.[ticker]);
          const byName = name ? new RegExp(`\\b${escapeRegExp(name)}\\b`, 'i') : null;
          const inTitle = named.test(a.title) || (byName?.test(a.title) ?? false);
          const relevance = inTitle ? 1 : named.test(text) || (byName?.test(text) ?? false) ? 0.6 : 0.3;
          scores.push({
            articleId: a.id,
            ticker,
            status: 'valid',
            score: round(score),
            relevance,
            impact: round(Math.abs(score) * relevance),
            reason: null,
            costUsd: 0,
          });
        }
      }
      return { scores, skipped: [], errors: [], requests: 0, tokensIn: 0, tokensOut: 0 };
    },
  };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

// What a headline calls a company: its name without the legal suffix ("Costco Wholesale Corporation"
// is found as "Costco Wholesale"); names shorter than 3 letters are too ambiguous to look for.
function nameKey(name: string | undefined): string | null {
  if (!name) return null;
  const key = name
    .replace(/[,.]/g, ' ')
    .replace(
      /\b(incorporated|inc|corporation|corp|company|co|plc|ltd|limited|holdings|group|sa|nv|ag|class [a-c])\b/gi,
      ' ',
    )
    .replace(/\(.*?\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return key.length >= 3 ? key : null;
}
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
