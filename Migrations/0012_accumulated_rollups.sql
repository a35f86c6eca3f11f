-- 0012_accumulated_rollups.sql
-- Rollups from groups summed in the process (issue 16).
--
-- Until now every rollup cycle read its batches' raw rows back (a copy into click_fresh),
-- then grouped them by (link, hour) with an hll of visitor hashes and by each dimension:
-- about 3.3 s of a 400,000-click cycle's 12.6 s, a cost per click. The writer had every
-- click in memory when it stored it, so the process now sums them there, over the whole
-- rollup interval, and the cycle sends Postgres the groups only (one row per link-hour
-- and per link-day-dimension value, visitor hashes as arrays):
--
--   * A writer that stores a batch whole by the direct COPY stamps its pending row with
--     the process's owner id (click_batches_pending.owner) and, after the commit, adds
--     the batch's clicks to the process's accumulator.
--   * Each cycle the process COPYs its groups into acc_link_hours and acc_link_dimensions
--     and calls roll_up_accumulated_clicks(batches, clicks). Under the rollup lock that
--     checks that every batch it names is still pending with exactly those clicks, turns
--     the groups into the same batch_link_hours / batch_link_dimensions the SQL path
--     makes (place, referrer host and technology derived with the same expressions, the
--     hll built by the same hll functions), applies them with the same upserts
--     (apply_rollup_groups()) and deletes the batches from click_batches_pending, in one
--     transaction. If any batch is gone (another session rolled it up), nothing is
--     applied: the function releases the rest (owner NULL) and the process drops its
--     groups, so the SQL path counts them. Whoever deletes a pending row counts it.
--   * roll_up_pending_clicks() takes batches without an owner and batches whose owner
--     has not rolled them up within owner_lease (a process that died, or whose commit
--     outcome it never learnt); with owner_lease NULL (the CLI, tests) it takes every
--     pending batch, as before.
--
-- Applied by the migration runner inside a single transaction (no BEGIN/COMMIT here).

ALTER TABLE click_batches_pending ADD COLUMN owner uuid NULL;

COMMENT ON COLUMN click_batches_pending.owner IS
    'The process holding this batch''s groups in memory (NULL: roll it up from raw rows).';

-- ---------------------------------------------------------------------------
-- apply_click_rollups, in two stages both paths share
-- ---------------------------------------------------------------------------

