-- 0003_link_redirect_options.sql
-- Per-link redirect options (status, query forwarding, expiry) and change
-- notifications for the edge's in-memory link cache.
--
-- Applied by the migration runner inside a single transaction (no BEGIN/COMMIT
-- here).

-- ---------------------------------------------------------------------------
-- links: redirect options
-- ---------------------------------------------------------------------------

-- The defaults reproduce what every existing link did before this migration
-- (302, query string dropped, never expires), so adding the columns changes
-- no behaviour. Constant defaults on PG 11+ do not rewrite the table.
ALTER TABLE links
    -- 302 by default: clients come back every time, so every visit is a click.
    -- Only the redirect statuses the edge knows how to answer are allowed; the
    -- app maps 23514 on links_redirect_status_check to a field error.
    ADD COLUMN redirect_status smallint NOT NULL DEFAULT 302
        CONSTRAINT links_redirect_status_check CHECK (redirect_status IN (301, 302, 307, 308)),
    -- Append the visitor's query string to original_url when redirecting.
    ADD COLUMN forward_query boolean NOT NULL DEFAULT false,
    -- After this instant the code answers 410 Gone; NULL = never expires.
    ADD COLUMN expires_at timestamptz NULL
        -- 'infinity' / '-infinity' have no microsecond value: they would break
        -- the edge's preload (expiry is exported as microseconds since the
        -- epoch) and mean nothing a NULL or a real instant cannot say.
        CONSTRAINT links_expires_at_finite CHECK (isfinite(expires_at));

-- ---------------------------------------------------------------------------
-- link_changed notifications
-- ---------------------------------------------------------------------------

-- Every edge keeps all links in memory and LISTENs on channel link_changed;
-- the payload is a short code whose current state the edge re-reads (and
-- drops from its cache when the code no longer exists). So a change must name
-- every code whose answer may differ afterwards:
--   * INSERT: the new code;
--   * UPDATE: the new code, and also the old one when the code was renamed
--     (the old code must stop redirecting);
--   * DELETE: the old code (also fired for cascaded deletes of a user/client).
-- Payloads are short codes (<= 64 ASCII bytes), far below NOTIFY's 8000-byte
-- limit. Notifications are sent at commit, never for rolled-back changes, and
-- Postgres collapses identical (channel, payload) pairs within a transaction,
-- so a bulk update of one link sends one notification.
-- TRUNCATE fires no row triggers and is not announced: it is not an
-- operation the app performs on links.
CREATE FUNCTION notify_link_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM pg_notify('link_changed', NEW.short_code);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.short_code IS DISTINCT FROM NEW.short_code) THEN
        PERFORM pg_notify('link_changed', OLD.short_code);
    END IF;
    RETURN NULL;  -- AFTER trigger: the return value is ignored
END;
$$;

COMMENT ON FUNCTION notify_link_changed() IS
    'AFTER row trigger on links: pg_notify(''link_changed'', short_code) for the new code and, '
    'on delete or rename, the old code.';

-- AFTER, so only rows that were really written (past every CHECK, FK and
-- BEFORE trigger) are announced.
CREATE TRIGGER links_notify_changed
    AFTER INSERT OR UPDATE OR DELETE ON links
    FOR EACH ROW EXECUTE FUNCTION notify_link_changed();
