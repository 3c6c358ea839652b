import type { SentimentSeries } from '../../../../shared/api/contracts/sentiment.ts';

/** What the sentiment line draws: the decayed value as a path, news days as dots, in a w × h box. */
export interface SentimentGeometry {
  /** SVG path of the decayed value; a day without one breaks the line. */
  path: string;
  dots: { x: number; y: number; mean: number; count: number; date: string }[];
  /** y of the zero line. */
  zero: number;
}

/** Maps the days onto x (evenly, oldest left) and [-1, 1] onto y (1 at the top). */
export function sentimentGeometry(items: SentimentSeries['items'], w: number, h: number): SentimentGeometry {
  const n = items.length;
  const x = (i: number) => (n <= 1 ? w / 2 : (i / (n - 1)) * w);
  const y = (v: number) => ((1 - Math.max(-1, Math.min(1, v))) / 2) * h;
  let path = '';
  let pen = false;
  items.forEach((d, i) => {
    if (d.decayed === null) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(d.decayed).toFixed(1)}`;
    pen = true;
  });
  const dots = items.flatMap((d, i) =>
    d.mean === null ? [] : [{ x: x(i), y: y(d.mean), mean: d.mean, count: d.news_count, date: d.date }],
  );
  return { path, dots, zero: y(0) };
}
