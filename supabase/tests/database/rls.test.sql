-- Row-level security and grants, per role, on every table in public
-- (supabase/migrations/20261122000800_row_level_security.sql).
-- Each statement runs as anon, an authenticated reader, an authenticated admin and service_role, with
-- the JWT claims PostgREST would set, inside a savepoint that is always rolled back, so every
-- attempt starts from the same fixture rows.
begin;
set local search_path = public, extensions;

-- The matrix: one row per table in public. A new table fails the first test until it is added here
-- with a decision: readable by anon/authenticated, writable by admins.
create temp table rls_matrix (
  tbl text primary key,
  readable boolean not null,
  admin_writes boolean not null,
  ins text not null,
  upd text not null,
  del text not null
);
insert into rls_matrix values
  ('learning_experiences', true, false,
   $$insert into public.learning_experiences (event_key, trade_key, kind, source, setup, symbol, asset_type, side, at, price)
     values ('rls-new', 'rls-new', 'entry', 'live', 's', 'RLSX', 'equity', 'long', '2026-01-02', 1)$$,
   $$update public.learning_experiences set setup = 'x' where event_key = 'rls'$$,
   $$delete from public.learning_experiences where event_key = 'rls'$$),
  ('learning_rules', true, false,
   $$insert into public.learning_rules (setup, conditions, conditions_key, support, successes, evidence_at)
     values ('rls-new', '[]', 'k', 0, 0, '2026-01-02')$$,
   $$update public.learning_rules set status = 'active' where setup = 'rls'$$,
   $$delete from public.learning_rules where setup = 'rls'$$),
  ('learning_ghost_trades', true, false,
   $$insert into public.learning_ghost_trades (shadow, trade_key, setup, symbol, asset_type, side, entry_at,
       entry_price, exit_at, exit_price, pnl, exit_reason, live_pnl)
     values ('wider', 'rls', 's', 'RLSX', 'equity', 'long', '2026-01-02', 1, '2026-01-05', 1, 0, 'time', 0)$$,
   $$update public.learning_ghost_trades set pnl = 1 where trade_key = 'rls'$$,
   $$delete from public.learning_ghost_trades where trade_key = 'rls'$$),
  ('news_articles', true, false,
   $$insert into public.news_articles (url_key, url, title, published_at, source) values ('rls-new', 'u', 't', '2026-01-02', 'test')$$,
   $$update public.news_articles set title = 'x' where url_key = 'rls'$$,
   $$delete from public.news_articles where url_key = 'rls'$$),
  ('news_article_sources', true, false,
   $$insert into public.news_article_sources (source, provider_id, article_id, url, url_key, title, published_at)
     select 'test', 'rls-new', id, 'u', 'k', 't', '2026-01-02' from public.news_articles where url_key = 'rls'$$,
   $$update public.news_article_sources set title = 'x' where provider_id = 'rls'$$,
   $$delete from public.news_article_sources where provider_id = 'rls'$$),
  ('news_mentions', true, false,
   $$insert into public.news_mentions (article_id, asset_id, symbol)
     select n.id, a.id, 'RLSZ' from public.news_articles n, public.assets a where n.url_key = 'rls' and a.symbol = 'RLSZ'$$,
   $$update public.news_mentions set match_score = 1 where symbol = 'RLSX'$$,
   $$delete from public.news_mentions where symbol = 'RLSX'$$),
  ('news_sentiment', true, false,
   $$insert into public.news_sentiment (article_id, asset_id, scorer_version, scorer_kind, status, reason, content_hash, session_date)
     select n.id, a.id, 'rls-new', 'llm', 'invalid', 'r', 'h', '2026-01-02' from public.news_articles n, public.assets a
     where n.url_key = 'rls' and a.symbol = 'RLSX'$$,
   $$update public.news_sentiment set reason = 'x' where scorer_version = 'rls'$$,
   $$delete from public.news_sentiment where scorer_version = 'rls'$$),
  ('daily_sentiment', true, false,
   $$insert into public.daily_sentiment (asset_id, date, scorer_version, news_count)
     select id, '2026-01-05', 'rls', 0 from public.assets where symbol = 'RLSX'$$,
   $$update public.daily_sentiment set decayed = 0 where scorer_version = 'rls'$$,
   $$delete from public.daily_sentiment where scorer_version = 'rls'$$),
  ('sentiment_shortlists', true, false,
   $$insert into public.sentiment_shortlists (list_id, as_of_date, asset_id, scorer_version, base_rank, rank, article_count)
     select 'rls-new', '2026-01-02', id, 'rls', 1, 1, 0 from public.assets where symbol = 'RLSX'$$,
   $$update public.sentiment_shortlists set rank = 2 where list_id = 'rls'$$,
   $$delete from public.sentiment_shortlists where list_id = 'rls'$$),
  ('portfolios', true, false,
   $$insert into public.portfolios (id, name, kind, rule, universe, starting_cash, start_date, cash)
     values ('rls_new', 'n', 'rebalance', '{}', 'rls_u', 1, '2026-01-02', 1)$$,
   $$update public.portfolios set name = 'x' where id = 'rls_pf'$$,
   $$delete from public.portfolios where id = 'rls_pf2'$$),
  ('portfolio_orders', true, false,
   $$insert into public.portfolio_orders (portfolio_id, client_order_id, date, symbol, asset_type, side, qty, type, status, rule)
     values ('rls_pf', 'rls-new', '2026-01-02', 'RLSX', 'equity', 'buy', 1, 'market', 'accepted', 'r')$$,
   $$update public.portfolio_orders set status = 'x' where client_order_id = 'rls'$$,
   $$delete from public.portfolio_orders where client_order_id = 'rls'$$),
  ('portfolio_fills', true, false,
   $$insert into public.portfolio_fills (portfolio_id, seq, date, symbol, asset_type, side, qty, price, fee, rule, bar_low, bar_high)
     values ('rls_pf', 1, '2026-01-02', 'RLSX', 'equity', 'buy', 1, 1, 0, 'r', 1, 1)$$,
   $$update public.portfolio_fills set fee = 1 where portfolio_id = 'rls_pf' and seq = 0$$,
   $$delete from public.portfolio_fills where portfolio_id = 'rls_pf' and seq = 0$$),
  ('portfolio_positions', true, false,
   $$insert into public.portfolio_positions (portfolio_id, symbol, asset_type, qty, avg_price, mark)
     values ('rls_pf', 'RLSZ', 'equity', 1, 1, 1)$$,
   $$update public.portfolio_positions set qty = 2 where symbol = 'RLSX'$$,
   $$delete from public.portfolio_positions where symbol = 'RLSX'$$),
  ('portfolio_equity', true, false,
   $$insert into public.portfolio_equity (portfolio_id, date, cash, positions_value, equity)
     values ('rls_pf', '2026-01-05', 1, 0, 1)$$,
   $$update public.portfolio_equity set cash = 2 where portfolio_id = 'rls_pf' and date = '2026-01-02'$$,
   $$delete from public.portfolio_equity where portfolio_id = 'rls_pf' and date = '2026-01-02'$$),
  ('portfolio_decisions', true, false,
   $$insert into public.portfolio_decisions (portfolio_id, date, symbol, action, rule, reason)
     values ('rls_pf', '2026-01-02', 'RLSZ', 'HOLD', 'r', 'r')$$,
   $$update public.portfolio_decisions set reason = 'x' where rule = 'rls'$$,
   $$delete from public.portfolio_decisions where rule = 'rls'$$),
  ('portfolio_locks', true, false,
   $$insert into public.portfolio_locks (portfolio_id, rule, from_date, until_date, reason)
     values ('rls_pf', 'rls2', '2026-01-02', '2026-01-03', 'r')$$,
   $$update public.portfolio_locks set reason = 'x' where rule = 'rls'$$,
   $$delete from public.portfolio_locks where rule = 'rls'$$),
  ('portfolio_scores', true, false,
   $$insert into public.portfolio_scores (portfolio_id, date, symbol, score, rank, components)
     values ('rls_pf', '2026-01-02', 'RLSZ', 0.1, 2, '{}')$$,
   $$update public.portfolio_scores set score = 1 where symbol = 'RLSX'$$,
   $$delete from public.portfolio_scores where symbol = 'RLSX'$$),
  ('trading_switch', true, false,
   $$insert into public.trading_switch (id, killed) values (true, false) on conflict (id) do update set reason = 'x'$$,
   $$update public.trading_switch set reason = 'x' where id$$,
   $$delete from public.trading_switch where id$$),
  ('assets', true, false,
   $$insert into public.assets (symbol, asset_type) values ('RLSY', 'equity')$$,
   $$update public.assets set name = 'x' where symbol = 'RLSX'$$,
   $$delete from public.assets where symbol = 'RLSX'$$),
  ('universes', true, false,
   $$insert into public.universes (id, name, asset_type) values ('rls_new', 'n', 'equity')$$,
   $$update public.universes set name = 'x' where id = 'rls_u2'$$,
   $$delete from public.universes where id = 'rls_u2'$$),
  ('daily_bars', true, false,
   $$insert into public.daily_bars (asset_id, date, open, high, low, close, volume, source)
     select id, '2026-01-05', 1, 1, 1, 1, 1, 'test' from public.assets where symbol = 'RLSX'$$,
   $$update public.daily_bars set close = close where source = 'rls'$$,
   $$delete from public.daily_bars where source = 'rls'$$),
  ('daily_features', true, false,
   $$insert into public.daily_features (asset_id, date) select id, '2026-01-05' from public.assets where symbol = 'RLSX'$$,
   $$update public.daily_features set rsi_14 = 50 where date = '2026-01-02'$$,
   $$delete from public.daily_features where date = '2026-01-02'$$),
  ('signal_templates', true, true,
   $$insert into public.signal_templates (id, version, name, description, direction, definition)
     values ('rls_tpl', 2, 'n', 'd', 'bullish', '{}')$$,
   $$update public.signal_templates set enabled = false where id = 'rls_tpl'$$,
   $$delete from public.signal_templates where id = 'rls_tpl_unused'$$),
  ('daily_signal_facts', true, false,
   $$insert into public.daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
     select id, '2026-01-05', 'rls_tpl', 1, 'bullish', 50, '{}' from public.assets where symbol = 'RLSX'$$,
   $$update public.daily_signal_facts set strength = 60 where template = 'rls_tpl'$$,
   $$delete from public.daily_signal_facts where template = 'rls_tpl'$$),
  ('asset_ai_reviews', true, false,
   $$insert into public.asset_ai_reviews (asset_id, as_of_date, model, prompt_version, status, review, input_hash)
     select id, '2026-01-05', 'rules', 'v1', 'valid', '{}', 'h' from public.assets where symbol = 'RLSX'$$,
   $$update public.asset_ai_reviews set summary = 'x' where input_hash = 'rls'$$,
   $$delete from public.asset_ai_reviews where input_hash = 'rls'$$),
  ('pipeline_runs', true, false,
   $$insert into public.pipeline_runs (stage, run_date, universe) values ('features', '2026-01-02', 'rls_u')$$,
   $$update public.pipeline_runs set summary = '{}' where universe = 'rls_u'$$,
   $$delete from public.pipeline_runs where universe = 'rls_u'$$),
  ('pipeline_jobs', true, false,
   $$insert into public.pipeline_jobs (run_id, chunk, payload)
     select id, 1, '{}' from public.pipeline_runs where universe = 'rls_u'$$,
   $$update public.pipeline_jobs set attempts = 1 where payload = '{"rls": true}'$$,
   $$delete from public.pipeline_jobs where payload = '{"rls": true}'$$),
  ('pipeline_asset_errors', true, false,
   $$insert into public.pipeline_asset_errors (run_id, asset_id, error)
     select r.id, a.id, 'e' from public.pipeline_runs r, public.assets a where r.universe = 'rls_u' and a.symbol = 'RLSZ'$$,
   $$update public.pipeline_asset_errors set error = 'x' where error = 'rls'$$,
   $$delete from public.pipeline_asset_errors where error = 'rls'$$),
  ('pipeline_schedules', true, true,
   $$insert into public.pipeline_schedules (id, description, cron, action) values ('rls_new', 'd', '0 2 * * *', 'drain')$$,
   $$update public.pipeline_schedules set cron = '0 3 * * *' where id = 'rls_sched'$$,
   $$delete from public.pipeline_schedules where id = 'rls_sched'$$),
  ('data_quality_ledger', true, false,
   $$insert into public.data_quality_ledger (source, raw, reason) values ('test', '{"rls": "insert"}', 'r')$$,
   $$update public.data_quality_ledger set kind = 'flagged' where reason = 'rls'$$,
   $$delete from public.data_quality_ledger where reason = 'rls'$$),
  ('asset_latest', true, false,
   $$insert into public.asset_latest (asset_id, date, close) select id, '2026-01-05', 1 from public.assets where symbol = 'RLSZ'$$,
   $$update public.asset_latest set close = close where asset_id in (select id from public.assets where symbol = 'RLSX')$$,
   $$delete from public.asset_latest where asset_id in (select id from public.assets where symbol = 'RLSX')$$),
  ('asset_latest_features', true, false,
   $$insert into public.asset_latest_features (asset_id, date) select id, '2026-01-05' from public.assets where symbol = 'RLSZ'$$,
   $$update public.asset_latest_features set rsi_14 = 50 where asset_id in (select id from public.assets where symbol = 'RLSX')$$,
   $$delete from public.asset_latest_features where asset_id in (select id from public.assets where symbol = 'RLSX')$$),
  ('asset_screen', true, false,
   $$with a as (insert into public.assets (symbol, asset_type) values ('RLSW', 'equity') returning id)
     insert into public.asset_screen (asset_id, symbol, asset_type, active) select id, 'RLSW', 'equity', true from a$$,
   $$update public.asset_screen set rsi_14 = 50 where asset_id in (select id from public.assets where symbol = 'RLSX')$$,
   $$delete from public.asset_screen where asset_id in (select id from public.assets where symbol = 'RLSX')$$),
  ('api_data_generation', true, false,
   $$insert into public.api_data_generation (slot) values (0) on conflict (slot) do update set n = excluded.n$$,
   $$update public.api_data_generation set n = n + 1 where slot = 0$$,
   $$delete from public.api_data_generation where slot = 0$$),
  ('review_pending', false, false,
   $$insert into public.review_pending (run_id, asset_id, reason)
     select r.id, a.id, 'budget' from public.pipeline_runs r, public.assets a where r.universe = 'rls_u' and a.symbol = 'RLSZ'$$,
   $$update public.review_pending set reason = 'x' where reason = 'rls'$$,
   $$delete from public.review_pending where reason = 'rls'$$),
  ('feature_run_ranks', false, false,
   $$insert into public.feature_run_ranks (run_id, asset_id, days, rank_ret_20, rank_ret_60)
     select r.id, a.id, '', '', '' from public.pipeline_runs r, public.assets a where r.universe = 'rls_u' and a.symbol = 'RLSZ'$$,
   $$update public.feature_run_ranks set rank_ret_20 = '' where days = '\x01'$$,
   $$delete from public.feature_run_ranks where days = '\x01'$$),
  -- RLSX's row is the fixture the daily_bars fixture's trigger writes.
  ('feature_state', false, false,
   $$insert into public.feature_state (asset_id) select id from public.assets where symbol = 'RLSZ'$$,
   $$update public.feature_state set revision = revision where asset_id = (select id from public.assets where symbol = 'RLSX')$$,
   $$delete from public.feature_state where asset_id = (select id from public.assets where symbol = 'RLSX')$$),
  ('strategies', true, false,
   $$insert into public.strategies (id, version, name, description, spec) values ('rls_new', 1, 'MULTI_MR_NEW00', 'd', '{}')$$,
   $$update public.strategies set description = 'x' where id = 'rls_strategy'$$,
   $$delete from public.strategies where id = 'rls_strategy_unused'$$),
  ('backtests', true, false,
   $$insert into public.backtests (strategy_id, strategy_version, overrides_hash, universe, from_date, to_date, cash, data_fingerprint)
     values ('rls_strategy', 1, '{}', 'rls_u', '2026-01-02', '2026-01-02', 1, 'other')$$,
   $$update public.backtests set error = 'x' where data_fingerprint = 'rls'$$,
   $$delete from public.backtests where data_fingerprint = 'rls'$$),
  ('backtest_trades', true, false,
   $$insert into public.backtest_trades (backtest_id, seq, symbol, asset_type, side, entry_date, exit_date, qty,
       entry_price, exit_price, pnl, return_pct, bars, entry_rule, exit_rule)
     select id, 1, 'RLSX', 'equity', 'long', '2026-01-02', '2026-01-02', 1, 1, 1, 0, 0, 1, 'e', 'x' from public.backtests$$,
   $$update public.backtest_trades set pnl = 1 where symbol = 'RLSX'$$,
   $$delete from public.backtest_trades where symbol = 'RLSX'$$),
  ('backtest_equity', true, false,
   $$insert into public.backtest_equity (backtest_id, date, equity, drawdown) select id, '2026-01-05', 1, 0 from public.backtests$$,
   $$update public.backtest_equity set equity = 2 where date = '2026-01-02'$$,
   $$delete from public.backtest_equity where date = '2026-01-02'$$),
  ('search_datasets', true, false,
   $$insert into public.search_datasets (week, dates, asset_ids, symbols, sample_seed, eligible, screens,
       open, high, low, close, volume)
     values ('2026-01-12', '{2026-01-12}', '{1}', '{RLSX}', 1, 1, '{}', '\x0000000000000000',
       '\x0000000000000000', '\x0000000000000000', '\x0000000000000000', '\x0000000000000000')$$,
   $$update public.search_datasets set eligible = 2 where week = '2026-01-05'$$,
   $$delete from public.search_datasets where week = '2026-01-05'$$),
  ('search_runs', true, false,
   $$insert into public.search_runs (week, seed, cycles_requested) values ('2026-01-05', 1, 1)$$,
   $$update public.search_runs set trials = 1 where seed = 7$$,
   $$delete from public.search_runs where seed = 7$$),
  ('search_trials', true, false,
   $$insert into public.search_trials (run_id, seq, cycle, algorithm, variation, params, daily_returns, buys,
       mean_return, std_return, positive_share, total_buys, score)
     select id, 2, 1, 'rsi', 'rls-new', '{}', '{0}', '{0}', 0, 0, 0, 0, 0 from public.search_runs where seed = 7$$,
   $$update public.search_trials set score = 1 where variation = 'rls'$$,
   $$delete from public.search_trials where variation = 'rls'$$),
  ('search_pruned', true, false,
   $$insert into public.search_pruned (run_id, variation, algorithm, rank, prune_score, confidence, worst_day,
       min_day_buys) select id, 'rls2', 'rsi', 2, 0, 0.5, 0, 5 from public.search_runs where seed = 7$$,
   $$update public.search_pruned set prune_score = 1 where variation = 'rls'$$,
   $$delete from public.search_pruned where variation = 'rls'$$),
  ('search_groups', true, false,
   $$insert into public.search_groups (run_id, week, group_key, rank, variations, algorithms, daily_returns, picks,
       mean_return, std_return, worst_day, positive_days, total_picks, score, loo_worst, trials)
     select id, week, 'rls-new', 2, '{rls,rls2}', '{rsi,adx}', '{0}', '{3}', 0, 0, 0, 0, 3, 0, 0, 1
     from public.search_runs where seed = 7$$,
   $$update public.search_groups set score = 1 where group_key = 'rls'$$,
   $$delete from public.search_groups where group_key = 'rls'$$),
  ('search_group_parts', true, false,
   $$insert into public.search_group_parts (run_id, part, groups, evaluations, complete)
     select id, 1, '[]', 0, true from public.search_runs where seed = 7$$,
   $$update public.search_group_parts set evaluations = 1 where part = 0$$,
   $$delete from public.search_group_parts where part = 0$$),
  ('search_weekday_runs', true, false,
   $$insert into public.search_weekday_runs (as_of_date, status, universe, candidates, shortlist_size, top_n,
       trade_spec, reason) values ('2026-01-06', 'no_group', 0, 0, 20, 4, '{}', 'r')$$,
   $$update public.search_weekday_runs set reason = 'x' where as_of_date = '2026-01-05'$$,
   $$delete from public.search_weekday_runs where as_of_date = '2026-01-05'$$),
  ('search_weekday_candidates', true, false,
   $$insert into public.search_weekday_candidates (as_of_date, asset_id, symbol, ret_5, sanity_rank, reason)
     select '2026-01-05', id, 'RLSZ', 0, 2, 'r' from public.assets where symbol = 'RLSZ'$$,
   $$update public.search_weekday_candidates set reason = 'x' where symbol = 'RLSX'$$,
   $$delete from public.search_weekday_candidates where symbol = 'RLSX'$$),
  ('lifecycle_config', true, false,
   $$insert into public.lifecycle_config (id, seed) values (true, 2) on conflict (id) do update set seed = 2$$,
   $$update public.lifecycle_config set seed = 3 where id$$,
   $$delete from public.lifecycle_config where id$$),
  ('strategy_lifecycle', true, false,
   $$insert into public.strategy_lifecycle (strategy_id, strategy_version, phase, origin, universe)
     values ('rls_strategy_unused', 1, 'backtest', 'admin', 'rls_u')$$,
   $$update public.strategy_lifecycle set paused = true where strategy_id = 'rls_strategy'$$,
   $$delete from public.strategy_lifecycle where strategy_id = 'rls_strategy'$$),
  ('strategy_transitions', true, false,
   $$insert into public.strategy_transitions (strategy_id, action, to_phase, actor, reason)
     values ('rls_strategy', 'pause', 'backtest', 'admin', 'rls-new')$$,
   $$update public.strategy_transitions set metrics = '{"x": 1}' where reason = 'rls'$$,
   $$delete from public.strategy_transitions where reason = 'rls'$$),
  ('lifecycle_cycles', true, false,
   $$insert into public.lifecycle_cycles (hour, as_of, universe) values ('2026-01-02 01:00+00', '2026-01-02', 'rls_u')$$,
   $$update public.lifecycle_cycles set proposed = 1 where hour = '2026-01-02 00:00+00'$$,
   $$delete from public.lifecycle_cycles where hour = '2026-01-02 00:00+00'$$);

