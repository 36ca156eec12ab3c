-- Awa schema version 2: unique jobs are scoped (see docs/unique-jobs.md, adr/0011).
-- Version 1 kept one namespace of unique keys across every kind and queue. From version 2 a job
-- holds a claim: the SHA-256 (hex) of its scope tuple (kind by default; optionally queue, key,
-- args hash, period bucket), computed by the client (dev.awa.core.UniqueClaim) and stored in the
-- new column unique_claim. A row with a unique_key and no unique_claim (written by version 1, by
-- a process still on the previous release, or by hand) has the default scope, kind + key:
-- awa.default_unique_claim(kind, unique_key).

ALTER TABLE awa.jobs ADD COLUMN unique_claim text;
ALTER TABLE awa.scheduled_jobs ADD COLUMN unique_claim text;

-- Must stay byte-for-byte the same tuple as UniqueClaim.byKindAndKey: every value as the hex of
-- its UTF-8 bytes, so no key can be confused with another whatever it contains.
CREATE FUNCTION awa.default_unique_claim(kind text, unique_key text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
    SELECT encode(sha256(convert_to(
        'awa-unique-v2|kind=' || encode(convert_to(kind, 'UTF8'), 'hex')
        || '|key=' || encode(convert_to(unique_key, 'UTF8'), 'hex'), 'UTF8')), 'hex')
$$;

-- Existing claims are re-keyed to the default scope. Version 1 allowed one holder per key across
-- all kinds, so there is at most one holder per (kind, key) and the re-keying cannot collide. One
-- statement: the old rows are gone before the new keys are checked. A version-1 claim whose job
-- is gone (impossible through Awa, possible by hand) is dropped: it held nothing.
ALTER TABLE awa.job_unique_claims RENAME COLUMN unique_key TO claim;
WITH old AS (DELETE FROM awa.job_unique_claims RETURNING job_id, claimed_at)
INSERT INTO awa.job_unique_claims (claim, job_id, claimed_at)
SELECT awa.default_unique_claim(j.kind, j.unique_key), old.job_id, old.claimed_at
  FROM old
  JOIN (SELECT id, kind, unique_key FROM awa.jobs WHERE unique_key IS NOT NULL
        UNION ALL
        SELECT id, kind, unique_key FROM awa.scheduled_jobs WHERE unique_key IS NOT NULL) j
    ON j.id = old.job_id;

-- The heal trigger below finds a moved row's claim by job id.
CREATE INDEX job_unique_claims_job_id_idx ON awa.job_unique_claims (job_id);

-- A unique row inserted without a claim gets one: the claim its job already holds (a move
-- between the two tables by code that does not copy unique_claim, such as a maintenance leader
-- still on the previous release), else the default scope. Rows the client writes always carry
-- their claim, so the WHEN clause keeps this off the normal path.
CREATE FUNCTION awa.fill_unique_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT c.claim INTO NEW.unique_claim FROM awa.job_unique_claims c WHERE c.job_id = NEW.id;
    IF NEW.unique_claim IS NULL THEN
        NEW.unique_claim := awa.default_unique_claim(NEW.kind, NEW.unique_key);
    END IF;
    RETURN NEW;
END
$$;

-- (The triggers of both tables are created together at the end.)

-- As in version 1, with the claim instead of the key, and a refusal that names the holder. The
-- holder is read after ON CONFLICT DO UPDATE has locked the contested claim row (it locks even
-- when its WHERE is false), so the row cannot disappear before it is read.
CREATE OR REPLACE FUNCTION awa.sync_unique_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_claim text;
    new_claim text;
    old_holds boolean := false;
    new_holds boolean := false;
    holder bigint;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_claim := coalesce(OLD.unique_claim, awa.default_unique_claim(OLD.kind, OLD.unique_key));
        old_holds := OLD.state = ANY (OLD.unique_states);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        new_claim := coalesce(NEW.unique_claim, awa.default_unique_claim(NEW.kind, NEW.unique_key));
        new_holds := NEW.state = ANY (NEW.unique_states);
    END IF;
    IF TG_OP = 'UPDATE' AND old_holds AND new_holds AND old_claim = new_claim THEN
        RETURN NULL; -- e.g. available -> running: the claim is already held
    END IF;
    IF old_holds AND NOT (TG_OP = 'UPDATE' AND new_holds) THEN
        -- AFTER triggers run when the whole statement is done, so a move between the two
        -- tables (delete + insert in one statement) still finds the job and keeps its claim.
        DELETE FROM awa.job_unique_claims c
         WHERE c.claim = old_claim AND c.job_id = OLD.id
           AND NOT EXISTS (SELECT 1 FROM awa.jobs j
                            WHERE j.id = OLD.id AND j.state = ANY (j.unique_states))
           AND NOT EXISTS (SELECT 1 FROM awa.scheduled_jobs s
                            WHERE s.id = OLD.id AND s.state = ANY (s.unique_states));
    END IF;
    IF new_holds THEN
        INSERT INTO awa.job_unique_claims AS c (claim, job_id)
        VALUES (new_claim, NEW.id)
        ON CONFLICT (claim) DO UPDATE SET job_id = EXCLUDED.job_id
            WHERE c.job_id = EXCLUDED.job_id
        RETURNING c.job_id INTO holder;
        IF holder IS NULL THEN
            SELECT c.job_id INTO holder FROM awa.job_unique_claims c WHERE c.claim = new_claim;
            RAISE EXCEPTION 'awa: unique key of job % (kind %) is held by job %',
                    NEW.id, NEW.kind, holder
                USING ERRCODE = 'unique_violation', CONSTRAINT = 'job_unique_claims_pkey',
                      DETAIL = 'awa_unique_conflict ' || json_build_object(
                          'holder', holder, 'job', NEW.id, 'kind', NEW.kind,
                          'key', NEW.unique_key, 'claim', new_claim)::text;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- The same triggers on both tables; version 1's are replaced (their WHEN clauses named the key).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['jobs', 'scheduled_jobs'] LOOP
        EXECUTE format('DROP TRIGGER %1$s_unique_insert ON awa.%1$s', t);
        EXECUTE format('DROP TRIGGER %1$s_unique_update ON awa.%1$s', t);
        EXECUTE format('DROP TRIGGER %1$s_unique_delete ON awa.%1$s', t);
        EXECUTE format('CREATE TRIGGER %1$s_unique_fill BEFORE INSERT ON awa.%1$s FOR EACH ROW'
            ' WHEN (NEW.unique_claim IS NULL AND NEW.unique_states IS NOT NULL)'
            ' EXECUTE FUNCTION awa.fill_unique_claim()', t);
        EXECUTE format('CREATE TRIGGER %1$s_unique_insert AFTER INSERT ON awa.%1$s FOR EACH ROW'
            ' WHEN (NEW.unique_claim IS NOT NULL OR NEW.unique_key IS NOT NULL)'
            ' EXECUTE FUNCTION awa.sync_unique_claim()', t);
        EXECUTE format('CREATE TRIGGER %1$s_unique_update AFTER UPDATE OF state ON awa.%1$s'
            ' FOR EACH ROW WHEN ((OLD.unique_claim IS NOT NULL OR OLD.unique_key IS NOT NULL)'
            ' AND OLD.state IS DISTINCT FROM NEW.state)'
            ' EXECUTE FUNCTION awa.sync_unique_claim()', t);
        EXECUTE format('CREATE TRIGGER %1$s_unique_delete AFTER DELETE ON awa.%1$s FOR EACH ROW'
            ' WHEN (OLD.unique_claim IS NOT NULL OR OLD.unique_key IS NOT NULL)'
            ' EXECUTE FUNCTION awa.sync_unique_claim()', t);
    END LOOP;
END
$$;
