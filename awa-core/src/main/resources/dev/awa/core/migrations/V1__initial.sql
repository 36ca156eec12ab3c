-- Awa schema version 1.
-- Hot rows (runnable, running, finished) live in awa.jobs; rows waiting for time live in
-- awa.scheduled_jobs, so the claim index only ever covers work that can run now.

CREATE SCHEMA IF NOT EXISTS awa;

CREATE TABLE awa.schema_version (
    version     integer     PRIMARY KEY,
    description text        NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- One sequence for both job tables: a job keeps its id when it moves between them.
CREATE SEQUENCE awa.job_id_seq;

CREATE TABLE awa.jobs (
    id                  bigint      PRIMARY KEY DEFAULT nextval('awa.job_id_seq'),
    kind                text        NOT NULL,
    queue               text        NOT NULL,
    args                jsonb       NOT NULL DEFAULT '{}',
    state               text        NOT NULL
        CHECK (state IN ('available', 'running', 'waiting_external', 'completed', 'failed', 'cancelled')),
    priority            smallint    NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 4),
    attempt             integer     NOT NULL DEFAULT 0,
    max_attempts        integer     NOT NULL DEFAULT 25 CHECK (max_attempts BETWEEN 1 AND 1000),
    run_at              timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    attempted_at        timestamptz,
    heartbeat_at        timestamptz,
    deadline_at         timestamptz,
    finalized_at        timestamptz,
    errors              jsonb       NOT NULL DEFAULT '[]',
    metadata            jsonb       NOT NULL DEFAULT '{}',
    tags                text[]      NOT NULL DEFAULT '{}',
    unique_key          text,
    unique_states       text[],
    -- Incremented by every claim; every worker write matches (id, run_lease, state) so a late
    -- write from a rescued or cancelled attempt changes nothing.
    run_lease           bigint      NOT NULL DEFAULT 0,
    callback_id         uuid,
    callback_timeout_at timestamptz,
    attempted_by        text,
    -- Set by priority aging the first time it raises a job's priority, so aging is bounded.
    original_priority   smallint
);

CREATE TABLE awa.scheduled_jobs (LIKE awa.jobs INCLUDING DEFAULTS);
ALTER TABLE awa.scheduled_jobs ADD PRIMARY KEY (id);
ALTER TABLE awa.scheduled_jobs ADD CHECK (state IN ('scheduled', 'retryable'));
ALTER TABLE awa.scheduled_jobs ADD CHECK (priority BETWEEN 1 AND 4);
ALTER TABLE awa.scheduled_jobs ADD CHECK (max_attempts BETWEEN 1 AND 1000);

-- The claim: WHERE state = 'available' AND queue = ? ORDER BY priority, run_at, id.
-- Partial, so finished rows never bloat it.
CREATE INDEX jobs_dequeue_idx ON awa.jobs (queue, priority, run_at, id) WHERE state = 'available';
-- rescue_stale_heartbeats and rescue_expired_deadlines scan running rows by time.
CREATE INDEX jobs_heartbeat_idx ON awa.jobs (heartbeat_at) WHERE state = 'running';
CREATE INDEX jobs_deadline_idx ON awa.jobs (deadline_at) WHERE state = 'running';
-- rescue_expired_callbacks scans parked rows by their timeout.
CREATE INDEX jobs_callback_timeout_idx ON awa.jobs (callback_timeout_at) WHERE state = 'waiting_external';
-- Callback resolution looks rows up by callback id.
CREATE INDEX jobs_callback_id_idx ON awa.jobs (callback_id) WHERE callback_id IS NOT NULL;
CREATE INDEX scheduled_jobs_callback_id_idx ON awa.scheduled_jobs (callback_id) WHERE callback_id IS NOT NULL;
-- cleanup deletes finished rows oldest first per state, in batches by index order.
CREATE INDEX jobs_finalized_idx ON awa.jobs (state, finalized_at, id)
    WHERE state IN ('completed', 'failed', 'cancelled');
-- promote_scheduled takes due rows oldest first.
CREATE INDEX scheduled_jobs_due_idx ON awa.scheduled_jobs (run_at, id)
    WHERE state IN ('scheduled', 'retryable');