create temp table rls_roles (who text primary key, role text not null, claims text not null);
insert into rls_roles values
  ('anon', 'anon', '{"role": "anon"}'),
  ('reader', 'authenticated',
   '{"role": "authenticated", "sub": "00000000-0000-0000-0000-000000000001", "app_metadata": {}}'),
  ('admin', 'authenticated',
   '{"role": "authenticated", "sub": "00000000-0000-0000-0000-000000000002", "app_metadata": {"role": "admin"}}'),
  ('service_role', 'service_role', '{"role": "service_role"}');

-- Fixture rows: exactly one row per table matches each statement's predicate.
insert into public.assets (symbol, asset_type) values ('RLSX', 'equity'), ('RLSZ', 'equity');
insert into public.news_articles (url_key, url, title, published_at, source) values ('rls', 'u', 't', '2026-01-02', 'test');
insert into public.news_article_sources (source, provider_id, article_id, url, url_key, title, published_at)
  select 'test', 'rls', id, 'u', 'rls', 't', '2026-01-02' from public.news_articles where url_key = 'rls';
insert into public.news_mentions (article_id, asset_id, symbol)
  select n.id, a.id, 'RLSX' from public.news_articles n, public.assets a where n.url_key = 'rls' and a.symbol = 'RLSX';
insert into public.news_sentiment (article_id, asset_id, scorer_version, scorer_kind, status, score, relevance, impact,
    content_hash, session_date)
  select n.id, a.id, 'rls', 'lexicon', 'valid', 0.5, 1, 0.5, 'h', '2026-01-02' from public.news_articles n, public.assets a
  where n.url_key = 'rls' and a.symbol = 'RLSX';
