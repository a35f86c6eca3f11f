-- 0002_clicks.sql
-- Click events, range-partitioned by calendar month (UTC) on "timestamp", plus
-- the partition-maintenance functions ensure_click_partitions() and
-- drop_click_partitions_before().
--
-- Applied by the migration runner inside a single transaction (no BEGIN/COMMIT
-- here).

-- ---------------------------------------------------------------------------
-- clicks (partitioned parent)
-- ---------------------------------------------------------------------------

-- No CHECK constraints on the descriptive columns (country, device, ...): the
-- click insert is the hot path of every redirect and a rejected click is lost
-- data, so normalisation (e.g. upper-case ISO 3166 alpha-2 country) is the
-- app's job.
CREATE TABLE clicks (
    -- The app sends UUIDv7 (time-ordered, good index locality); the default
    -- only exists so plain SQL inserts work.
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    link_id       uuid        NOT NULL
                              CONSTRAINT clicks_link_id_fkey
                              REFERENCES links (id) ON DELETE CASCADE,
    "timestamp"   timestamptz NOT NULL DEFAULT now(),
    ip_address    inet        NULL,
    user_agent    text        NULL,
    country       text        NULL,   -- ISO 3166-1 alpha-2, e.g. 'DE'
    city          text        NULL,
    is_bot        boolean     NOT NULL DEFAULT false,
    bot_reason    text        NULL,
    referrer      text        NULL,
    device        text        NULL,
    browser       text        NULL,
    os            text        NULL,
    visitor_hash  bigint      NULL,
    -- A primary key on a partitioned table must contain the partition key, so
    -- it is (id, "timestamp") and not (id). Uniqueness of id alone is not
    -- enforced across partitions; UUIDv7 makes collisions a non-issue.
    -- Replays must use ON CONFLICT (id, "timestamp") DO NOTHING.
    CONSTRAINT clicks_pkey PRIMARY KEY (id, "timestamp")
) PARTITION BY RANGE ("timestamp");

-- Partitioned indexes: created on every existing and future partition.
-- (link_id, "timestamp") serves per-link stats over a time range and the
-- ON DELETE CASCADE from links; ("timestamp") serves global time-range scans.
CREATE INDEX clicks_link_id_timestamp_idx ON clicks (link_id, "timestamp");
CREATE INDEX clicks_timestamp_idx         ON clicks ("timestamp");

-- Catch-all so an insert never fails for lack of a monthly partition (e.g.
-- the maintenance job did not run, or a client clock is far off). It should
-- stay (nearly) empty: ensure_click_partitions() moves rows out of it, and
-- every partition creation has to scan it while holding an ACCESS EXCLUSIVE
-- lock on it.
CREATE TABLE clicks_default PARTITION OF clicks DEFAULT;

-- ---------------------------------------------------------------------------
-- ensure_click_partitions
-- ---------------------------------------------------------------------------

