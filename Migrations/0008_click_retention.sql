-- 0009_click_retention.sql
-- Retention that also covers the default partition of clicks, and says what it removed.
--
-- drop_click_partitions_before() (0002) drops whole monthly partitions and leaves the rows
-- of clicks_default alone, so a click that landed there (no partition for its month yet: a
-- replay of old data, a clock far off) was kept forever. The service now calls the two
-- functions below instead; drop_click_partitions_before() stays for scripts that use it.

-- ---------------------------------------------------------------------------
-- drop_click_partitions_listed_before
-- ---------------------------------------------------------------------------

-- Drops every range partition of clicks lying entirely before cutoff (00:00 UTC), as
-- drop_click_partitions_before() does, and returns one row per dropped partition with the
-- rows it held. The rows are counted before the first DROP, so the counting does not run
-- under the ACCESS EXCLUSIVE lock on clicks that DROP takes (held until commit: call this
-- in its own short transaction).
CREATE FUNCTION drop_click_partitions_listed_before(cutoff date)
RETURNS TABLE (partition_name text, row_count bigint)
LANGUAGE plpgsql
SET "TimeZone" TO 'UTC'
SET "DateStyle" TO 'ISO, YMD'
AS $$
DECLARE
    v_parent   regclass := 'clicks'::regclass;
    v_cutoff   timestamptz;
    v_names    regclass[] := '{}';
    v_counts   bigint[] := '{}';
    v_count    bigint;
    r          record;
BEGIN
    IF cutoff IS NULL THEN
        RAISE EXCEPTION 'drop_click_partitions_listed_before: cutoff must not be NULL';
    END IF;
    v_cutoff := cutoff::timestamp AT TIME ZONE 'UTC';

    FOR r IN
        SELECT b.relid
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
        EXECUTE format('SELECT count(*) FROM %s', r.relid) INTO v_count;
        v_names := v_names || r.relid;
        v_counts := v_counts || v_count;
    END LOOP;

    FOR i IN 1 .. coalesce(array_length(v_names, 1), 0) LOOP
        partition_name := v_names[i]::text;
        row_count := v_counts[i];
        EXECUTE format('DROP TABLE %s', v_names[i]);
        RETURN NEXT;
    END LOOP;
END;
$$;

COMMENT ON FUNCTION drop_click_partitions_listed_before(date) IS
    'Drops monthly click partitions lying entirely before cutoff (UTC), never clicks_default; '
    'returns each dropped partition with the rows it held.';

-- ---------------------------------------------------------------------------
-- delete_default_clicks_before
-- ---------------------------------------------------------------------------

-- Deletes at most max_rows rows older than cutoff from the default partition of clicks and
-- returns how many it deleted (0 when there is no default partition). The caller repeats it,
-- one statement per batch, until it returns less than max_rows: each batch is a short
-- transaction holding row locks on max_rows rows only, and click inserts (which take no
-- conflicting lock) go on meanwhile. Rollups are not touched, as with dropped partitions.
CREATE FUNCTION delete_default_clicks_before(cutoff timestamptz, max_rows integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_default  regclass;
    v_deleted  integer;
BEGIN
    IF cutoff IS NULL OR max_rows IS NULL OR max_rows < 1 THEN
        RAISE EXCEPTION 'delete_default_clicks_before: cutoff must be set and max_rows >= 1';
    END IF;
    SELECT NULLIF(pt.partdefid, 0)::regclass INTO v_default
    FROM pg_partitioned_table pt WHERE pt.partrelid = 'clicks'::regclass;
    IF v_default IS NULL THEN
        RETURN 0;
    END IF;
    -- ctid: the default partition's rows, found by the ("timestamp") index.
    EXECUTE format(
        'DELETE FROM %s WHERE ctid = ANY (ARRAY(SELECT ctid FROM %s WHERE "timestamp" < $1 LIMIT $2))',
        v_default, v_default)
    USING cutoff, max_rows;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END;
$$;

COMMENT ON FUNCTION delete_default_clicks_before(timestamptz, integer) IS
    'Deletes up to max_rows clicks older than cutoff from the default partition of clicks; returns the number deleted.';
