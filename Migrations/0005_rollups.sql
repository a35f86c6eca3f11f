-- 0005_rollups.sql
-- Aggregates that the metrics endpoints read instead of raw clicks.
--
-- The click writer keeps them in the same transaction as its COPY: it copies a
-- batch into the temp table click_staging, inserts the new rows into clicks,
-- puts exactly the rows that were inserted into the temp table click_fresh,
-- and calls apply_click_rollups(), which aggregates click_fresh and upserts.
-- A replayed batch therefore adds nothing twice. `shortlinks rollups rebuild`
-- recomputes a range of days with the same function over raw clicks.
--
-- Two families:
--   link_rollups_*   per link. ON DELETE CASCADE with the link.
--   scope_rollups_*  per organisation ('o', the nil uuid), client ('c'),
--                    campaign ('m') and tag ('t'), by *current* membership:
--                    a scope's counters are always the sum of its links'
--                    counters. When a link changes client or campaign, gains
--                    or loses a tag, or is deleted, triggers below move its
--                    link_rollups into or out of the scope in the same
--                    transaction. Unique-visitor sketches cannot be
--                    subtracted: after a link leaves a scope, that scope's
--                    sketches still include its visitors until
--                    `shortlinks rollups rebuild` runs (counts are exact).
--
-- Times: hours are UTC hour starts; days are UTC dates. Unique visitors are
-- hll sketches (postgresql-hll, default parameters: log2m 11, about 2.3 %
-- standard error, exact while small) of clicks.visitor_hash, which is keyed
-- with a per-day salt: the same person on two days counts twice.
--
-- Dimensions ("char" code, value), '' meaning unknown (referrers: direct):
--   'g' place: country ISO code and city, joined by U+001F ("DE\x1fBerlin", "DE\x1f")
--   'r' referrer host
--   't' technology: device, browser and OS joined by U+001F
--   'x' bot reason (bot clicks only)
-- Country, city, device, browser and OS top lists are read by splitting the combined
-- values; keeping them combined writes one row where separate ones would write five.

CREATE EXTENSION IF NOT EXISTS hll;

-- ---------------------------------------------------------------------------
-- Per link
-- ---------------------------------------------------------------------------

CREATE TABLE link_rollups_hourly (
    link_id         uuid        NOT NULL
                                CONSTRAINT link_rollups_hourly_link_id_fkey
                                REFERENCES links (id) ON DELETE CASCADE,
    hour            timestamptz NOT NULL,
    clicks          bigint      NOT NULL,
    bot_clicks      bigint      NOT NULL,
    visitors        hll         NOT NULL,   -- every click
    human_visitors  hll         NOT NULL,   -- clicks with is_bot = false
    CONSTRAINT link_rollups_hourly_pkey PRIMARY KEY (link_id, hour)
);

-- Whole UTC days, with sketches: a 90-day series in UTC reads 90 rows, not 2,160.
CREATE TABLE link_rollups_daily (
    link_id         uuid    NOT NULL
                            CONSTRAINT link_rollups_daily_link_id_fkey
                            REFERENCES links (id) ON DELETE CASCADE,
    day             date    NOT NULL,
    clicks          bigint  NOT NULL,
    bot_clicks      bigint  NOT NULL,
    visitors        hll     NOT NULL,
    human_visitors  hll     NOT NULL,
    -- The counts ride along in the key's index: ranking links reads them without
    -- touching the wide rows (two sketches each).
    CONSTRAINT link_rollups_daily_pkey PRIMARY KEY (link_id, day) INCLUDE (clicks, bot_clicks)
);
-- Top links of the organisation over short ranges: every link's days in the range.
CREATE INDEX link_rollups_daily_day_idx ON link_rollups_daily (day) INCLUDE (link_id, clicks, bot_clicks);

-- Calendar months (UTC), counts only: ranking every link of the organisation over a
-- long range starts from these (a few rows per link), see MetricsRepository.
CREATE TABLE link_rollups_monthly (
    link_id     uuid    NOT NULL
                        CONSTRAINT link_rollups_monthly_link_id_fkey
                        REFERENCES links (id) ON DELETE CASCADE,
    month       date    NOT NULL,
    clicks      bigint  NOT NULL,
    bot_clicks  bigint  NOT NULL,
    CONSTRAINT link_rollups_monthly_pkey PRIMARY KEY (link_id, month)
);
-- The organisation's top links: the busiest links of a month, from the top.
CREATE INDEX link_rollups_monthly_month_clicks_idx ON link_rollups_monthly (month, clicks DESC);

