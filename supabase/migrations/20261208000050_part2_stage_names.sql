-- Part 2's stages run through the same queue: news ingest and sentiment scoring (daily, before
-- features so that day t's signals see day t's sentiment), the portfolio's trade stage (after
-- review), and the strategy search and lifecycle. Widened once here so each stage's own migration
-- only adds its tables.
alter table public.pipeline_runs drop constraint pipeline_runs_stage_check;
alter table public.pipeline_runs add constraint pipeline_runs_stage_check
  check (stage in (
    'ingest', 'news', 'sentiment', 'features', 'signals', 'review', 'trade',
    'backtest', 'search', 'lifecycle'
  ));
