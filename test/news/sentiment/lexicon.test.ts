import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../shared/news/score/csv.ts';
import {
  createLexiconScorer,
  LABEL_THRESHOLD,
  labelOf,
  scoreLexicon,
} from '../../../shared/news/score/lexicon.ts';
import type { SentimentLabel } from '../../../shared/news/score/types.ts';

// The fixture: 181 financial news sentences written for this test (60 positive, 61 negative, 60
// neutral, hard cases included: negations, mixed clauses, neutral sentences full of finance words).
// Rows alternate dev / holdout: the lexicon was written first, then adjusted only on dev errors.
const rows = parseCsv(readFileSync(new URL('./fixture/sentences.csv', import.meta.url), 'utf8')).slice(1);
const fixture = rows.map(([label, text], i) => ({
  label: label as SentimentLabel,
  text: text!,
  holdout: i % 2 === 1,
}));
const LABELS: SentimentLabel[] = ['positive', 'neutral', 'negative'];

// A general-purpose word list of the kind social-media lexicons hold: the baseline a finance lexicon must beat.
const GENERAL: Record<string, number> = Object.fromEntries([
  ...'good great excellent happy love like best nice amazing awesome win wonderful fantastic glad perfect positive success'
    .split(' ')
    .map((w) => [w, 1]),
  ...'bad terrible awful sad hate worst poor horrible angry fail failed ugly negative wrong problem loss'
    .split(' ')
    .map((w) => [w, -1]),
]);
function general(text: string): SentimentLabel {
  let s = 0;
  for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) s += GENERAL[w] ?? 0;
  return s > 0 ? 'positive' : s < 0 ? 'negative' : 'neutral';
}