CREATE TABLE link_rollups_dimensions (
    link_id     uuid    NOT NULL
                        CONSTRAINT link_rollups_dimensions_link_id_fkey
                        REFERENCES links (id) ON DELETE CASCADE,
    day         date    NOT NULL,
    dimension   "char"  NOT NULL,
    value       text    NOT NULL,
    clicks      bigint  NOT NULL,
    bot_clicks  bigint  NOT NULL,
    CONSTRAINT link_rollups_dimensions_pkey PRIMARY KEY (link_id, day, dimension, value)
);

-- ---------------------------------------------------------------------------
-- Per scope (organisation, client, campaign, tag)
-- ---------------------------------------------------------------------------

CREATE TABLE scope_rollups_hourly (
    scope           "char"      NOT NULL,
    scope_id        uuid        NOT NULL,
    hour            timestamptz NOT NULL,
    clicks          bigint      NOT NULL,
    bot_clicks      bigint      NOT NULL,
    visitors        hll         NOT NULL,
    human_visitors  hll         NOT NULL,
    CONSTRAINT scope_rollups_hourly_pkey PRIMARY KEY (scope, scope_id, hour),
    CONSTRAINT scope_rollups_hourly_scope CHECK (scope IN ('o', 'c', 'm', 't'))
);

CREATE TABLE scope_rollups_daily (
    scope           "char"  NOT NULL,
    scope_id        uuid    NOT NULL,
    day             date    NOT NULL,
    clicks          bigint  NOT NULL,
    bot_clicks      bigint  NOT NULL,
    visitors        hll     NOT NULL,
    human_visitors  hll     NOT NULL,
    CONSTRAINT scope_rollups_daily_pkey PRIMARY KEY (scope, scope_id, day),
    CONSTRAINT scope_rollups_daily_scope CHECK (scope IN ('o', 'c', 'm', 't'))
);

CREATE TABLE scope_rollups_dimensions (
    scope       "char"  NOT NULL,
    scope_id    uuid    NOT NULL,
    day         date    NOT NULL,
    dimension   "char"  NOT NULL,
    value       text    NOT NULL,
    clicks      bigint  NOT NULL,
    bot_clicks  bigint  NOT NULL,
    CONSTRAINT scope_rollups_dimensions_pkey PRIMARY KEY (scope, scope_id, dimension, day, value),
    CONSTRAINT scope_rollups_dimensions_scope CHECK (scope IN ('o', 'c', 'm', 't'))
);

-- ---------------------------------------------------------------------------
-- click_dimension_values: the (dimension, value) pairs one click counts under
-- ---------------------------------------------------------------------------

