-- Awa schema version 3: what the dashboard's maintenance page shows beyond the last run.
-- Written by the leader's refresh_admin_metadata branch; nothing on the job path reads or
-- writes these, so they cost one small upsert per branch per refresh (default every 60 s).

-- Each branch's interval and its duration and lateness percentiles over its recent runs
-- (the last 128 the leader process has seen), in milliseconds.
ALTER TABLE awa.maintenance_branches
    ADD COLUMN interval_ms      double precision,
    ADD COLUMN recent_runs      integer NOT NULL DEFAULT 0,
    ADD COLUMN duration_p50_ms  double precision,
    ADD COLUMN duration_p99_ms  double precision,
    ADD COLUMN lateness_p50_ms  double precision,
    ADD COLUMN lateness_p99_ms  double precision;

-- One row per leadership term: who led, since when, and when it was last seen leading. The
-- leader keeps the newest 100 rows.
CREATE TABLE awa.leader_history (
    instance_id  text        NOT NULL,
    hostname     text        NOT NULL,
    leader_since timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instance_id, leader_since)
);
CREATE INDEX leader_history_since_idx ON awa.leader_history (leader_since DESC);
