-- Reference rows every installation starts with: the two "all" universes and the default schedules.

insert into public.universes (id, name, description, asset_type, symbols) values
  ('crypto_all', 'All crypto', 'Every active crypto asset', 'crypto', null),
  ('equity_all', 'All equities', 'Every active US equity', 'equity', null)
on conflict (id) do nothing;

insert into public.pipeline_schedules (id, description, cron, action, universes) values
  ('daily_equity', 'Daily equity pipeline after the US close (22:30 UTC, Mon-Fri)', '30 22 * * 1-5', 'pipeline', '{equity_all}'),
  ('daily_crypto', 'Daily crypto pipeline for the UTC day just closed', '15 0 * * *', 'pipeline', '{crypto_all}'),
  ('queue_drain', 'Drain the job queue', '* * * * *', 'drain', '{}')
on conflict (id) do nothing;