-- The referrer's host, lower-case, without a leading "www."; '' when there is no
-- referrer or it is not an absolute URL.
CREATE FUNCTION referrer_host(referrer text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(
        regexp_replace(
            lower(substring(referrer FROM '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]+)')),
            '^www\.', ''),
        '')
$$;

-- ---------------------------------------------------------------------------
-- apply_click_rollups: aggregate the temp table click_fresh and upsert
-- ---------------------------------------------------------------------------

-- click_fresh has the columns of clicks (CREATE TEMP TABLE ... (LIKE clicks)) and
-- holds the rows this transaction inserted. The batch is aggregated once per link
-- (hour totals with sketches, day dimension counts) into two more temp tables, the
-- link rollups are upserted from those, and the scope rollups are the link
-- aggregates summed over each link's scopes. Rows are upserted in key order so that
-- concurrent writers lock rollup rows in the same order.
CREATE FUNCTION apply_click_rollups() RETURNS void
LANGUAGE plpgsql
SET jit = off
SET work_mem = '64MB'
SET enable_hashagg = off
AS $$
BEGIN
    -- Membership is read below; share-locking the batch's links makes a concurrent
    -- change of client, campaign or tags wait for this transaction (and the other way
    -- round), so the triggers that move counters between scopes see these counts.
    PERFORM 1 FROM links l
    WHERE l.id IN (SELECT DISTINCT f.link_id FROM click_fresh f)
    ORDER BY l.id
    FOR SHARE;

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

-- ---------------------------------------------------------------------------
-- Membership changes: move one link's rollups into (+1) or out of (-1) a scope
-- ---------------------------------------------------------------------------

CREATE FUNCTION shift_link_rollups(p_link uuid, p_scope "char", p_scope_id uuid, p_sign integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM link_rollups_daily WHERE link_id = p_link) THEN
        RETURN;
    END IF;

    INSERT INTO scope_rollups_hourly AS r (scope, scope_id, hour, clicks, bot_clicks, visitors, human_visitors)
    SELECT p_scope, p_scope_id, h.hour, p_sign * h.clicks, p_sign * h.bot_clicks,
           CASE WHEN p_sign > 0 THEN h.visitors ELSE hll_empty() END,
           CASE WHEN p_sign > 0 THEN h.human_visitors ELSE hll_empty() END
    FROM link_rollups_hourly h
    WHERE h.link_id = p_link
    ORDER BY h.hour
    ON CONFLICT (scope, scope_id, hour) DO UPDATE SET
        clicks = r.clicks + EXCLUDED.clicks,
        bot_clicks = r.bot_clicks + EXCLUDED.bot_clicks,
        visitors = hll_union(r.visitors, EXCLUDED.visitors),
        human_visitors = hll_union(r.human_visitors, EXCLUDED.human_visitors);

    INSERT INTO scope_rollups_daily AS r (scope, scope_id, day, clicks, bot_clicks, visitors, human_visitors)
    SELECT p_scope, p_scope_id, d.day, p_sign * d.clicks, p_sign * d.bot_clicks,
           CASE WHEN p_sign > 0 THEN d.visitors ELSE hll_empty() END,
           CASE WHEN p_sign > 0 THEN d.human_visitors ELSE hll_empty() END
    FROM link_rollups_daily d
    WHERE d.link_id = p_link
    ORDER BY d.day
    ON CONFLICT (scope, scope_id, day) DO UPDATE SET
        clicks = r.clicks + EXCLUDED.clicks,
        bot_clicks = r.bot_clicks + EXCLUDED.bot_clicks,
        visitors = hll_union(r.visitors, EXCLUDED.visitors),
        human_visitors = hll_union(r.human_visitors, EXCLUDED.human_visitors);

    INSERT INTO scope_rollups_dimensions AS r (scope, scope_id, dimension, day, value, clicks, bot_clicks)
    SELECT p_scope, p_scope_id, d.dimension, d.day, d.value, p_sign * d.clicks, p_sign * d.bot_clicks
    FROM link_rollups_dimensions d
    WHERE d.link_id = p_link
    ORDER BY d.dimension, d.day, d.value
    ON CONFLICT (scope, scope_id, dimension, day, value) DO UPDATE SET
        clicks = r.clicks + EXCLUDED.clicks,
        bot_clicks = r.bot_clicks + EXCLUDED.bot_clicks;

    IF p_sign < 0 THEN
        DELETE FROM scope_rollups_hourly
        WHERE scope = p_scope AND scope_id = p_scope_id AND clicks <= 0
          AND hour IN (SELECT h.hour FROM link_rollups_hourly h WHERE h.link_id = p_link);
        DELETE FROM scope_rollups_daily
        WHERE scope = p_scope AND scope_id = p_scope_id AND clicks <= 0
          AND day IN (SELECT d.day FROM link_rollups_daily d WHERE d.link_id = p_link);
        DELETE FROM scope_rollups_dimensions
        WHERE scope = p_scope AND scope_id = p_scope_id AND clicks <= 0
          AND day IN (SELECT d.day FROM link_rollups_daily d WHERE d.link_id = p_link);
    END IF;
END
$$;

-- A link is deleted (directly, or by its user's or client's deletion): take its
-- counts out of every scope before the cascade removes its own rollups.
CREATE FUNCTION links_rollups_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    tag uuid;
BEGIN
    IF EXISTS (SELECT 1 FROM link_rollups_daily WHERE link_id = OLD.id) THEN
        PERFORM shift_link_rollups(OLD.id, 'o', '00000000-0000-0000-0000-000000000000', -1);
        PERFORM shift_link_rollups(OLD.id, 'c', OLD.client_id, -1);
        IF OLD.campaign_id IS NOT NULL THEN
            PERFORM shift_link_rollups(OLD.id, 'm', OLD.campaign_id, -1);
        END IF;
        FOR tag IN SELECT lt.tag_id FROM link_tags lt WHERE lt.link_id = OLD.id ORDER BY lt.tag_id LOOP
            PERFORM shift_link_rollups(OLD.id, 't', tag, -1);
        END LOOP;
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER links_rollups_delete
    BEFORE DELETE ON links
    FOR EACH ROW EXECUTE FUNCTION links_rollups_on_delete();

-- A link moves to another client or campaign (or out of its campaign).
CREATE FUNCTION links_rollups_on_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
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

CREATE TRIGGER links_rollups_move
    AFTER UPDATE OF client_id, campaign_id ON links
    FOR EACH ROW
    WHEN (OLD.client_id IS DISTINCT FROM NEW.client_id OR OLD.campaign_id IS DISTINCT FROM NEW.campaign_id)
    EXECUTE FUNCTION links_rollups_on_move();

-- A link gains or loses a tag. When the link itself is being deleted, the delete
-- trigger above has already taken its counts out of the tag.
CREATE FUNCTION link_tags_rollups() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- Wait for a click writer holding this link, so its counts are seen here.
        PERFORM 1 FROM links WHERE id = NEW.link_id FOR NO KEY UPDATE;
        PERFORM shift_link_rollups(NEW.link_id, 't', NEW.tag_id, 1);
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM links WHERE id = OLD.link_id) THEN
        PERFORM 1 FROM links WHERE id = OLD.link_id FOR NO KEY UPDATE;
        PERFORM shift_link_rollups(OLD.link_id, 't', OLD.tag_id, -1);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER link_tags_rollups_change
    AFTER INSERT OR DELETE ON link_tags
    FOR EACH ROW EXECUTE FUNCTION link_tags_rollups();