insert into public.daily_sentiment (asset_id, date, scorer_version, news_count, mean, weighted_mean, dispersion, decayed)
  select id, '2026-01-02', 'rls', 1, 0.5, 0.5, 0, 0.5 from public.assets where symbol = 'RLSX';
insert into public.sentiment_shortlists (list_id, as_of_date, asset_id, scorer_version, base_rank, rank, article_count)
  select 'rls', '2026-01-02', id, 'rls', 1, 1, 1 from public.assets where symbol = 'RLSX';
-- rls_u holds the fixture run; rls_u2 is referenced by nothing, so it can be deleted.
insert into public.universes (id, name, asset_type) values ('rls_u', 'RLS', 'equity'), ('rls_u2', 'RLS 2', 'equity');
insert into public.daily_bars (asset_id, date, open, high, low, close, volume, source)
  select id, '2026-01-02', 1, 1, 1, 1, 1, 'rls' from public.assets where symbol = 'RLSX';
insert into public.daily_features (asset_id, date) select id, '2026-01-02' from public.assets where symbol = 'RLSX';
insert into public.signal_templates (id, version, name, description, direction, definition) values
  ('rls_tpl', 1, 'RLS', 'd', 'bullish', '{}'),
  ('rls_tpl_unused', 1, 'RLS unused', 'd', 'bullish', '{}');