-- A unique key is held by at most one job while that job is in one of its unique_states.
-- The job may be in either table, hence a claims table instead of a partial unique index.
CREATE TABLE awa.job_unique_claims (
    unique_key text        PRIMARY KEY,
    job_id     bigint      NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION awa.sync_unique_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    holder bigint;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state = ANY (OLD.unique_states)
       AND NOT (TG_OP = 'UPDATE' AND NEW.state = ANY (NEW.unique_states)) THEN
        -- AFTER triggers run when the whole statement is done, so a move between the two
        -- tables (delete + insert in one statement) still finds the job and keeps its claim.
        DELETE FROM awa.job_unique_claims c
         WHERE c.unique_key = OLD.unique_key AND c.job_id = OLD.id
           AND NOT EXISTS (SELECT 1 FROM awa.jobs j
                            WHERE j.id = OLD.id AND j.state = ANY (j.unique_states))
           AND NOT EXISTS (SELECT 1 FROM awa.scheduled_jobs s
                            WHERE s.id = OLD.id AND s.state = ANY (s.unique_states));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state = ANY (NEW.unique_states) THEN
        INSERT INTO awa.job_unique_claims AS c (unique_key, job_id)
        VALUES (NEW.unique_key, NEW.id)
        ON CONFLICT (unique_key) DO UPDATE SET job_id = EXCLUDED.job_id
            WHERE c.job_id = EXCLUDED.job_id
        RETURNING c.job_id INTO holder;
        IF holder IS NULL THEN
            RAISE EXCEPTION 'awa: unique key % is held by another job', NEW.unique_key
                USING ERRCODE = 'unique_violation', CONSTRAINT = 'job_unique_claims_pkey';
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_unique_insert AFTER INSERT ON awa.jobs
    FOR EACH ROW WHEN (NEW.unique_key IS NOT NULL) EXECUTE FUNCTION awa.sync_unique_claim();
CREATE TRIGGER jobs_unique_update AFTER UPDATE OF state ON awa.jobs
    FOR EACH ROW WHEN (OLD.unique_key IS NOT NULL AND OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION awa.sync_unique_claim();
CREATE TRIGGER jobs_unique_delete AFTER DELETE ON awa.jobs
    FOR EACH ROW WHEN (OLD.unique_key IS NOT NULL) EXECUTE FUNCTION awa.sync_unique_claim();
CREATE TRIGGER scheduled_jobs_unique_insert AFTER INSERT ON awa.scheduled_jobs
    FOR EACH ROW WHEN (NEW.unique_key IS NOT NULL) EXECUTE FUNCTION awa.sync_unique_claim();
CREATE TRIGGER scheduled_jobs_unique_update AFTER UPDATE OF state ON awa.scheduled_jobs
    FOR EACH ROW WHEN (OLD.unique_key IS NOT NULL AND OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION awa.sync_unique_claim();
CREATE TRIGGER scheduled_jobs_unique_delete AFTER DELETE ON awa.scheduled_jobs
    FOR EACH ROW WHEN (OLD.unique_key IS NOT NULL) EXECUTE FUNCTION awa.sync_unique_claim();

-- Idle workers LISTEN on awa_job_available; the payload is the queue name. One notification
-- per queue per statement (and PostgreSQL folds duplicates within a transaction). Paths that
-- make a row available by UPDATE (hand-back, admin retry) notify explicitly.
CREATE FUNCTION awa.notify_available() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('awa_job_available', q.queue)
       FROM (SELECT DISTINCT queue FROM inserted WHERE state = 'available') q;
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_notify_available AFTER INSERT ON awa.jobs
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION awa.notify_available();

CREATE TABLE awa.queue_meta (
    queue      text        PRIMARY KEY,
    paused     boolean     NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE awa.runtime_instances (
    instance_id  text        PRIMARY KEY,
    hostname     text        NOT NULL,
    pid          bigint      NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    is_leader    boolean     NOT NULL DEFAULT false,
    leader_since timestamptz,
    queues       jsonb       NOT NULL DEFAULT '{}',
    info         jsonb       NOT NULL DEFAULT '{}'
);

CREATE TABLE awa.cron_jobs (
    name               text        PRIMARY KEY,
    expression         text        NOT NULL,
    time_zone          text        NOT NULL DEFAULT 'UTC',
    kind               text        NOT NULL,
    queue              text        NOT NULL,
    args               jsonb       NOT NULL DEFAULT '{}',
    priority           smallint    NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 4),
    max_attempts       integer     NOT NULL DEFAULT 25 CHECK (max_attempts BETWEEN 1 AND 1000),
    tags               text[]      NOT NULL DEFAULT '{}',
    metadata           jsonb       NOT NULL DEFAULT '{}',
    missed_fire_policy text        NOT NULL DEFAULT 'coalesce'
        CHECK (missed_fire_policy IN ('coalesce', 'catch_up')),
    catch_up_limit     integer     NOT NULL DEFAULT 10,
    paused             boolean     NOT NULL DEFAULT false,
    last_fire_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- What the leader last observed per maintenance branch, for `awa status` and operators.
CREATE TABLE awa.maintenance_branches (
    branch            text        PRIMARY KEY,
    loop_name         text        NOT NULL,
    leader_instance   text,
    last_started_at   timestamptz,
    last_success_at   timestamptz,
    last_duration_ms  double precision,
    overrun_state     text        NOT NULL DEFAULT 'on_time',
    overrun_episodes  bigint      NOT NULL DEFAULT 0,
    last_error        text,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- maintenance additions
-- priority_aging takes the longest-waiting available rows across all queues, oldest first, and
-- queue_stats reads the oldest due available row per queue. The dequeue index leads with queue
-- and priority, so neither can walk it by run_at; this small partial index (available rows only)
-- serves both.
CREATE INDEX jobs_available_run_at_idx ON awa.jobs (run_at) WHERE state = 'available';
