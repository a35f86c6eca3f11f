-- 0006_rollup_locks.sql
-- The click writer no longer share-locks the links of its batch.
--
-- 0005 had apply_click_rollups() take FOR SHARE on every link of the batch so that
-- a concurrent change of a link's client, campaign or tags waited for the writer's
-- commit. That lock conflicted with every UPDATE of those links, so editing a link's
-- URL or expiry waited up to a whole write transaction, and it cost the writer a
-- row lock (a tuple write) per link per batch.
--
-- The writer already holds a lock that is enough: inserting the batch's clicks
-- checks clicks_link_id_fkey, which takes FOR KEY SHARE on each link until commit.
-- FOR KEY SHARE conflicts only with DELETE, key updates and FOR UPDATE. So the
-- membership triggers now take FOR UPDATE on the link before moving its counters:
-- they wait for any writer holding the link (and writers wait for them), while
-- ordinary edits of a link no longer wait for the writer at all. A link delete
-- waits for the writer as before (it conflicts with FOR KEY SHARE).
--
-- rebuild_click_rollups() still locks the rollup tables in SHARE ROW EXCLUSIVE
-- mode, which the triggers' upserts into scope rollups wait for; it calls
-- apply_click_rollups() without inserting clicks and needed no link lock.
--
-- Applied by the migration runner inside a single transaction (no BEGIN/COMMIT
-- here).

CREATE OR REPLACE FUNCTION apply_click_rollups() RETURNS void
LANGUAGE plpgsql
SET jit = off
SET work_mem = '64MB'
SET enable_hashagg = off
AS $$
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

    INSERT INTO batch_link_hours (link_id, hour, clicks, bot_clicks, visitors, human_visitors)
    SELECT f.link_id, date_trunc('hour', f."timestamp", 'UTC'), count(*), count(*) FILTER (WHERE f.is_bot),
           coalesce(hll_add_agg(hll_hash_bigint(f.visitor_hash)), hll_empty()),
           coalesce(hll_add_agg(hll_hash_bigint(f.visitor_hash)) FILTER (WHERE NOT f.is_bot), hll_empty())
    FROM click_fresh f
    GROUP BY 1, 2;

    INSERT INTO batch_link_dimensions (link_id, day, dimension, value, clicks, bot_clicks)
    SELECT f.link_id, (f."timestamp" AT TIME ZONE 'UTC')::date, d.dimension, d.value,
           count(*), count(*) FILTER (WHERE f.is_bot)
    FROM click_fresh f
    CROSS JOIN LATERAL (VALUES
        ('g'::"char", concat_ws(E'\x1f', coalesce(f.country, ''), coalesce(f.city, ''))),
        ('r'::"char", referrer_host(f.referrer)),
        ('t'::"char", concat_ws(E'\x1f', coalesce(f.device, ''), coalesce(f.browser, ''), coalesce(f.os, ''))),
        ('x'::"char", CASE WHEN f.is_bot THEN coalesce(f.bot_reason, '') END)
    ) AS d(dimension, value)
    WHERE d.value IS NOT NULL
    GROUP BY 1, 2, 3, 4;

    -- The scopes each link counts in: the organisation, its client and campaign, and
    -- each of its tags.
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

-- A link moves to another client or campaign (or out of its campaign). The UPDATE
-- itself only took FOR NO KEY UPDATE, which a click writer's FOR KEY SHARE does not
-- block; FOR UPDATE waits for such a writer to commit, so its counts are in
-- link_rollups (and in the old scope) before they are moved.
CREATE OR REPLACE FUNCTION links_rollups_on_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM links WHERE id = NEW.id FOR UPDATE;
    IF OLD.client_id IS DISTINCT FROM NEW.client_id THEN
        PERFORM shift_link_rollups(NEW.id, 'c', OLD.client_id, -1);
        PERFORM shift_link_rollups(NEW.id, 'c', NEW.client_id, 1);
    END IF;
    IF OLD.campaign_id IS DISTINCT FROM NEW.campaign_id THEN
        IF OLD.campaign_id IS NOT NULL THEN
            PERFORM shift_link_rollups(NEW.id, 'm', OLD.campaign_id, -1);
        END IF;
        IF NEW.campaign_id IS NOT NULL THEN
            PERFORM shift_link_rollups(NEW.id, 'm', NEW.campaign_id, 1);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- A link gains or loses a tag: FOR UPDATE (was FOR NO KEY UPDATE, which the writer's
-- share lock used to block) waits for a click writer holding the link.
CREATE OR REPLACE FUNCTION link_tags_rollups() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM links WHERE id = NEW.link_id FOR UPDATE;
        PERFORM shift_link_rollups(NEW.link_id, 't', NEW.tag_id, 1);
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM links WHERE id = OLD.link_id) THEN
        PERFORM 1 FROM links WHERE id = OLD.link_id FOR UPDATE;
        PERFORM shift_link_rollups(OLD.link_id, 't', OLD.tag_id, -1);
    END IF;
    RETURN NULL;
END
$$;
