-- 0009_deferred_rollups.sql
-- Rollups leave the click writer's transaction: they are materialised in bulk from
-- committed raw rows by a rollup worker.
--
-- Until now the writer upserted the rollup rows of every batch in its own transaction
-- (apply_click_rollups() over the rows it had just inserted). Under uniform traffic over
-- many links a batch aggregates little, so each click paid for several upserts: about
-- 52 µs of Postgres CPU per click of the ~70 a stored click cost (issue 16).
--
-- Now:
--   * The writer stamps each row it inserts with an ingest batch number
--     (clicks.ingest_batch, from click_ingest_batch_seq) and, in the same transaction,
--     records the batch in click_batches_pending (its time range and row count).
--   * roll_up_pending_clicks(max_clicks) takes the oldest pending batches (about
--     max_clicks clicks), aggregates their rows with apply_click_rollups() and deletes
--     the batches from click_batches_pending, all in one transaction. A batch is rolled
--     up exactly once: it leaves the pending table in the transaction that counted it,
--     and a failed cycle counts nothing. Each (link, hour) rollup row is written once per
--     cycle instead of once per batch.
--   * Rows loaded without the writer (seeds, imports, restores) have ingest_batch NULL
--     and are rolled up by `shortlinks rollups rebuild`, as before.
--
-- Membership (client, campaign, tags) is read when a batch is rolled up, so a move,
-- re-tag or delete that happens before then simply finds the batch's clicks not yet in
-- any scope. The worker share-locks (FOR KEY SHARE) the links of the clicks it rolls up
-- before it reads their membership; the membership triggers take FOR UPDATE on the link,
-- so a move waits for the worker's commit and the worker waits for the move's, exactly
-- as they did with the writer (whose foreign-key check held the same lock).
--
-- Applied by the migration runner inside a single transaction (no BEGIN/COMMIT here).

CREATE SEQUENCE click_ingest_batch_seq;

-- NULL for rows that did not come through the writer. No index: the worker finds a
-- batch's rows by their time range (the "timestamp" index) and filters on this column.
-- The writer's COPY does not send it: it sets shortlinks.ingest_batch for its transaction
-- (set_config(..., true)) and every row takes it from this default; outside such a
-- transaction the setting is unset or '' and the default is NULL.
ALTER TABLE clicks ADD COLUMN ingest_batch bigint NULL
    DEFAULT nullif(current_setting('shortlinks.ingest_batch', true), '')::bigint;

-- Lighter raw rows: a BRIN index on "timestamp" in place of its btree. Rows arrive in
-- about time order, so block ranges summarise them well; inserting a row costs a BRIN
-- summary update instead of a btree descent (about 4 µs of Postgres CPU per row less in
-- issue 16's measurement). Time-range scans (exports, retention of the default partition,
-- the rollup worker) use it through a bitmap scan; per-link reads keep
-- (link_id, "timestamp"). min/max("timestamp") over all clicks now reads the table
-- (only `rollups rebuild` asks that).
DROP INDEX clicks_timestamp_idx;
CREATE INDEX clicks_timestamp_brin ON clicks USING brin ("timestamp") WITH (pages_per_range = 32, autosummarize = on);

CREATE TABLE click_batches_pending (
    batch         bigint      NOT NULL CONSTRAINT click_batches_pending_pkey PRIMARY KEY,
    first_at      timestamptz NOT NULL,   -- earliest click "timestamp" in the batch
    last_at       timestamptz NOT NULL,   -- latest
    clicks        integer     NOT NULL,   -- rows the writer inserted
    committed_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE click_batches_pending IS
    'Ingest batches whose clicks are stored but not yet rolled up; roll_up_pending_clicks() consumes them.';

-- ---------------------------------------------------------------------------
-- store_staged_clicks: the writer's insert
-- ---------------------------------------------------------------------------

-- Inserts the rows of the session's click_staging whose link exists and that are not
-- stored yet, stamped with a new ingest batch, records the batch as pending, and returns
-- the number of rows inserted. The caller has filled click_staging (COPY) in the same
-- transaction.
CREATE FUNCTION store_staged_clicks() RETURNS integer
LANGUAGE plpgsql
SET jit = off
AS $$
DECLARE
    v_batch     bigint := nextval('click_ingest_batch_seq');
    v_inserted  integer;
    v_first     timestamptz;
    v_last      timestamptz;
BEGIN
    WITH inserted AS (
        INSERT INTO clicks (id, link_id, "timestamp", ip_address, user_agent, country, city, is_bot, bot_reason,
                            referrer, device, browser, os, visitor_hash, ingest_batch)
        SELECT s.id, s.link_id, s."timestamp", s.ip_address, s.user_agent, s.country, s.city, s.is_bot, s.bot_reason,
               s.referrer, s.device, s.browser, s.os, s.visitor_hash, v_batch
        FROM click_staging s
        WHERE EXISTS (SELECT 1 FROM links l WHERE l.id = s.link_id)
        ON CONFLICT (id, "timestamp") DO NOTHING
        RETURNING "timestamp")
    SELECT count(*), min("timestamp"), max("timestamp") INTO v_inserted, v_first, v_last FROM inserted;
    IF v_inserted > 0 THEN
        INSERT INTO click_batches_pending (batch, first_at, last_at, clicks)
        VALUES (v_batch, v_first, v_last, v_inserted);
    END IF;
    RETURN v_inserted;
END
$$;

-- ---------------------------------------------------------------------------
-- roll_up_pending_clicks: one cycle of the rollup worker
-- ---------------------------------------------------------------------------

-- Rolls up the oldest pending batches, as many whole batches as fit in max_clicks clicks
-- (at least one), and returns the clicks applied; 0 when nothing is pending; -1 when
-- another session is rolling up right now (the caller tries again later), unless
-- wait_for_lock is true: then it waits for that session. Call it in its own transaction.
CREATE FUNCTION roll_up_pending_clicks(max_clicks integer, wait_for_lock boolean DEFAULT false) RETURNS bigint
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
    -- then forget the clicks of links deleted since they were read: this statement's
    -- snapshot is taken after the locks.
    PERFORM 1 FROM links l
    WHERE l.id IN (SELECT DISTINCT f.link_id FROM click_fresh f)
    ORDER BY l.id
    FOR KEY SHARE;
    DELETE FROM click_fresh f WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.id = f.link_id);
    SELECT count(*) INTO v_applied FROM click_fresh;

    IF v_applied > 0 THEN
        PERFORM apply_click_rollups();
    END IF;
    DELETE FROM click_batches_pending WHERE batch = ANY (v_batches);
    DELETE FROM click_fresh;
    RETURN v_applied;
END
$$;

COMMENT ON FUNCTION roll_up_pending_clicks(integer, boolean) IS
    'Rolls up the oldest pending ingest batches (about max_clicks clicks) exactly once; '
    'returns clicks applied, 0 when none is pending, -1 when another session holds the rollup lock.';

-- ---------------------------------------------------------------------------
-- rebuild_click_rollups: leave pending batches to the worker
-- ---------------------------------------------------------------------------

-- As in 0005, but the rows of batches still pending are not counted: the worker counts
-- them when it rolls their batch up. The pending table is read in the same snapshot as
-- the rows, so a batch is counted by exactly one of the two.
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
           OR NOT EXISTS (SELECT 1 FROM click_batches_pending p WHERE p.batch = c.ingest_batch));
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