-- Creates the monthly partitions clicks_pYYYYMM for from_month, from_month+1,
-- ..., from_month+months_ahead (months_ahead + 1 months in total) that do not
-- exist yet, and returns how many it created. Idempotent: existing partitions
-- are skipped, so re-running returns 0.
--
-- Month boundaries are UTC midnights ([YYYY-MM-01 00:00+00, next month)),
-- independent of the session TimeZone (the function pins TimeZone to UTC).
--
-- Why not simply CREATE TABLE ... PARTITION OF clicks FOR VALUES ...:
--   * It fails if clicks_default already holds rows for that month ("updated
--     partition constraint for default partition would be violated").
--   * It takes an ACCESS EXCLUSIVE lock on clicks, blocking every reader of
--     clicks; the path below blocks writers, and only those readers that
--     have to scan clicks_default.
-- So each partition is created as a standalone table, the month's rows are
-- moved out of the default partition into it, and then it is ATTACHed (which
-- clones the indexes and the FK and re-checks that the default partition no
-- longer holds rows of that range).
--
-- Locking, taken only when a partition actually has to be created and held
-- until the caller's transaction ends (so call this in a short transaction):
--   * SHARE ROW EXCLUSIVE on clicks: pauses concurrent click INSERTs (plain
--     reads of clicks are not blocked by it) and serialises concurrent
--     callers. Without it, an
--     insert for the month being attached can be routed to the default
--     partition while we hold it and then fail with "new row for relation
--     clicks_default violates partition constraint" once we commit (seen in
--     testing). Paused inserts resume after commit and route to the new
--     partition.
--   * ACCESS EXCLUSIVE on the default partition: ATTACH needs it anyway;
--     taking it before the move avoids a lock upgrade. Queries whose scan is
--     not pruned away from clicks_default wait for it.
-- Same order as inserters (parent, then partition), so no deadlock. Existence
-- is re-checked after locking, so concurrent callers do not both create the
-- same partition (the second one returns 0).
CREATE FUNCTION ensure_click_partitions(
    months_ahead integer DEFAULT 3,
    -- UTC month; the spec's date_trunc('month', now())::date would depend on
    -- the caller's TimeZone.
    from_month   date    DEFAULT date_trunc('month', now() AT TIME ZONE 'UTC')::date
) RETURNS integer
LANGUAGE plpgsql
-- Pin settings for this function only (restored on exit) so bound literals
-- and date arithmetic are unambiguous.
SET "TimeZone" TO 'UTC'
SET "DateStyle" TO 'ISO, YMD'
AS $$
DECLARE
    v_parent      regclass := 'clicks'::regclass;  -- resolved via search_path
    v_schema      name;
    v_default     oid;
    v_first       date;
    v_month       date;
    v_lo          timestamptz;
    v_hi          timestamptz;
    v_name        text;
    v_rel         oid;
    v_is_child    boolean;
    v_locked      boolean := false;
    v_created     integer := 0;
BEGIN
    IF months_ahead IS NULL OR months_ahead < 0 THEN
        RAISE EXCEPTION 'ensure_click_partitions: months_ahead must be >= 0, got %', months_ahead;
    END IF;
    IF from_month IS NULL THEN
        RAISE EXCEPTION 'ensure_click_partitions: from_month must not be NULL';
    END IF;

    SELECT n.nspname INTO v_schema
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = v_parent;

    SELECT NULLIF(pt.partdefid, 0) INTO v_default
    FROM pg_partitioned_table pt WHERE pt.partrelid = v_parent;

    v_first := date_trunc('month', from_month)::date;

    FOR i IN 0 .. months_ahead LOOP
        v_month := (v_first + make_interval(months => i))::date;
        v_lo    := v_month::timestamp AT TIME ZONE 'UTC';
        v_hi    := (v_month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        v_name  := 'clicks_p' || to_char(v_month, 'YYYYMM');

        -- Cheap check first so the common "already there" case takes no lock.
        IF EXISTS (SELECT 1 FROM pg_inherits
                   WHERE inhparent = v_parent
                     AND inhrelid = to_regclass(format('%I.%I', v_schema, v_name))) THEN
            CONTINUE;
        END IF;

        IF NOT v_locked THEN
            EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', v_parent);
            IF v_default IS NOT NULL THEN
                EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_default::regclass);
            END IF;
            v_locked := true;
        END IF;

        -- Re-check under the lock (a concurrent caller may have just created it).
        v_rel := to_regclass(format('%I.%I', v_schema, v_name));
        IF v_rel IS NOT NULL THEN
            SELECT EXISTS (SELECT 1 FROM pg_inherits
                           WHERE inhrelid = v_rel AND inhparent = v_parent)
              INTO v_is_child;
            IF NOT v_is_child THEN
                RAISE EXCEPTION 'ensure_click_partitions: relation %.% exists but is not a partition of %',
                    v_schema, v_name, v_parent;
            END IF;
            CONTINUE;
        END IF;

        -- INCLUDING CONSTRAINTS: ATTACH requires the parent's CHECK constraints
        -- (none today, but future ones must not break this function). Indexes
        -- and the FK are not copied here; ATTACH creates them.
        EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                       v_schema, v_name, v_parent);

        IF v_default IS NOT NULL THEN
            EXECUTE format(
                'WITH moved AS (DELETE FROM %s WHERE "timestamp" >= $1 AND "timestamp" < $2 RETURNING *) '
                'INSERT INTO %I.%I SELECT * FROM moved',
                v_default::regclass, v_schema, v_name)
            USING v_lo, v_hi;
        END IF;

        EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                       v_parent, v_schema, v_name, v_lo, v_hi);

        v_created := v_created + 1;
    END LOOP;

    RETURN v_created;