insert into public.daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
  select id, '2026-01-02', 'rls_tpl', 1, 'bullish', 50, '{}' from public.assets where symbol = 'RLSX';
insert into public.asset_ai_reviews (asset_id, as_of_date, model, prompt_version, status, review, input_hash)
  select id, '2026-01-02', 'rules', 'v1', 'valid', '{}', 'rls' from public.assets where symbol = 'RLSX';
insert into public.pipeline_runs (stage, run_date, universe) values ('ingest', '2026-01-02', 'rls_u');
insert into public.pipeline_jobs (run_id, chunk, payload)
  select id, 0, '{"rls": true}' from public.pipeline_runs where universe = 'rls_u';
insert into public.pipeline_asset_errors (run_id, asset_id, error)
  select r.id, a.id, 'rls' from public.pipeline_runs r, public.assets a where r.universe = 'rls_u' and a.symbol = 'RLSX';
insert into public.pipeline_schedules (id, description, cron, action) values ('rls_sched', 'd', '0 1 * * *', 'drain');
insert into public.data_quality_ledger (source, raw, reason) values ('test', '{}', 'rls');
insert into public.review_pending (run_id, asset_id, reason)
  select r.id, a.id, 'rls' from public.pipeline_runs r, public.assets a where r.universe = 'rls_u' and a.symbol = 'RLSX';
