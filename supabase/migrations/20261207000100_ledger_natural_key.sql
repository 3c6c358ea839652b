-- The data-quality ledger converges: re-importing a file, re-fetching the repair window or resuming
-- a killed job adds nothing it already holds. A finding is identified by what was observed, not by
-- when: its kind, the source that delivered it, the market, symbol and date, and the raw payload (a
-- revised bar has another payload, so it is a new finding; the same bar fetched again is not). The
-- reason is the explanation and is left out of the key: its wording can depend on the day it was
-- written (a future date names today) or on the history around the bar (a jump's standard deviations).
alter table public.data_quality_ledger
  add column payload_hash text generated always as (md5(raw::text)) stored;

-- Rows recorded twice before this migration: the first one recorded stays.
delete from public.data_quality_ledger
where id in (
  select id from (
    select id, row_number() over (
      partition by kind, source, asset_type, symbol, date, payload_hash order by recorded_at, id
    ) as copy
    from public.data_quality_ledger
  ) numbered
  where copy > 1
);

create unique index data_quality_ledger_finding_key
  on public.data_quality_ledger (kind, source, asset_type, symbol, date, payload_hash) nulls not distinct;
