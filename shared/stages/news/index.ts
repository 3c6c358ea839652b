import { addDays } from '../../calendar/index.ts';
import { errorMessage } from '../../errors/index.ts';
import { storeNews } from '../../news/store.ts';
import type { NewsItem } from '../../news/types.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { JobOutcome, StageHandler } from '../../pipeline/types.ts';
import { resolveUniverse } from '../../universes/index.ts';
import { assetsById } from '../load.ts';
import { NewsJob, NewsParams } from './input.ts';

/** Assets per job: a few provider batches (Marketaux takes 20 symbols a request). */
const ASSETS_PER_JOB = 50;
/** Days of publication per job in a backfill, so a job stores a few thousand articles at most. */
const DAYS_PER_JOB = 31;
// Providers clock skew and future-dated records: an item more than this ahead of now is not stored.
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** Windows of at most DAYS_PER_JOB days covering [from, to]. */
function windows(from: string, to: string): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (let start = from; start <= to; start = addDays(start, DAYS_PER_JOB)) {
    const end = addDays(start, DAYS_PER_JOB - 1);
    out.push({ from: start, to: end < to ? end : to });
  }
  return out;
}

/**
 * The news stage: fetches the articles of the universe's assets published in [run date −
 * ctx.news.days, run date] (or from `from` in a backfill) from every configured news provider that
 * serves the asset type, and stores them deduplicated across providers (shared/news/store.ts). A
 * provider failure is recorded per asset and does not fail the job, so the chain goes on to
 * sentiment and features; a spent daily quota stops that provider's requests and is counted.
 */
export const newsStage: StageHandler<NewsParams, NewsJob> = {
  stage: 'news',
  description: 'Fetches news articles for the universe from the configured news providers into news_articles',
  params: NewsParams,
  payload: NewsJob,

  async plan(ctx, run) {
    const { universe, assets } = await resolveUniverse(ctx.sql, run.universe);
    if (!ctx.news.providers.some((p) => p.assetTypes.includes(universe.asset_type))) return [];
    const daily = addDays(run.run_date, -ctx.news.days);
    const from = run.params.from !== undefined && run.params.from < daily ? run.params.from : daily;
    return chunk(
      assets.map((a) => a.id),
      ASSETS_PER_JOB,
    ).flatMap((ids) => windows(from, run.run_date).map((w) => ({ asset_ids: ids, ...w })));
  },

  async process(ctx, _run, payload): Promise<JobOutcome> {
    const assets = await assetsById(ctx.sql, payload.asset_ids);
    const outcome: JobOutcome = {
      counts: { requests: 0, quota_exhausted: 0, future_skipped: 0 },
      assetErrors: [],
    };
    if (assets.length === 0) return outcome;
    const assetType = assets[0]!.asset_type;
    const bySymbol = new Map(assets.map((a) => [a.symbol.toUpperCase(), a]));
    const failed = new Map<number, string[]>();
    const items: NewsItem[] = [];
    const horizon = Date.now() + FUTURE_TOLERANCE_MS;
    for (const provider of ctx.news.providers.filter((p) => p.assetTypes.includes(assetType))) {
      let result: Awaited<ReturnType<typeof provider.fetchNews>>;
      try {
        result = await provider.fetchNews({
          assetType,
          symbols: assets.map((a) => a.symbol),
          from: payload.from,
          to: payload.to,
        });
      } catch (err) {
        // Providers report failures in their result; a throw is a bug or a dead runtime, kept per asset.
        result = {
          items: [],
          errors: [{ symbols: assets.map((a) => a.symbol), error: errorMessage(err), retryable: true }],
          requests: 0,
          quotaExhausted: false,
        };
      }
      outcome.counts.requests! += result.requests;
      if (result.quotaExhausted) outcome.counts.quota_exhausted!++;
      for (const item of result.items) {
        if (Date.parse(item.publishedAt) > horizon) outcome.counts.future_skipped!++;
        else items.push(item);
      }
      for (const e of result.errors) {
        for (const symbol of e.symbols) {
          const asset = bySymbol.get(symbol.toUpperCase());
          if (!asset) continue;
          failed.set(asset.id, [...(failed.get(asset.id) ?? []), `${provider.id}: ${e.error}`]);
        }
      }
    }
    const stored = await storeNews(ctx.sql, assetType, items);
    Object.assign(outcome.counts, stored);
    outcome.assetErrors = [...failed].map(([assetId, errors]) => ({ assetId, error: errors.join('; ') }));
    return outcome;
  },
};