-- Creates (once per session) and empties the groups' temporary tables.
CREATE FUNCTION prepare_rollup_groups() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS batch_link_hours (
        link_id uuid, hour timestamptz, clicks bigint, bot_clicks bigint, visitors hll, human_visitors hll
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS batch_link_dimensions (
        link_id uuid, day date, dimension "char", value text, clicks bigint, bot_clicks bigint
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS batch_link_scopes (
        link_id uuid, scope "char", scope_id uuid
    ) ON COMMIT DELETE ROWS;
    DELETE FROM batch_link_hours;
    DELETE FROM batch_link_dimensions;
    DELETE FROM batch_link_scopes;
END
$$;

-- The upserts of 0010's apply_click_rollups(), from batch_link_hours and
-- batch_link_dimensions however they were filled: the scopes of their links (read now),
-- then every rollup table.
CREATE FUNCTION apply_rollup_groups() RETURNS void
LANGUAGE plpgsql
SET jit = off
SET work_mem = '64MB'
SET enable_hashagg = off
AS $$
BEGIN
    INSERT INTO batch_link_scopes (link_id, scope, scope_id)
    SELECT l.id, s.scope, s.scope_id
    FROM links l
    CROSS JOIN LATERAL (VALUES
        ('o'::"char", '00000000-0000-0000-0000-000000000000'::uuid),
        ('c'::"char", l.client_id),
        ('m'::"char", l.campaign_id)
    ) AS s(scope, scope_id)
    WHERE l.id IN (SELECT DISTINCT h.link_id FROM batch_link_hours h) AND s.scope_id IS NOT NULL
    UNION ALL
    SELECT lt.link_id, 't', lt.tag_id
    FROM link_tags lt
    WHERE lt.link_id IN (SELECT DISTINCT h.link_id FROM batch_link_hours h);

    INSERT INTO link_rollups_hourly AS r (link_id, hour, clicks, bot_clicks, visitors, human_visitors)
    SELECT h.link_id, h.hour, h.clicks, h.bot_clicks, h.visitors, h.human_visitors
    FROM batch_link_hours h
    ORDER BY 1, 2
    ON CONFLICT (link_id, hour) DO UPDATE SET
        clicks = r.clicks + EXCLUDED.clicks,
        bot_clicks = r.bot_clicks + EXCLUDED.bot_clicks,
        visitors = hll_union(r.visitors, EXCLUDED.visitors),
        human_visitors = hll_union(r.human_visitors, EXCLUDED.human_visitors);

    INSERT INTO link_rollups_daily AS r (link_id, day, clicks, bot_clicks, visitors, human_visitors)
    SELECT h.link_id, (h.hour AT TIME ZONE 'UTC')::date, sum(h.clicks), sum(h.bot_clicks),
           hll_union_agg(h.visitors), hll_union_agg(h.human_visitors)
    FROM batch_link_hours h
    GROUP BY 1, 2
    ORDER BY 1, 2
    ON CONFLICT (link_id, day) DO UPDATE SET
        clicks = r.clicks + EXCLUDED.clicks,
        bot_clicks = r.bot_clicks + EXCLUDED.bot_clicks,
        visitors = hll_union(r.visitors, EXCLUDED.visitors),
        human_visitors = hll_union(r.human_visitors, EXCLUDED.human_visitors);

    INSERT INTO link_rollups_monthly AS r (link_id, month, clicks, bot_clicks)
    SELECT h.link_id, date_trunc('month', h.hour AT TIME ZONE 'UTC')::date, sum(h.clicks), sum(h.bot_clicks)
    FROM batch_link_hours h
    GROUP BY 1, 2
    ORDER BY 1, 2
    ON CONFLICT (link_id, month) DO UPDATE SET
        clicks = r.clicks + EXCLUDED.clicks,
        bot_clicks = r.bot_clicks + EXCLUDED.bot_clicks;

    INSERT INTO link_rollups_dimensions AS r (link_id, day, dimension, value, clicks, bot_clicks)
    SELECT d.link_id, d.day, d.dimension, d.value, d.clicks, d.bot_clicks
    FROM batch_link_dimensions d
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (link_id, day, dimension, value) DO UPDATE SET
        clicks = r.clicks + EXCLUDED.clicks,
        bot_clicks = r.bot_clicks + EXCLUDED.bot_clicks;

    INSERT INTO scope_rollups_hourly AS r (scope, scope_id, hour, clicks, bot_clicks, visitors, human_visitors)
    SELECT s.scope, s.scope_id, h.hour, sum(h.clicks), sum(h.bot_clicks),
           hll_union_agg(h.visitors), hll_union_agg(h.human_visitors)
    FROM batch_link_hours h
    JOIN batch_link_scopes s ON s.link_id = h.link_id
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
    ON CONFLICT (scope, scope_id, hour) DO UPDATE SET
        clicks = r.clicks + EXCLUDED.clicks,
        bot_clicks = r.bot_clicks + EXCLUDED.bot_clicks,
        visitors = hll_union(r.visitors, EXCLUDED.visitors),
        human_visitors = hll_union(r.human_visitors, EXCLUDED.human_visitors);

    INSERT INTO scope_rollups_daily AS r (scope, scope_id, day, clicks, bot_clicks, visitors, human_visitors)
    SELECT s.scope, s.scope_id, (h.hour AT TIME ZONE 'UTC')::date, sum(h.clicks), sum(h.bot_clicks),
           hll_union_agg(h.visitors), hll_union_agg(h.human_visitors)
    FROM batch_link_hours h
    JOIN batch_link_scopes s ON s.link_id = h.link_id
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
    ON CONFLICT (scope, scope_id, day) DO UPDATE SET
        clicks = r.clicks + EXCLUDED.clicks,
        bot_clicks = r.bot_clicks + EXCLUDED.bot_clicks,
        visitors = hll_union(r.visitors, EXCLUDED.visitors),
        human_visitors = hll_union(r.human_visitors, EXCLUDED.human_visitors);

    INSERT INTO scope_rollups_dimensions AS r (scope, scope_id, dimension, day, value, clicks, bot_clicks)
    SELECT s.scope, s.scope_id, d.dimension, d.day, d.value, sum(d.clicks), sum(d.bot_clicks)
    FROM batch_link_dimensions d
    JOIN batch_link_scopes s ON s.link_id = d.link_id
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (scope, scope_id, dimension, day, value) DO UPDATE SET
        clicks = r.clicks + EXCLUDED.clicks,
        bot_clicks = r.bot_clicks + EXCLUDED.bot_clicks;
END
$$;

-- The SQL path: groups the raw rows in click_fresh (as 0010 did), then the shared upserts.
CREATE OR REPLACE FUNCTION apply_click_rollups() RETURNS void
LANGUAGE plpgsql
SET jit = off
SET work_mem = '64MB'
SET enable_hashagg = off
AS $$
BEGIN
    PERFORM prepare_rollup_groups();

    INSERT INTO batch_link_hours (link_id, hour, clicks, bot_clicks, visitors, human_visitors)
    SELECT f.link_id, date_trunc('hour', f."timestamp", 'UTC'), count(*), count(*) FILTER (WHERE f.is_bot),
           coalesce(hll_add_agg(hll_hash_bigint(f.visitor_hash)), hll_empty()),
           coalesce(hll_add_agg(hll_hash_bigint(f.visitor_hash)) FILTER (WHERE NOT f.is_bot), hll_empty())
    FROM click_fresh f
    GROUP BY 1, 2;

    INSERT INTO batch_link_dimensions (link_id, day, dimension, value, clicks, bot_clicks)
    SELECT f.link_id, (f."timestamp" AT TIME ZONE 'UTC')::date, 'g',
           concat_ws(E'\x1f', coalesce(f.country, ''), coalesce(f.city, '')),
           count(*), count(*) FILTER (WHERE f.is_bot)
    FROM click_fresh f
    GROUP BY 1, 2, 4
    UNION ALL
    SELECT f.link_id, (f."timestamp" AT TIME ZONE 'UTC')::date, 'r', referrer_host(f.referrer),
           count(*), count(*) FILTER (WHERE f.is_bot)
    FROM click_fresh f
    GROUP BY 1, 2, 4
    UNION ALL
    SELECT f.link_id, (f."timestamp" AT TIME ZONE 'UTC')::date, 't',
           concat_ws(E'\x1f', coalesce(f.device, ''), coalesce(f.browser, ''), coalesce(f.os, '')),
           count(*), count(*) FILTER (WHERE f.is_bot)
    FROM click_fresh f
    GROUP BY 1, 2, 4
    UNION ALL
    SELECT f.link_id, (f."timestamp" AT TIME ZONE 'UTC')::date, 'x', coalesce(f.bot_reason, ''), count(*), count(*)
    FROM click_fresh f
    WHERE f.is_bot
    GROUP BY 1, 2, 4;

    PERFORM apply_rollup_groups();
END
$$;

-- ---------------------------------------------------------------------------
-- roll_up_pending_clicks: batches nobody holds in memory
-- ---------------------------------------------------------------------------

DROP FUNCTION roll_up_pending_clicks(integer, boolean);

-- As in 0011, taking only batches without an owner or whose owner has held them longer
-- than owner_lease (NULL: every pending batch).
CREATE FUNCTION roll_up_pending_clicks(max_clicks integer, wait_for_lock boolean DEFAULT false,
                                       owner_lease interval DEFAULT NULL) RETURNS bigint
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
          FROM click_batches_pending b
          WHERE b.owner IS NULL OR owner_lease IS NULL OR b.committed_at < now() - owner_lease) p
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

COMMENT ON FUNCTION roll_up_pending_clicks(integer, boolean, interval) IS
    'Rolls up the oldest pending ingest batches no live process holds (about max_clicks clicks) exactly once; '
    'returns clicks applied, 0 when none is pending, -1 when another session holds the rollup lock.';

-- ---------------------------------------------------------------------------
-- roll_up_accumulated_clicks: the process's groups
-- ---------------------------------------------------------------------------

-- The caller has filled, in this transaction, the session's temporary tables
--   acc_link_hours (link_id, hour_epoch, clicks, bot_clicks, visitors, human_visitors)
--     exactly one row per link and hour (a second one fails the upsert): hour_epoch the hour's start in seconds since 1970 (UTC),
--     visitors the distinct visitor hashes of its clicks, human_visitors those of its
--     human clicks;
--   acc_link_dimensions (link_id, day_epoch, dimension, a, b, c, clicks, bot_clicks)
--     one row per link, day (days since 1970, UTC) and raw dimension values:
--     'g' (a country, b city), 'r' (a referrer), 't' (a device, b browser, c OS),
--     'x' (a bot reason; bot clicks only);
-- from the clicks of the pending batches p_batches, p_clicks of them in all.
-- Returns the clicks applied; -1 when another session holds the rollup lock (nothing
-- changed; call again later); -2 when a batch is no longer pending as the caller knows
-- it (nothing applied; the caller's other batches are released to the SQL path).
CREATE FUNCTION roll_up_accumulated_clicks(p_batches bigint[], p_clicks bigint) RETURNS bigint
LANGUAGE plpgsql
SET jit = off
SET work_mem = '64MB'
SET enable_hashagg = off
AS $$
DECLARE
    v_found    bigint;
    v_clicks   bigint;
    v_first    timestamptz;
    v_last     timestamptz;
    v_applied  bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(7237088338478322803) THEN
        RETURN -1;
    END IF;
    SELECT count(*), coalesce(sum(p.clicks), 0), min(p.first_at), max(p.last_at)
      INTO v_found, v_clicks, v_first, v_last
    FROM click_batches_pending p
    WHERE p.batch = ANY (p_batches);
    IF v_found <> coalesce(cardinality(p_batches), 0) OR v_clicks <> p_clicks THEN
        UPDATE click_batches_pending SET owner = NULL WHERE batch = ANY (p_batches);
        RETURN -2;
    END IF;
    IF v_found = 0 THEN
        RETURN 0;
    END IF;

    -- As the SQL path: hold the links still there until commit, then leave out (and
    -- delete the raw rows of) the links deleted since their clicks were stored.
    PERFORM 1 FROM links l
    WHERE l.id IN (SELECT DISTINCT a.link_id FROM acc_link_hours a)
    ORDER BY l.id
    FOR KEY SHARE;
    IF EXISTS (SELECT 1 FROM acc_link_hours a WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.id = a.link_id)) THEN
        DELETE FROM clicks c
        WHERE c."timestamp" >= v_first AND c."timestamp" <= v_last AND c.ingest_batch = ANY (p_batches)
          AND NOT EXISTS (SELECT 1 FROM links l WHERE l.id = c.link_id);
        DELETE FROM acc_link_hours a WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.id = a.link_id);
        DELETE FROM acc_link_dimensions a WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.id = a.link_id);
    END IF;
    SELECT coalesce(sum(a.clicks), 0) INTO v_applied FROM acc_link_hours a;

    IF v_applied > 0 THEN
        PERFORM prepare_rollup_groups();
        INSERT INTO batch_link_hours (link_id, hour, clicks, bot_clicks, visitors, human_visitors)
        SELECT a.link_id, to_timestamp(a.hour_epoch), a.clicks, a.bot_clicks,
               coalesce((SELECT hll_add_agg(hll_hash_bigint(v)) FROM unnest(a.visitors) v), hll_empty()),
               coalesce((SELECT hll_add_agg(hll_hash_bigint(v)) FROM unnest(a.human_visitors) v), hll_empty())
        FROM acc_link_hours a;

        -- The same value expressions as apply_click_rollups(); raw values that map to one
        -- value (NULL and '', referrers of one host) are summed here.
        INSERT INTO batch_link_dimensions (link_id, day, dimension, value, clicks, bot_clicks)
        SELECT v.link_id, v.day, v.dimension, v.value, sum(v.clicks), sum(v.bot_clicks)
        FROM (SELECT a.link_id, DATE '1970-01-01' + a.day_epoch AS day, a.dimension,
                     CASE a.dimension
                         WHEN 'g' THEN concat_ws(E'\x1f', coalesce(a.a, ''), coalesce(a.b, ''))
                         WHEN 'r' THEN referrer_host(a.a)
                         WHEN 't' THEN concat_ws(E'\x1f', coalesce(a.a, ''), coalesce(a.b, ''), coalesce(a.c, ''))
                         ELSE coalesce(a.a, '')
                     END AS value,
                     a.clicks, a.bot_clicks
              FROM acc_link_dimensions a) v
        GROUP BY 1, 2, 3, 4;

        PERFORM apply_rollup_groups();
    END IF;
    DELETE FROM click_batches_pending WHERE batch = ANY (p_batches);
    RETURN v_applied;
END
$$;

COMMENT ON FUNCTION roll_up_accumulated_clicks(bigint[], bigint) IS
    'Applies the groups a process summed in memory for its pending batches, exactly once; '
    'returns clicks applied, -1 when the rollup lock is held elsewhere, -2 when a batch was taken meanwhile.';
