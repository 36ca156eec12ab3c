-- Awa schema version 4: one index over running rows instead of two (adr/0012).
-- Version 1 indexed running rows twice, by heartbeat_at for rescue_stale_heartbeats and by
-- deadline_at for rescue_expired_deadlines. Every claim (available -> running) is a non-HOT update
-- (state is in the predicate of the partial indexes), so it inserted an entry into both, and
-- every heartbeat, which changes only heartbeat_at, was non-HOT too because heartbeat_at was an
-- index key. Running rows are few (bounded by the runtimes' slots and claim-ahead), so one partial
-- index serves both rescues: the deadline rescue walks it by deadline_at, the heartbeat rescue
-- reads its running rows and sorts the stale ones. A claim now maintains one index fewer, and a
-- heartbeat touches no indexed column, so it is a HOT update whenever its page has room.

--
-- The build scans the whole table under a SHARE lock (writes wait) inside the migration's
-- transaction. On a large table an operator can build the index first, outside a transaction:
--   CREATE INDEX CONCURRENTLY jobs_running_idx ON awa.jobs (deadline_at) WHERE state = 'running';
-- and the migration then only drops the two old ones (IF NOT EXISTS / IF EXISTS).

CREATE INDEX IF NOT EXISTS jobs_running_idx ON awa.jobs (deadline_at) WHERE state = 'running';
DROP INDEX IF EXISTS awa.jobs_heartbeat_idx;
DROP INDEX IF EXISTS awa.jobs_deadline_idx;
