-- News sentiment (issue #14, shared/news/score/, shared/news/sentiment/, shared/stages/sentiment/).
--
-- news_sentiment: one score per article × asset × scorer version (`lexicon-v1`, or
-- `news-llm-v1:<model>`). `valid` rows carry score in [-1, 1], relevance and impact in [0, 1];
-- `invalid` rows carry no numbers but the reason (a failed or ungrounded LLM answer is never a 0).
-- content_hash (SHA-256 of scorer version, title, text, tickers) makes a rerun over unchanged news
-- skip the call: the news is never paid for twice. cost_usd is this row's share of its call.
create table public.news_sentiment (
  article_id bigint not null references public.news_articles (id) on delete cascade,
  asset_id bigint not null references public.assets (id) on delete cascade,
  scorer_version text not null,
  scorer_kind text not null check (scorer_kind in ('lexicon', 'llm')),
  status text not null check (status in ('valid', 'invalid')),
  score double precision check (score between -1 and 1),
  relevance double precision check (relevance between 0 and 1),
  impact double precision check (impact between 0 and 1),
  reason text,
  cost_usd numeric not null default 0 check (cost_usd >= 0),
  content_hash text not null,
  -- The trading day whose close first sees the article (after 16:00 New York or dated by day only:
  -- the next session), per the asset's market; what the daily aggregates group by.
  session_date date not null,
  run_id bigint,
  scored_at timestamptz not null default now(),
  primary key (article_id, asset_id, scorer_version),
  check ((status = 'valid') = (score is not null and relevance is not null and impact is not null)),
  check (status = 'valid' or reason is not null)
);
create index news_sentiment_asset_session_idx on public.news_sentiment (asset_id, scorer_version, session_date);

-- daily_sentiment: per asset and trading day, from the valid scores of the sessions up to that
-- day's close (no look-ahead): the day's count, mean, relevance-weighted mean and dispersion (null
-- without news), and `decayed`, the last news day's mean decayed toward 0 over calendar days without
-- news as e^(-0.05 d) (FNSPID's rule; null before any news or once 120 days without news passed).
-- One series per scorer version, so a run with another scorer (an LLM whose budget ran out, a new
-- prompt) never erases the other's; readers take the version written last.
create table public.daily_sentiment (
  asset_id bigint not null references public.assets (id) on delete cascade,
  date date not null,
  scorer_version text not null,
  news_count integer not null check (news_count >= 0),
  mean double precision check (mean between -1 and 1),
  weighted_mean double precision check (weighted_mean between -1 and 1),
  dispersion double precision check (dispersion >= 0),
  decayed double precision check (decayed between -1 and 1),
  last_news_date date,
  updated_at timestamptz not null default now(),
  primary key (asset_id, date, scorer_version),
  check ((news_count = 0) = (mean is null))
);
create index daily_sentiment_date_idx on public.daily_sentiment (date, asset_id);

-- sentiment_shortlists: a shortlist's news re-ranking (the "qual" layer). One row per list, date
-- and asset: its place before (base_rank) and after (rank), the news score that moved it, the
-- articles read and the reasons (headlines with their scores).
create table public.sentiment_shortlists (
  list_id text not null check (list_id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  as_of_date date not null,
  asset_id bigint not null references public.assets (id) on delete cascade,
  scorer_version text not null,
  base_rank integer not null check (base_rank >= 1),
  rank integer not null check (rank >= 1),
  news_score double precision check (news_score between -1 and 1),
  article_count integer not null check (article_count >= 0),
  reasons jsonb not null default '[]',
  created_at timestamptz not null default now(),
  primary key (list_id, as_of_date, asset_id)
);

-- Row-level security as in 20261207000700: readers read, only the service role (and the owner the
-- functions connect as) writes.
alter table public.news_sentiment enable row level security;
alter table public.daily_sentiment enable row level security;
alter table public.sentiment_shortlists enable row level security;
revoke all on public.news_sentiment, public.daily_sentiment, public.sentiment_shortlists from anon, authenticated;
grant select on public.news_sentiment, public.daily_sentiment, public.sentiment_shortlists to anon, authenticated;
grant all on public.news_sentiment, public.daily_sentiment, public.sentiment_shortlists to service_role;
create policy "readers read news sentiment" on public.news_sentiment for select to anon, authenticated using (true);
create policy "readers read daily sentiment" on public.daily_sentiment for select to anon, authenticated using (true);
create policy "readers read sentiment shortlists" on public.sentiment_shortlists
  for select to anon, authenticated using (true);
