-- Portfolio decisions keyed by their rule too (issue #15): a rebalance day records several book-wide
-- decisions under the symbol '*' (the setup's conviction, the exposure cap, a weighting fallback), each
-- a HOLD with its own rule and reason; keyed without the rule they overwrote each other.
alter table public.portfolio_decisions drop constraint portfolio_decisions_pkey;
alter table public.portfolio_decisions add primary key (portfolio_id, date, symbol, action, rule);
