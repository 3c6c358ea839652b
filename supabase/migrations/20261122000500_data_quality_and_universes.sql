-- Data-quality ledger: every rejected or flagged input row, with provider, raw payload and reason.
-- It replaces rejected_bars (same rows, now one kind among several).
alter table public.rejected_bars rename to data_quality_ledger;
alter table public.data_quality_ledger rename column rejected_at to recorded_at;
alter table public.data_quality_ledger
  add column kind text not null default 'rejected'
    check (kind in ('rejected', 'flagged', 'reconciliation', 'gap')),
  add column asset_id bigint references public.assets (id) on delete cascade;
alter index public.rejected_bars_rejected_at_idx rename to data_quality_ledger_recorded_at_idx;
create index data_quality_ledger_asset_idx on public.data_quality_ledger (asset_id, date) where asset_id is not null;

-- Rule-based universes: the top N assets of a type by a catalogue feature on their latest date.
alter table public.universes
  add column rank_by text check (rank_by in ('dollar_vol_20')),
  add column top_n integer check (top_n > 0),
  add constraint universes_rule_complete check ((rank_by is null) = (top_n is null)),
  add constraint universes_rule_or_list check (rank_by is null or symbols is null);

insert into public.universes (id, name, description, asset_type, rank_by, top_n) values
  ('equity_top500', 'Top 500 equities', 'The 500 most traded US equities by 20-day dollar volume', 'equity', 'dollar_vol_20', 500)
on conflict (id) do nothing;