insert into public.feature_run_ranks (run_id, asset_id, days, rank_ret_20, rank_ret_60)
  select r.id, a.id, '\x01', '', '' from public.pipeline_runs r, public.assets a where r.universe = 'rls_u' and a.symbol = 'RLSX';
insert into public.strategies (id, version, name, description, spec) values
  ('rls_strategy', 1, 'MULTI_MR_RLS00', 'd', '{}'), ('rls_strategy_unused', 1, 'MULTI_MR_RLS01', 'd', '{}');
-- The backtest's trade and equity rows go with it when a statement deletes it.
insert into public.backtests (strategy_id, strategy_version, overrides_hash, universe, from_date, to_date, cash, data_fingerprint)
  values ('rls_strategy', 1, '{}', 'rls_u', '2026-01-02', '2026-01-02', 1, 'rls');
insert into public.backtest_trades (backtest_id, seq, symbol, asset_type, side, entry_date, exit_date, qty,
    entry_price, exit_price, pnl, return_pct, bars, entry_rule, exit_rule)
  select id, 0, 'RLSX', 'equity', 'long', '2026-01-02', '2026-01-02', 1, 1, 1, 0, 0, 1, 'e', 'x' from public.backtests;
insert into public.backtest_equity (backtest_id, date, equity, drawdown) select id, '2026-01-02', 1, 0 from public.backtests;
insert into public.portfolios (id, name, kind, rule, universe, starting_cash, start_date, cash) values
  ('rls_pf', 'RLS', 'rebalance', '{}', 'rls_u', 1, '2026-01-02', 1),
  ('rls_pf2', 'RLS 2', 'rebalance', '{}', 'rls_u', 1, '2026-01-02', 1);
