import type { SentimentSeries } from '../../../../shared/api/contracts/sentiment.ts';
import { sentimentGeometry } from './sentimentLine.ts';

const W = 600;
const H = 80;

/** The asset's daily sentiment under its chart: the decayed value as a line, news days as dots. */
export function SentimentLine({ series }: { series: SentimentSeries }) {
  const g = sentimentGeometry(series.items, W, H);
  const last = series.items.at(-1);
  return (
    <figure className="sentiment-line">
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label="Daily news sentiment">
        <line x1={0} x2={W} y1={g.zero} y2={g.zero} className="zero" />
        <path d={g.path} className="decayed" fill="none" />
        {g.dots.map((d) => (
          <circle key={d.date} cx={d.x} cy={d.y} r={2.5} className={d.mean >= 0 ? 'pos' : 'neg'}>
            <title>{`${d.date}: mean ${d.mean.toFixed(2)} over ${d.count} article(s)`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="muted small">
        Sentiment −1..1 ({last?.scorer_version ?? 'no scores'}): line = decayed value (e<sup>−0.05·days</sup>{' '}
        since the last news), dots = a day's mean{last ? `; ${series.items[0]!.date} to ${last.date}` : ''}
      </figcaption>
    </figure>
  );
}
