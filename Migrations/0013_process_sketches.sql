-- 0013_process_sketches.sql
-- The in-memory rollup groups send their visitors as finished hll sketches (issue 16).
--
-- Building each link-hour's sketch from its array of visitor hashes
-- (hll_add_agg(hll_hash_bigint(v)) over unnest) was the largest per-group step left in a
-- cycle that sends groups: 947 ms for 77,680 link-hours, 12 µs each (psql on the bench
-- database, docs/benchmarks.md). The process now builds the sketch itself in the
-- extension's EXPLICIT form (the sorted 64-bit Murmur3 hashes hll_hash_bigint makes,
-- with the default parameters' header), which is what hll_add_agg makes for up to 160
-- distinct hashes, byte for byte. A larger set still comes as an array and is sketched
-- here. acc_link_hours (created by the process) gains visitors_sketch and
-- human_visitors_sketch; for each, either the sketch or the array is set.
--
-- As 0012 otherwise. Applied by the migration runner inside a single transaction.

-- The caller's acc_link_hours (link_id, hour_epoch, clicks, bot_clicks, visitors,
-- human_visitors, visitors_sketch, human_visitors_sketch): per set of visitors the
-- sketch, or (when it is NULL) the distinct visitor hashes as an array.
CREATE OR REPLACE FUNCTION roll_up_accumulated_clicks(p_batches bigint[], p_clicks bigint) RETURNS bigint
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
               coalesce(a.visitors_sketch, (SELECT hll_add_agg(hll_hash_bigint(v)) FROM unnest(a.visitors) v), hll_empty()),
               coalesce(a.human_visitors_sketch, (SELECT hll_add_agg(hll_hash_bigint(v)) FROM unnest(a.human_visitors) v),
                        hll_empty())
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
