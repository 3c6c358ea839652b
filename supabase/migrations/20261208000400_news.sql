-- News articles as one deduplicated stream (issue #14, shared/news/).
--
-- news_articles: one row per story, whichever providers carried it. Its natural key is the
-- canonical URL of the first copy seen (`url_key`, shared/news/url.ts); later copies (URL variants,
-- syndicated copies with edited titles) join it through news_article_sources, so a rerun finds the
-- same article by (source, provider_id) or by URL and converges to the same rows.
-- news_article_sources: every provider's copy, keyed by (source, provider_id) (Marketaux uuid,
-- Tiingo id, the FNSPID/demo URL key), with its own URL and title.
-- news_mentions: article × asset, with the provider-given entity sentiment in [-1, 1] and match
-- score when the provider sends them (Marketaux entities; FNSPID's GPT 1-5 score as (s - 3) / 2).
create table public.news_articles (
  id bigint generated always as identity primary key,
  url_key text not null unique,
  url text not null,
  title text not null,
  -- The provider's description or snippet; the article text when the source carries it (FNSPID).
  summary text,
  body text,
  published_at timestamptz not null,
  -- Dated by day only (no time of day): published_at is 00:00 UTC of that day, and the article
  -- counts for the next session at the earliest.
  date_only boolean not null default false,
  -- The source that created the row (the first copy seen).
  source text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index news_articles_published_idx on public.news_articles (published_at desc, id desc);

create table public.news_article_sources (
  source text not null,
  provider_id text not null,
  article_id bigint not null references public.news_articles (id) on delete cascade,
  url text not null,
  url_key text not null,
  title text not null,
  published_at timestamptz not null,
  -- The publisher the provider names (Marketaux `source`, Tiingo `source`), when given.
  publisher text,
  fetched_at timestamptz not null default now(),
  primary key (source, provider_id)
);
create index news_article_sources_article_idx on public.news_article_sources (article_id);
create index news_article_sources_url_idx on public.news_article_sources (url_key);

create table public.news_mentions (
  article_id bigint not null references public.news_articles (id) on delete cascade,
  asset_id bigint not null references public.assets (id) on delete cascade,
  -- The ticker as a provider spelled it first (case differences fold to one mention).
  symbol text not null,
  provider_sentiment double precision check (provider_sentiment between -1 and 1),
  match_score double precision check (match_score >= 0),
  -- Providers that named this asset for this article.
  sources text[] not null default '{}',
  primary key (article_id, asset_id)
);
create index news_mentions_asset_idx on public.news_mentions (asset_id, article_id desc);

-- Row-level security as in 20261207000700: readers read, only the service role (and the owner the
-- functions connect as) writes.
alter table public.news_articles enable row level security;
alter table public.news_article_sources enable row level security;
alter table public.news_mentions enable row level security;
revoke all on public.news_articles, public.news_article_sources, public.news_mentions from anon, authenticated;
grant select on public.news_articles, public.news_article_sources, public.news_mentions to anon, authenticated;
grant all on public.news_articles, public.news_article_sources, public.news_mentions to service_role;
grant all on sequence public.news_articles_id_seq to service_role;
create policy "readers read news articles" on public.news_articles for select to anon, authenticated using (true);
create policy "readers read news article sources" on public.news_article_sources
  for select to anon, authenticated using (true);
create policy "readers read news mentions" on public.news_mentions for select to anon, authenticated using (true);
