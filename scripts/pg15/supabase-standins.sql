-- Test-only stand-ins for what every Supabase project has and Debian's PostgreSQL 15 lacks, so the
-- production migrations run unchanged on the PG15 test server. Never part of supabase/migrations.
--
-- pg_net: net.http_post with pg_net's signature; instead of sending the request it records it in
-- net.http_post_calls (with the calling transaction, so a test can find its own calls while pg_cron
-- jobs record theirs concurrently).
create schema if not exists net;

create table if not exists net.http_post_calls (
  id bigint generated always as identity primary key,
  url text not null,
  body jsonb,
  params jsonb,
  headers jsonb,
  timeout_milliseconds integer,
  xact bigint not null default txid_current(),
  called_at timestamptz not null default clock_timestamp()
);

create or replace function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint
language sql volatile as $$
  insert into net.http_post_calls (url, body, params, headers, timeout_milliseconds)
  values (url, body, params, headers, timeout_milliseconds)
  returning id
$$;

-- Supabase Vault: vault.create_secret and the vault.decrypted_secrets view, same names and columns
-- (stored in clear here; a test server holds only test keys).
create schema if not exists vault;

create table if not exists vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text unique,
  description text not null default '',
  secret text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create or replace view vault.decrypted_secrets as
  select id, name, description, secret, secret as decrypted_secret, created_at, updated_at
  from vault.secrets;

create or replace function vault.create_secret(
  new_secret text,
  new_name text default null,
  new_description text default ''
) returns uuid
language sql volatile as $$
  insert into vault.secrets (secret, name, description)
  values (new_secret, new_name, new_description)
  returning id
$$;

-- As on Supabase: the API roles may use the extensions schema (pgTAP lives there in the tests), but
-- neither the network nor the secrets.
grant usage on schema extensions to anon, authenticated, service_role;
revoke all on schema net, vault from public;