insert into public.portfolio_orders (portfolio_id, client_order_id, date, symbol, asset_type, side, qty, type, status, rule)
  values ('rls_pf', 'rls', '2026-01-02', 'RLSX', 'equity', 'buy', 1, 'market', 'accepted', 'r');
insert into public.portfolio_fills (portfolio_id, seq, date, symbol, asset_type, side, qty, price, fee, rule, bar_low, bar_high)
  values ('rls_pf', 0, '2026-01-02', 'RLSX', 'equity', 'buy', 1, 1, 0, 'r', 1, 1);
insert into public.portfolio_positions (portfolio_id, symbol, asset_type, qty, avg_price, mark)
  values ('rls_pf', 'RLSX', 'equity', 1, 1, 1);
insert into public.portfolio_equity (portfolio_id, date, cash, positions_value, equity) values ('rls_pf', '2026-01-02', 1, 0, 1);
insert into public.portfolio_decisions (portfolio_id, date, symbol, action, rule, reason)
  values ('rls_pf', '2026-01-02', 'RLSX', 'HOLD', 'rls', 'r');
insert into public.portfolio_locks (portfolio_id, rule, from_date, until_date, reason)
  values ('rls_pf', 'rls', '2026-01-02', '2026-01-03', 'r');
insert into public.portfolio_scores (portfolio_id, date, symbol, score, rank, components)
  values ('rls_pf', '2026-01-02', 'RLSX', 0.5, 1, '{"momentum": 0.5}');
insert into public.search_datasets (week, dates, asset_ids, symbols, sample_seed, eligible, screens,
    open, high, low, close, volume)
  values ('2026-01-05', '{2026-01-05}', '{1}', '{RLSX}', 1, 1, '{}', '\x0000000000000000',
    '\x0000000000000000', '\x0000000000000000', '\x0000000000000000', '\x0000000000000000');