-- A client, campaign or tag is deleted: its scope rows go with it.
CREATE FUNCTION scope_rollups_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    kind "char" := TG_ARGV[0];
BEGIN
    DELETE FROM scope_rollups_hourly WHERE scope = kind AND scope_id = OLD.id;
    DELETE FROM scope_rollups_daily WHERE scope = kind AND scope_id = OLD.id;
    DELETE FROM scope_rollups_dimensions WHERE scope = kind AND scope_id = OLD.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER clients_rollups_delete AFTER DELETE ON clients
    FOR EACH ROW EXECUTE FUNCTION scope_rollups_on_delete('c');
CREATE TRIGGER campaigns_rollups_delete AFTER DELETE ON campaigns
    FOR EACH ROW EXECUTE FUNCTION scope_rollups_on_delete('m');
CREATE TRIGGER tags_rollups_delete AFTER DELETE ON tags
    FOR EACH ROW EXECUTE FUNCTION scope_rollups_on_delete('t');

-- ---------------------------------------------------------------------------
-- rebuild_click_rollups: recompute whole UTC days from raw clicks
-- ---------------------------------------------------------------------------

-- Deletes every rollup row of the days [from_day, to_day) and re-applies the raw
-- clicks of those days. Call it in its own transaction, one or a few days at a time.
-- The SHARE ROW EXCLUSIVE locks make click writers (and membership changes) wait until
-- the rebuild commits, so nothing is counted twice or missed. Returns the number of
-- clicks applied.
CREATE FUNCTION rebuild_click_rollups(from_day date, to_day date) RETURNS bigint
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
    INSERT INTO click_fresh SELECT * FROM clicks WHERE "timestamp" >= first_hour AND "timestamp" < last_hour;
    GET DIAGNOSTICS applied = ROW_COUNT;
    IF applied > 0 THEN
        PERFORM apply_click_rollups();
    END IF;
    -- Monthly counts are the sum of the daily ones: recompute the months these days
    -- belong to from the (now rebuilt) days, writing only the rows that change.
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
