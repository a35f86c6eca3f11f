-- 0011_light_raw_clicks.sql
-- Lighter raw click rows (issue 16): no foreign key to links and no (link_id, "timestamp")
-- btree on clicks.
--
-- Why. Every COPYed click paid for two things that no query needs per row:
--   * the foreign-key check, which runs a query per row and share-locks the link's row
--     (with many writers and rollups on the same links that lock becomes a multixact, and
--     each lock is written to the WAL);
--   * an entry in the (link_id, "timestamp") btree, inserted at a random place among
--     100,000 links (about 4.7 µs of Postgres CPU per row in issue 16's measurement).
-- Metrics read the rollups, not raw rows. What used the index and the key:
--   * the ON DELETE CASCADE from links: replaced below by a purge that runs with the
--     pipeline's daily housekeeping (clicks.maintenanceIntervalSeconds);
--   * per-link exports: they now find a link's clicks by the time range (the BRIN index on
--     "timestamp") and filter on link_id, which reads the range's rows of every link;
--   * rejecting clicks of links deleted before the click was written: the rollup worker
--     now deletes those raw rows when it rolls their batch up (it already left them out
--     of every rollup).
-- Until the purge has run, a deleted link's raw rows stay on disk, in no report: every
-- reader of raw clicks (export, rebuild) keeps only rows whose link exists.
--
-- Applied by the migration runner inside a single transaction (no BEGIN/COMMIT here).

ALTER TABLE clicks DROP CONSTRAINT clicks_link_id_fkey;
DROP INDEX clicks_link_id_timestamp_idx;

-- Links deleted since the last purge; their raw clicks are still in clicks.
CREATE TABLE deleted_links (
    link_id     uuid        NOT NULL CONSTRAINT deleted_links_pkey PRIMARY KEY,
    deleted_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE deleted_links IS
    'Links deleted whose raw clicks purge_deleted_link_clicks() has not removed yet.';

CREATE FUNCTION note_deleted_links() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deleted_links (link_id) SELECT g.id FROM gone g ON CONFLICT (link_id) DO NOTHING;
    RETURN NULL;
END
$$;

-- One statement-level trigger: a bulk delete of 10,000 links is one insert.
CREATE TRIGGER links_note_deleted
    AFTER DELETE ON links
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION note_deleted_links();

-- Deletes the raw clicks of every link in deleted_links, and those entries, in one
-- statement; returns the clicks deleted. One pass over clicks (a hash join against the
-- deleted ids), so it runs with the daily housekeeping, not per delete. A link deleted
-- while it runs is purged next time.
CREATE FUNCTION purge_deleted_link_clicks() RETURNS bigint
LANGUAGE plpgsql
SET jit = off
AS $$
DECLARE
    v_deleted bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM deleted_links) THEN
        RETURN 0;
    END IF;
    WITH gone AS (DELETE FROM deleted_links RETURNING link_id)
    DELETE FROM clicks c USING gone g WHERE c.link_id = g.link_id;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END
$$;

COMMENT ON FUNCTION purge_deleted_link_clicks() IS
    'Deletes the raw clicks of links listed in deleted_links and empties it; returns the clicks deleted.';

-- As in 0009, and the raw rows of links deleted before their batch was rolled up are
-- deleted (without the foreign key the writer stores them; nothing else would).
CREATE OR REPLACE FUNCTION roll_up_pending_clicks(max_clicks integer, wait_for_lock boolean DEFAULT false) RETURNS bigint
LANGUAGE plpgsql
SET jit = off
AS $$
DECLARE
    v_batches  bigint[];
    v_first    timestamptz;
    v_last     timestamptz;
    v_applied  bigint;