insert into public.search_runs (week, seed, cycles_requested) values ('2026-01-05', 7, 1);
insert into public.search_trials (run_id, seq, cycle, algorithm, variation, params, daily_returns, buys,
    mean_return, std_return, positive_share, total_buys, score)
  select id, 1, 1, 'rsi', 'rls', '{}', '{0}', '{0}', 0, 0, 0, 0, 0 from public.search_runs where seed = 7;
insert into public.search_trials (run_id, seq, cycle, algorithm, variation, params, daily_returns, buys,
    mean_return, std_return, positive_share, total_buys, score)
  select id, 3, 1, 'rsi', 'rls2', '{}', '{0}', '{0}', 0, 0, 0, 0, 0 from public.search_runs where seed = 7;
insert into public.search_pruned (run_id, variation, algorithm, rank, prune_score, confidence, worst_day, min_day_buys)
  select id, 'rls', 'rsi', 1, 0, 0.5, 0, 5 from public.search_runs where seed = 7;
insert into public.search_groups (run_id, week, group_key, rank, variations, algorithms, daily_returns, picks,
    mean_return, std_return, worst_day, positive_days, total_picks, score, loo_worst, trials)
  select id, week, 'rls', 1, '{rls,rls2}', '{rsi,adx}', '{0}', '{3}', 0, 0, 0, 0, 3, 0, 0, 1
  from public.search_runs where seed = 7;
insert into public.search_group_parts (run_id, part, groups, evaluations, complete)
  select id, 0, '[]', 0, true from public.search_runs where seed = 7;
insert into public.search_weekday_runs (as_of_date, status, universe, candidates, shortlist_size, top_n,
    trade_spec, reason)
  values ('2026-01-05', 'picked', 1, 1, 20, 4, '{}', 'rls');
insert into public.search_weekday_candidates (as_of_date, asset_id, symbol, ret_5, sanity_rank, reason)
  select '2026-01-05', id, 'RLSX', 0, 1, 'rls' from public.assets where symbol = 'RLSX';
insert into public.strategy_lifecycle (strategy_id, strategy_version, phase, origin, universe)
  values ('rls_strategy', 1, 'backtest', 'admin', 'rls_u');
insert into public.strategy_transitions (strategy_id, action, to_phase, actor, reason)
  values ('rls_strategy', 'enrol', 'backtest', 'admin', 'rls');
insert into public.lifecycle_cycles (hour, as_of, universe) values ('2026-01-02 00:00+00', '2026-01-02', 'rls_u');
insert into public.learning_experiences (event_key, trade_key, kind, source, setup, symbol, asset_type, side, at, price)
  values ('rls', 'rls', 'entry', 'live', 'rls', 'RLSX', 'equity', 'long', '2026-01-02', 1);
insert into public.learning_rules (setup, conditions, conditions_key, support, successes, evidence_at)
  values ('rls', '[]', 'k', 0, 0, '2026-01-02');
insert into public.learning_ghost_trades (shadow, trade_key, setup, symbol, asset_type, side, entry_at, entry_price,
    exit_at, exit_price, pnl, exit_reason, live_pnl)
  values ('tighter', 'rls', 'rls', 'RLSX', 'equity', 'long', '2026-01-02', 1, '2026-01-05', 1, 0, 'time', 0);

-- Runs `stmt` as `who` and reports 'ok <rows>' or the SQLSTATE it failed with; always rolled back.
create function pg_temp.attempt(who text, stmt text) returns text
language plpgsql as $$
declare
  r rls_roles;
  n bigint;
begin
  select * into r from rls_roles where rls_roles.who = attempt.who;
  begin
    perform set_config('request.jwt.claims', r.claims, true);
    perform set_config('role', r.role, true);
    execute stmt;
    get diagnostics n = row_count;
    raise exception using errcode = 'ZZ001', message = n::text;
  exception
    when sqlstate 'ZZ001' then
      return 'ok ' || sqlerrm;
    when others then
      return sqlstate;
  end;
end
$$;

-- Rows of a table, counted as its owner (RLS does not apply).
create function pg_temp.total(tbl text) returns text
language plpgsql as $$
declare
  n bigint;
begin
  execute format('select count(*) from public.%I', tbl) into n;
  return n::text;
end
$$;

select plan((select count(*)::integer * 16 from rls_matrix) + 13);

-- Coverage: RLS on everything, and every table has a decision in the matrix.
select is_empty(
  $$select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity$$,
  'every table in public has row-level security enabled'
);
select set_eq(
  $$select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')$$,
  $$select tbl from rls_matrix$$,
  'every table in public is in the RLS test matrix'
);

-- The matrix: SELECT, INSERT, UPDATE, DELETE per role and table. Denials are 42501 (no privilege, or
-- a row RLS rejects); an authenticated non-admin updating or deleting an admin table is filtered to
-- zero rows by RLS.
select is(
  pg_temp.attempt(r.who, format('select * from public.%I', m.tbl)),
  case when m.readable or r.who = 'service_role' then 'ok ' || pg_temp.total(m.tbl) else '42501' end,
  format('%s %s select', r.who, m.tbl)
)
from rls_matrix m cross join rls_roles r order by m.tbl, r.who;