END;
$$;

COMMENT ON FUNCTION ensure_click_partitions(integer, date) IS
    'Creates missing monthly partitions clicks_pYYYYMM (UTC months) for from_month .. from_month + months_ahead, '
    'moving matching rows out of clicks_default first. Returns the number of partitions created. Idempotent.';

-- ---------------------------------------------------------------------------
-- drop_click_partitions_before
-- ---------------------------------------------------------------------------

-- Retention: drops every range partition of clicks whose upper bound is
-- <= cutoff (00:00 UTC), i.e. partitions lying entirely before cutoff. A
-- partition that straddles cutoff is kept. The default partition is never
-- dropped, and rows sitting in it are not touched (see docs/schema.md).
-- Works from the partition bounds, not the names, so hand-made partitions are
-- handled too. Returns the number of partitions dropped.
-- DROP TABLE of a partition takes ACCESS EXCLUSIVE on clicks for the rest of
-- the transaction; run it from a short, dedicated transaction.
CREATE FUNCTION drop_click_partitions_before(cutoff date) RETURNS integer
LANGUAGE plpgsql
-- pg_get_expr() renders the bounds using these settings; pin them so the
-- text parses back unambiguously.
SET "TimeZone" TO 'UTC'
SET "DateStyle" TO 'ISO, YMD'
AS $$
DECLARE
    v_parent   regclass := 'clicks'::regclass;
    v_cutoff   timestamptz;
    v_dropped  integer := 0;
    r          record;
BEGIN
    IF cutoff IS NULL THEN
        RAISE EXCEPTION 'drop_click_partitions_before: cutoff must not be NULL';
    END IF;
    v_cutoff := cutoff::timestamp AT TIME ZONE 'UTC';

    FOR r IN
        SELECT b.relid, b.upper_bound
        FROM (
            SELECT c.oid::regclass AS relid,
                   (regexp_match(pg_get_expr(c.relpartbound, c.oid),
                                 '^FOR VALUES FROM \(''[^'']*''\) TO \(''([^'']*)''\)$'))[1]::timestamptz
                       AS upper_bound
            FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_partitioned_table pt ON pt.partrelid = i.inhparent
            WHERE i.inhparent = v_parent
              AND c.oid <> pt.partdefid           -- never the default partition
        ) b
        WHERE b.upper_bound IS NOT NULL            -- skips MINVALUE/MAXVALUE bounds
          AND b.upper_bound <= v_cutoff
        ORDER BY b.upper_bound
    LOOP
        EXECUTE format('DROP TABLE %s', r.relid);
        v_dropped := v_dropped + 1;
    END LOOP;

    RETURN v_dropped;
END;
$$;

COMMENT ON FUNCTION drop_click_partitions_before(date) IS
    'Drops monthly click partitions lying entirely before cutoff (UTC). Never drops clicks_default. '
    'Returns the number of partitions dropped.';

-- ---------------------------------------------------------------------------
-- Initial partitions: previous month (late/replayed clicks) through 3 months
-- ahead, i.e. 5 partitions. Afterwards the app's scheduled job must call
-- ensure_click_partitions() regularly (e.g. daily) so the default partition
-- stays empty.
-- ---------------------------------------------------------------------------
SELECT ensure_click_partitions(
    4,
    (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '1 month')::date
);