BEGIN
    IF max_clicks IS NULL OR max_clicks < 1 THEN
        RAISE EXCEPTION 'roll_up_pending_clicks: max_clicks must be >= 1, got %', max_clicks;
    END IF;
    -- One roller at a time across every instance over this database (the key is
    -- arbitrary but fixed: 'rollups' as ASCII).
    IF wait_for_lock THEN
        PERFORM pg_advisory_xact_lock(7237088338478322803);
    ELSIF NOT pg_try_advisory_xact_lock(7237088338478322803) THEN
        RETURN -1;
    END IF;

    SELECT array_agg(p.batch), min(p.first_at), max(p.last_at)
      INTO v_batches, v_first, v_last
    FROM (SELECT b.batch, b.first_at, b.last_at, sum(b.clicks) OVER (ORDER BY b.batch) - b.clicks AS before
          FROM click_batches_pending b) p
    WHERE p.before < max_clicks;
    IF v_batches IS NULL THEN
        RETURN 0;
    END IF;

    CREATE TEMP TABLE IF NOT EXISTS click_fresh (LIKE clicks) ON COMMIT DELETE ROWS;
    DELETE FROM click_fresh;
    INSERT INTO click_fresh
    SELECT c.* FROM clicks c
    WHERE c."timestamp" >= v_first AND c."timestamp" <= v_last AND c.ingest_batch = ANY (v_batches);

    -- Hold the links still there until commit (a delete or a membership change waits),
    -- then forget the clicks of links deleted since they were read, here and in clicks:
    -- this statement's snapshot is taken after the locks.
    PERFORM 1 FROM links l
    WHERE l.id IN (SELECT DISTINCT f.link_id FROM click_fresh f)
    ORDER BY l.id
    FOR KEY SHARE;
    WITH orphans AS (
        DELETE FROM click_fresh f WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.id = f.link_id)
        RETURNING f.id, f."timestamp")
    DELETE FROM clicks c USING orphans o WHERE c.id = o.id AND c."timestamp" = o."timestamp";
    SELECT count(*) INTO v_applied FROM click_fresh;

    IF v_applied > 0 THEN
        PERFORM apply_click_rollups();
    END IF;
    DELETE FROM click_batches_pending WHERE batch = ANY (v_batches);
    DELETE FROM click_fresh;
    RETURN v_applied;
END
$$;

-- As in 0009, counting only clicks whose link exists (a deleted link's rows wait for the
-- purge, and its rollup rows would have no link to belong to).
CREATE OR REPLACE FUNCTION rebuild_click_rollups(from_day date, to_day date) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    applied bigint;
    first_hour timestamptz := from_day::timestamp AT TIME ZONE 'UTC';
    last_hour timestamptz := to_day::timestamp AT TIME ZONE 'UTC';
BEGIN
    LOCK TABLE link_rollups_hourly, link_rollups_daily, link_rollups_monthly, link_rollups_dimensions,
               scope_rollups_hourly, scope_rollups_daily, scope_rollups_dimensions IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM link_rollups_hourly WHERE hour >= first_hour AND hour < last_hour;
    DELETE FROM link_rollups_daily WHERE day >= from_day AND day < to_day;
    DELETE FROM link_rollups_dimensions WHERE day >= from_day AND day < to_day;
    DELETE FROM scope_rollups_hourly WHERE hour >= first_hour AND hour < last_hour;
    DELETE FROM scope_rollups_daily WHERE day >= from_day AND day < to_day;
    DELETE FROM scope_rollups_dimensions WHERE day >= from_day AND day < to_day;

    CREATE TEMP TABLE IF NOT EXISTS click_fresh (LIKE clicks) ON COMMIT DELETE ROWS;
    DELETE FROM click_fresh;
    INSERT INTO click_fresh
    SELECT c.* FROM clicks c
    WHERE c."timestamp" >= first_hour AND c."timestamp" < last_hour
      AND (c.ingest_batch IS NULL
           OR NOT EXISTS (SELECT 1 FROM click_batches_pending p WHERE p.batch = c.ingest_batch))
      AND EXISTS (SELECT 1 FROM links l WHERE l.id = c.link_id);
    GET DIAGNOSTICS applied = ROW_COUNT;
    IF applied > 0 THEN
        PERFORM apply_click_rollups();
    END IF;
    INSERT INTO link_rollups_monthly AS r (link_id, month, clicks, bot_clicks)
    SELECT d.link_id, date_trunc('month', d.day)::date, sum(d.clicks), sum(d.bot_clicks)
    FROM link_rollups_daily d
    WHERE d.day >= date_trunc('month', from_day)::date
      AND d.day < (date_trunc('month', to_day - 1) + interval '1 month')::date
    GROUP BY 1, 2
    ORDER BY 1, 2
    ON CONFLICT (link_id, month) DO UPDATE SET clicks = EXCLUDED.clicks, bot_clicks = EXCLUDED.bot_clicks
    WHERE (r.clicks, r.bot_clicks) IS DISTINCT FROM (EXCLUDED.clicks, EXCLUDED.bot_clicks);
    DELETE FROM link_rollups_monthly m
    WHERE m.month >= date_trunc('month', from_day)::date AND m.month < to_day
      AND NOT EXISTS (
          SELECT 1 FROM link_rollups_daily d
          WHERE d.link_id = m.link_id AND d.day >= m.month AND d.day < (m.month + interval '1 month')::date);
    DELETE FROM click_fresh;
    RETURN applied;
END
$$;