interface Metrics {
  accuracy: number;
  macroF1: number;
  /** confusion[truth][predicted] */
  confusion: Record<SentimentLabel, Record<SentimentLabel, number>>;
}
function evaluate(items: { label: SentimentLabel; predicted: SentimentLabel }[]): Metrics {
  const confusion = Object.fromEntries(
    LABELS.map((t) => [t, Object.fromEntries(LABELS.map((p) => [p, 0]))]),
  ) as Metrics['confusion'];
  for (const it of items) confusion[it.label][it.predicted]++;
  const correct = LABELS.reduce((s, l) => s + confusion[l][l], 0);
  const f1s = LABELS.map((l) => {
    const tp = confusion[l][l];
    const predicted = LABELS.reduce((s, t) => s + confusion[t][l], 0);
    const actual = LABELS.reduce((s, p) => s + confusion[l][p], 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = actual === 0 ? 0 : tp / actual;
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  });
  return {
    accuracy: correct / items.length,
    macroF1: f1s.reduce((a, b) => a + b, 0) / LABELS.length,
    confusion,
  };
}

describe('lexicon scorer', () => {
  it('has a balanced fixture of at least 150 sentences', () => {
    expect(fixture.length).toBeGreaterThanOrEqual(150);
    for (const l of LABELS) expect(fixture.filter((f) => f.label === l).length).toBeGreaterThanOrEqual(50);
  });

  it('reaches 0.60 three-class accuracy on the holdout half and beats a general lexicon', () => {
    const report: Record<string, Metrics> = {};
    for (const [name, subset] of [
      ['dev', fixture.filter((f) => !f.holdout)],
      ['holdout', fixture.filter((f) => f.holdout)],
      ['all', fixture],
    ] as const) {
      report[`lexicon ${name}`] = evaluate(
        subset.map((f) => ({ label: f.label, predicted: scoreLexicon(f.text).label })),
      );
      report[`general ${name}`] = evaluate(
        subset.map((f) => ({ label: f.label, predicted: general(f.text) })),
      );
    }
    // The figures the issue asks to report (printed by every run).
    for (const [name, m] of Object.entries(report)) {
      console.log(
        `${name}: accuracy ${m.accuracy.toFixed(3)}, macro-F1 ${m.macroF1.toFixed(3)}, confusion (rows truth, cols predicted pos/neu/neg) ${LABELS.map((t) => LABELS.map((p) => m.confusion[t][p]).join('/')).join(' | ')}`,
      );
    }
    expect(report['lexicon holdout']!.accuracy).toBeGreaterThanOrEqual(0.6);
    expect(report['lexicon holdout']!.macroF1).toBeGreaterThanOrEqual(0.6);
    expect(report['lexicon holdout']!.accuracy).toBeGreaterThan(report['general holdout']!.accuracy + 0.2);
  });

  it('reads finance phrases, not general moods', () => {
    expect(scoreLexicon('Company beats estimates').label).toBe('positive');
    expect(scoreLexicon('Company cuts guidance').label).toBe('negative');
    expect(scoreLexicon('Company raises dividend').label).toBe('positive');
    expect(scoreLexicon('Company misses on revenue').label).toBe('negative');
    expect(scoreLexicon('Retailer files for bankruptcy').label).toBe('negative');
    // Liability, tax and cost are not moods.
    expect(scoreLexicon('Tax liabilities and costs are shown in note 12').label).toBe('neutral');
  });

  it('signs a movement by what moves', () => {
    expect(scoreLexicon('Net loss narrowed to $3 million').label).toBe('positive');
    expect(scoreLexicon('Operating costs rose 12%').label).toBe('negative');
    expect(scoreLexicon('Operating profit rose 12%').label).toBe('positive');
    expect(scoreLexicon('Lower costs helped the quarter').label).toBe('positive');
    expect(scoreLexicon('The company cut 500 jobs').label).toBe('negative');
    expect(scoreLexicon('Shares were down 4% at midday').label).toBe('negative');
    expect(scoreLexicon('The firm set up a new unit').label).toBe('neutral');
  });

  it('handles negation within a window', () => {
    expect(scoreLexicon('Results were not strong').label).toBe('negative');
    expect(scoreLexicon('The company did not miss its targets').label).toBe('positive');
    expect(scoreLexicon('The trial fails to meet expectations').label).not.toBe('positive');
    expect(scoreLexicon('Revenue failed to grow this year').label).toBe('negative');
    // "not only ... but" is emphasis.
    expect(scoreLexicon('Not only strong sales but record profit').label).toBe('positive');
  });

  it('weighs intensifiers, diminishers and contrast clauses', () => {
    const plain = scoreLexicon('Revenue increased').score;
    expect(scoreLexicon('Revenue increased sharply').score).toBeGreaterThan(plain);
    expect(scoreLexicon('Revenue increased slightly').score).toBeLessThan(plain);
    expect(scoreLexicon('Sales were weak, but the company raised guidance').label).toBe('positive');
    expect(scoreLexicon('Despite weak sales, profit rose strongly').label).toBe('positive');
  });

  it('keeps every score in [-1, 1] and labels by the written threshold', () => {
    const extreme =
      'record profit beats estimates raises guidance raises dividend strong robust upgrade '.repeat(50);
    expect(scoreLexicon(extreme).score).toBeLessThanOrEqual(1);
    expect(scoreLexicon(extreme.replace(/raises/g, 'cuts')).score).toBeGreaterThanOrEqual(-1);
    expect(scoreLexicon(`bankruptcy fraud default ${'loss '.repeat(200)}`).score).toBeGreaterThanOrEqual(-1);
    expect(scoreLexicon('').score).toBe(0);
    expect(labelOf(LABEL_THRESHOLD)).toBe('positive');
    expect(labelOf(-LABEL_THRESHOLD)).toBe('negative');
    expect(labelOf(LABEL_THRESHOLD - 1e-9)).toBe('neutral');
  });

  it('scores every article × ticker, headline first, relevance from where the ticker is named', async () => {
    const scorer = createLexiconScorer();
    const batch = await scorer.score([
      {
        id: '1',
        title: 'AAPL beats estimates',
        text: 'Apple and MSFT reported.',
        tickers: ['AAPL', 'MSFT', 'GOOG'],
      },
      { id: '2', title: 'Markets were quiet', text: '', tickers: ['SPY'] },
    ]);
    expect(scorer.version).toBe('lexicon-v1');
    const by = Object.fromEntries(batch.scores.map((s) => [`${s.articleId}:${s.ticker}`, s]));
    expect(by['1:AAPL']!.relevance).toBe(1);
    expect(by['1:MSFT']!.relevance).toBe(0.6);
    expect(by['1:GOOG']!.relevance).toBe(0.3);
    expect(by['1:AAPL']!.score).toBeGreaterThan(0);
    expect(by['2:SPY']).toMatchObject({ status: 'valid', score: 0, impact: 0, costUsd: 0 });
  });

  it('counts a company named without its legal suffix as named', async () => {
    const batch = await createLexiconScorer().score([
      {
        id: '1',
        title: 'Costco Wholesale warns of softer demand',
        text: 'Analysts at Apple said little.',
        tickers: ['COST', 'AAPL', 'X'],
        names: { COST: 'Costco Wholesale Corporation', AAPL: 'Apple Inc.', X: 'X Co' },
      },
    ]);
    expect(batch.scores.map((s) => [s.ticker, s.relevance])).toEqual([
      ['COST', 1],
      ['AAPL', 0.6],
      ['X', 0.3],
    ]);
  });
});