select is(
  pg_temp.attempt(r.who, m.ins),
  case when r.who = 'service_role' or (r.who = 'admin' and m.admin_writes) then 'ok 1' else '42501' end,
  format('%s %s insert', r.who, m.tbl)
)
from rls_matrix m cross join rls_roles r order by m.tbl, r.who;

select is(
  pg_temp.attempt(r.who, m.upd),
  case
    when r.who = 'service_role' or (r.who = 'admin' and m.admin_writes) then 'ok 1'
    when r.who = 'reader' and m.admin_writes then 'ok 0'
    else '42501'
  end,
  format('%s %s update', r.who, m.tbl)
)
from rls_matrix m cross join rls_roles r order by m.tbl, r.who;

select is(
  pg_temp.attempt(r.who, m.del),
  case
    when r.who = 'service_role' or (r.who = 'admin' and m.admin_writes) then 'ok 1'
    when r.who = 'reader' and m.admin_writes then 'ok 0'
    else '42501'
  end,
  format('%s %s delete', r.who, m.tbl)
)
from rls_matrix m cross join rls_roles r order by m.tbl, r.who;

-- TRUNCATE skips RLS entirely, so it must not be granted at all.
select is_empty(
  $$select c.relname || ' ' || r.rolname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      cross join (values ('anon'), ('authenticated')) r (rolname)
    where n.nspname = 'public' and c.relkind in ('r', 'p')
      and (has_table_privilege(r.rolname, c.oid, 'TRUNCATE')
        or has_table_privilege(r.rolname, c.oid, 'REFERENCES')
        or has_table_privilege(r.rolname, c.oid, 'TRIGGER'))$$,
  'anon and authenticated have no TRUNCATE, REFERENCES or TRIGGER on any table'
);
select is_empty(
  $$select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
      and (has_table_privilege('anon', c.oid, 'INSERT') or has_table_privilege('anon', c.oid, 'UPDATE')
        or has_table_privilege('anon', c.oid, 'DELETE'))$$,
  'no table in public is writable by anon'
);

-- The admin claim is read from app_metadata (set by the server), never from user_metadata (set by
-- the user); the claim must say exactly 'admin'.
select is(
  pg_temp.attempt('reader', $$select 1$$), 'ok 1', 'a reader can run a plain query (sanity check of the helper)'
);
update rls_roles set claims = '{"role": "authenticated", "user_metadata": {"role": "admin"}}' where who = 'reader';
select is(
  pg_temp.attempt('reader', $$update public.pipeline_schedules set cron = '0 3 * * *' where id = 'rls_sched'$$),
  'ok 0',
  'user_metadata.role = admin does not make an admin'
);
select is(
  pg_temp.attempt('reader', $$insert into public.signal_templates (id, version, name, description, direction, definition)
    values ('rls_tpl', 3, 'n', 'd', 'bullish', '{}')$$),
  '42501',
  'user_metadata.role = admin cannot insert templates'
);
update rls_roles set claims = '{"role": "authenticated", "app_metadata": {"role": "Admin "}}' where who = 'reader';
select is(
  pg_temp.attempt('reader', $$delete from public.pipeline_schedules where id = 'rls_sched'$$),
  'ok 0',
  'only the exact claim app_metadata.role = admin makes an admin'
);
update rls_roles set claims = '{}' where who = 'reader';
select is(
  pg_temp.attempt('reader', $$update public.signal_templates set enabled = false where id = 'rls_tpl'$$),
  'ok 0',
  'authenticated without claims cannot update templates'
);

select is(
  pg_temp.attempt('admin', $$update public.pipeline_schedules set enabled = false where id = 'rls_sched' returning id$$),
  'ok 1',
  'an admin can disable a schedule'
);

-- Internal functions (schema stratos) are reachable by nobody but their owner.
select ok(
  not has_schema_privilege('anon', 'stratos', 'USAGE')
    and not has_schema_privilege('authenticated', 'stratos', 'USAGE')
    and not has_schema_privilege('service_role', 'stratos', 'USAGE'),
  'the API roles cannot use schema stratos'
);
select is_empty(
  $$select p.proname from pg_proc p
    where p.pronamespace = 'stratos'::regnamespace
      and (has_function_privilege('anon', p.oid, 'EXECUTE')
        or has_function_privilege('authenticated', p.oid, 'EXECUTE')
        or has_function_privilege('service_role', p.oid, 'EXECUTE'))$$,
  'no stratos function is executable by the API roles'
);
-- Every function in public is callable through the Data API's /rpc; a security-definer one would run
-- with its owner's rights for anyone. Trigger functions cannot be called that way.
select is_empty(
  $$select p.proname from pg_proc p
    where p.pronamespace = 'public'::regnamespace and p.prosecdef and p.prorettype <> 'trigger'::regtype$$,
  'no callable security-definer function in public'
);

select * from finish();
rollback;
