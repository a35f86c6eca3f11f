-- Tests/SQL/schema_checks.sql
--
-- Behavioural checks of the shortlinks schema, as pgTAP tests (Debian
-- postgresql-15-pgtap). Tests/StorageTests/SchemaChecksTests.swift runs this file with psql
-- against a fresh migrated database of the suite's throwaway cluster and fails with the
-- names of the checks that did not pass. By hand, against any migrated database you may
-- throw away:
--
--   psql -X -q -t -A -v ON_ERROR_STOP=1 -f Tests/SQL/schema_checks.sql DBURL
--
-- The checks run in one transaction that is rolled back at the end (pgTAP's results live
-- in it), so they leave no fixtures behind; only the updated_at probe of check 9, which
-- needs transactions of its own, commits one tag. Fixture names carry a random suffix.
--
-- The click-partition check uses the months 2000-01 .. 2000-03, far away from the
-- partitions the migration creates around the current date.

\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only on
\pset pager off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;

-- ---------------------------------------------------------------------------
-- Helpers (session-local, in pg_temp; must be called as pg_temp.<name>)
-- ---------------------------------------------------------------------------

-- The SQLSTATE and, if the error names one, the constraint that p_sql fails with
-- ('23505 clients_name_key'), or 'no error'. The statement's effects are rolled back
-- either way: the inner BEGIN ... EXCEPTION block is a subtransaction, and a statement
-- that succeeds is undone by raising SLNOE in it.
CREATE FUNCTION pg_temp.error_of(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_con   text;
BEGIN
    BEGIN
        EXECUTE p_sql;
        RAISE EXCEPTION 'no error' USING ERRCODE = 'SLNOE';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_con = CONSTRAINT_NAME;
    END;
    IF v_state = 'SLNOE' THEN
        RETURN 'no error';
    END IF;
    RETURN v_state || coalesce(' ' || nullif(v_con, ''), '');
END;
$$;

-- A pgTAP test: p_sql fails with SQLSTATE p_state on constraint p_constraint.
CREATE FUNCTION pg_temp.fails_with(p_sql text, p_state text, p_constraint text, p_description text)
RETURNS text LANGUAGE sql AS $$
    SELECT is(pg_temp.error_of(p_sql), p_state || ' ' || p_constraint, p_description)
$$;

-- Random suffix for fixture names.
CREATE FUNCTION pg_temp.sfx() RETURNS text LANGUAGE sql AS
$$ SELECT substr(replace(gen_random_uuid()::text, '-', ''), 1, 12) $$;

-- ---------------------------------------------------------------------------
-- 9 (setup). updated_at across transactions, with wall-clock time actually advancing:
-- a tag inserted in one transaction and renamed in a later one. The assertion is in
-- check 9 below. The pg_sleep is not synchronisation: it makes sure the clock has
-- moved between the two transactions, which is what the check measures.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE ua_probe AS
WITH ins AS (INSERT INTO tags (name) VALUES ('probe-' || pg_temp.sfx()) RETURNING id, updated_at)
SELECT id, updated_at AS before FROM ins;
DO $$ BEGIN PERFORM pg_sleep(0.01); END $$;
UPDATE tags SET name = name || '-x' WHERE id = (SELECT id FROM ua_probe);

-- ---------------------------------------------------------------------------
-- 0. Structure: plain inserts with only required columns work; defaults fill
--    ids and timestamps; every table with updated_at has the trigger.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.check_0_structure() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    s text := pg_temp.sfx();
    u users; c clients; cp campaigns; l links; t tags; lt link_tags; k clicks; a api_tokens;
    missing text;
BEGIN
    INSERT INTO users (email, name) VALUES ('plain-' || s || '@example.com', 'Plain') RETURNING * INTO u;
    INSERT INTO clients (name) VALUES ('plain-' || s) RETURNING * INTO c;
    INSERT INTO campaigns (client_id, name) VALUES (c.id, 'plain') RETURNING * INTO cp;
    INSERT INTO links (original_url, short_code, user_id, client_id)
        VALUES ('https://example.com/', 'plain-' || s, u.id, c.id) RETURNING * INTO l;
    INSERT INTO tags (name) VALUES ('plain-' || s) RETURNING * INTO t;
    INSERT INTO link_tags (link_id, tag_id) VALUES (l.id, t.id) RETURNING * INTO lt;
    INSERT INTO clicks (link_id) VALUES (l.id) RETURNING * INTO k;
    INSERT INTO api_tokens (user_id, name, token_hash, token_prefix)
        VALUES (u.id, 'cli', sha256(convert_to('tok-' || s, 'UTF8')), 'sl_abcd') RETURNING * INTO a;

    RETURN NEXT ok(u.id IS NOT NULL AND u.created_at = now() AND u.updated_at = now() AND u.avatar_url IS NULL,
        'users defaults');
    RETURN NEXT ok(c.id IS NOT NULL AND c.created_at = now() AND c.updated_at = now(), 'clients defaults');
    RETURN NEXT ok(cp.id IS NOT NULL AND cp.created_at = now() AND cp.updated_at = now(), 'campaigns defaults');
    RETURN NEXT ok(l.id IS NOT NULL AND l.campaign_id IS NULL AND l.created_at = now() AND l.updated_at = now(),
        'links defaults');
    RETURN NEXT ok(l.redirect_status = 302 AND l.forward_query = false AND l.expires_at IS NULL,
        'links redirect option defaults (0003): 302, no query forwarding, never expires');
    RETURN NEXT ok(t.id IS NOT NULL AND t.created_at = now() AND t.updated_at = now(), 'tags defaults');
    RETURN NEXT ok(lt.created_at = now(), 'link_tags defaults');
    RETURN NEXT ok(k.id IS NOT NULL AND k."timestamp" = now() AND k.is_bot = false, 'clicks defaults');
    RETURN NEXT ok(a.id IS NOT NULL AND a.created_at = now() AND a.revoked_at IS NULL AND a.expires_at IS NULL
           AND a.last_used_at IS NULL, 'api_tokens defaults');
    RETURN NEXT is(a.scope, 'read-write', 'api_tokens scope default (0007): read-write');

    -- A click "now" must land in a real monthly partition created by 0002.
    RETURN NEXT is((SELECT tableoid::regclass::text FROM clicks WHERE id = k.id),
           'clicks_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMM'),
        'a current click lands in the current monthly partition');

    -- Every table in this schema with an updated_at column has a BEFORE UPDATE
    -- row trigger calling set_updated_at().
    SELECT string_agg(col.table_name::text, ', ') INTO missing
    FROM information_schema.columns col
    JOIN pg_class rel ON rel.relname = col.table_name
                     AND rel.relnamespace = to_regnamespace(col.table_schema)
    WHERE col.table_schema = current_schema()
      AND col.column_name = 'updated_at'
      AND rel.relkind IN ('r', 'p')
      AND NOT EXISTS (
          SELECT 1 FROM pg_trigger tg
          WHERE tg.tgrelid = rel.oid
            AND tg.tgfoid = 'set_updated_at()'::regprocedure
            AND NOT tg.tgisinternal
            AND tg.tgenabled <> 'D'
            AND (tg.tgtype & 1) = 1      -- FOR EACH ROW
            AND (tg.tgtype & 2) = 2      -- BEFORE
            AND (tg.tgtype & 16) = 16);  -- UPDATE
    RETURN NEXT is(missing, NULL, 'every table with updated_at has a BEFORE UPDATE row trigger calling set_updated_at()');

    RETURN NEXT is((SELECT count(*)::int FROM information_schema.columns
            WHERE table_schema = current_schema() AND column_name = 'updated_at'
              AND table_name IN ('users', 'clients', 'campaigns', 'links', 'tags')), 5,
        'users, clients, campaigns, links, tags have updated_at');

    DELETE FROM users WHERE id = u.id;
    DELETE FROM clients WHERE id = c.id;
    DELETE FROM tags WHERE id = t.id;
END $$;

-- ---------------------------------------------------------------------------
-- 1. Delete user -> their links, those links' clicks and link_tags, and their
--    api_tokens are gone. Tags, clients and other users' data remain.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.check_1_delete_user() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    s text := pg_temp.sfx();
    u1 uuid; u2 uuid; c uuid; t uuid; l1 uuid; l2 uuid; l_other uuid;
BEGIN
    INSERT INTO users (email, name) VALUES ('u1-' || s || '@example.com', 'U1') RETURNING id INTO u1;
    INSERT INTO users (email, name) VALUES ('u2-' || s || '@example.com', 'U2') RETURNING id INTO u2;
    INSERT INTO clients (name) VALUES ('client-' || s) RETURNING id INTO c;
    INSERT INTO tags (name) VALUES ('tag-' || s) RETURNING id INTO t;
    INSERT INTO links (original_url, short_code, user_id, client_id)
        VALUES ('https://a.example/', 'a-' || s, u1, c) RETURNING id INTO l1;
    INSERT INTO links (original_url, short_code, user_id, client_id)
        VALUES ('https://b.example/', 'b-' || s, u1, c) RETURNING id INTO l2;
    INSERT INTO links (original_url, short_code, user_id, client_id)
        VALUES ('https://o.example/', 'o-' || s, u2, c) RETURNING id INTO l_other;
    INSERT INTO link_tags (link_id, tag_id) VALUES (l1, t), (l2, t), (l_other, t);
    -- Clicks in a monthly partition and in the default partition.
    INSERT INTO clicks (link_id) VALUES (l1), (l2), (l_other);
    INSERT INTO clicks (link_id, "timestamp") VALUES (l1, '2999-06-15 12:00:00+00');
    INSERT INTO api_tokens (user_id, name, token_hash, token_prefix) VALUES
        (u1, 'one', sha256(convert_to('t1-' || s, 'UTF8')), 'sl_1'),
        (u1, 'two', sha256(convert_to('t2-' || s, 'UTF8')), 'sl_2'),
        (u2, 'other', sha256(convert_to('t3-' || s, 'UTF8')), 'sl_3');

    DELETE FROM users WHERE id = u1;

    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM links WHERE user_id = u1), 'user delete: links are gone');
    -- Raw clicks have no foreign key (0011): the purge removes a deleted link's rows.
    RETURN NEXT is((SELECT count(*)::int FROM deleted_links WHERE link_id IN (l1, l2)), 2,
        'user delete: the user''s links wait in deleted_links for the purge');
    PERFORM purge_deleted_link_clicks();
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM deleted_links WHERE link_id IN (l1, l2)), 'user delete: the purge empties deleted_links');
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM clicks WHERE link_id IN (l1, l2)),
        'user delete: clicks of the user''s links are gone (all partitions)');
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM link_tags WHERE link_id IN (l1, l2)),
        'user delete: link_tags of the user''s links are gone');
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM api_tokens WHERE user_id = u1), 'user delete: api_tokens are gone');

    RETURN NEXT ok(EXISTS (SELECT 1 FROM tags WHERE id = t), 'user delete: tags remain');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM clients WHERE id = c), 'user delete: client remains');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM links WHERE id = l_other), 'user delete: other users'' links remain');
    RETURN NEXT is((SELECT count(*)::int FROM clicks WHERE link_id = l_other), 1, 'user delete: other clicks remain');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM link_tags WHERE link_id = l_other AND tag_id = t),
        'user delete: other link_tags remain');
    RETURN NEXT is((SELECT count(*)::int FROM api_tokens WHERE user_id = u2), 1, 'user delete: other tokens remain');

    DELETE FROM users WHERE id = u2;
    DELETE FROM clients WHERE id = c;
    DELETE FROM tags WHERE id = t;
END $$;

-- ---------------------------------------------------------------------------
-- 2. Delete client -> its campaigns and links (and their clicks/link_tags)
--    are gone. Users, tags and other clients remain.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.check_2_delete_client() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    s text := pg_temp.sfx();
    u uuid; c1 uuid; c2 uuid; cp1 uuid; cp2 uuid; t uuid; l1 uuid; l2 uuid; l_other uuid;
BEGIN
    INSERT INTO users (email, name) VALUES ('u-' || s || '@example.com', 'U') RETURNING id INTO u;
    INSERT INTO clients (name) VALUES ('c1-' || s) RETURNING id INTO c1;
    INSERT INTO clients (name) VALUES ('c2-' || s) RETURNING id INTO c2;
    INSERT INTO campaigns (client_id, name) VALUES (c1, 'spring') RETURNING id INTO cp1;
    INSERT INTO campaigns (client_id, name) VALUES (c2, 'spring') RETURNING id INTO cp2;
    INSERT INTO tags (name) VALUES ('tag-' || s) RETURNING id INTO t;
    INSERT INTO links (original_url, short_code, user_id, client_id, campaign_id)
        VALUES ('https://a.example/', 'a-' || s, u, c1, cp1) RETURNING id INTO l1;
    INSERT INTO links (original_url, short_code, user_id, client_id)
        VALUES ('https://b.example/', 'b-' || s, u, c1) RETURNING id INTO l2;
    INSERT INTO links (original_url, short_code, user_id, client_id, campaign_id)
        VALUES ('https://o.example/', 'o-' || s, u, c2, cp2) RETURNING id INTO l_other;
    INSERT INTO link_tags (link_id, tag_id) VALUES (l1, t), (l_other, t);
    INSERT INTO clicks (link_id) VALUES (l1), (l2), (l_other);

    DELETE FROM clients WHERE id = c1;

    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM campaigns WHERE client_id = c1), 'client delete: campaigns are gone');
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM links WHERE id IN (l1, l2) OR client_id = c1),
        'client delete: links are gone');
    PERFORM purge_deleted_link_clicks();
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM clicks WHERE link_id IN (l1, l2)), 'client delete: clicks are gone after the purge');
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM link_tags WHERE link_id IN (l1, l2)),
        'client delete: link_tags are gone');

    RETURN NEXT ok(EXISTS (SELECT 1 FROM users WHERE id = u), 'client delete: user remains');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM tags WHERE id = t), 'client delete: tag remains');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM campaigns WHERE id = cp2), 'client delete: other campaigns remain');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM links WHERE id = l_other AND campaign_id = cp2 AND client_id = c2),
        'client delete: other links remain untouched');

    DELETE FROM users WHERE id = u;
    DELETE FROM clients WHERE id = c2;
    DELETE FROM tags WHERE id = t;
END $$;

-- ---------------------------------------------------------------------------
-- 3. Delete campaign -> its links remain with campaign_id NULL and the same
--    client_id; other campaigns' links are untouched.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.check_3_delete_campaign() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    s text := pg_temp.sfx();
    u uuid; c uuid; cp uuid; cp_keep uuid; l1 uuid; l2 uuid; l_keep uuid;
BEGIN
    INSERT INTO users (email, name) VALUES ('u-' || s || '@example.com', 'U') RETURNING id INTO u;
    INSERT INTO clients (name) VALUES ('c-' || s) RETURNING id INTO c;
    INSERT INTO campaigns (client_id, name) VALUES (c, 'doomed') RETURNING id INTO cp;
    INSERT INTO campaigns (client_id, name) VALUES (c, 'kept') RETURNING id INTO cp_keep;
    INSERT INTO links (original_url, short_code, user_id, client_id, campaign_id)
        VALUES ('https://a.example/', 'a-' || s, u, c, cp) RETURNING id INTO l1;
    INSERT INTO links (original_url, short_code, user_id, client_id, campaign_id)
        VALUES ('https://b.example/', 'b-' || s, u, c, cp) RETURNING id INTO l2;
    INSERT INTO links (original_url, short_code, user_id, client_id, campaign_id)
        VALUES ('https://k.example/', 'k-' || s, u, c, cp_keep) RETURNING id INTO l_keep;
    INSERT INTO clicks (link_id) VALUES (l1);

    DELETE FROM campaigns WHERE id = cp;

    RETURN NEXT is((SELECT count(*)::int FROM links
                    WHERE id IN (l1, l2) AND campaign_id IS NULL AND client_id = c AND user_id = u), 2,
        'campaign delete: both links kept with campaign_id NULL and the same client');
    RETURN NEXT is((SELECT count(*)::int FROM clicks WHERE link_id = l1), 1, 'campaign delete: clicks of its links remain');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM links WHERE id = l_keep AND campaign_id = cp_keep),
        'campaign delete: other campaign''s link untouched');

    DELETE FROM users WHERE id = u;
    DELETE FROM clients WHERE id = c;
END $$;

-- ---------------------------------------------------------------------------
-- 4. Delete link -> its clicks and link_tags are gone; tags (and other links'
--    rows) remain.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.check_4_delete_link() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    s text := pg_temp.sfx();
    u uuid; c uuid; t1 uuid; t2 uuid; l uuid; l_other uuid;
BEGIN
    INSERT INTO users (email, name) VALUES ('u-' || s || '@example.com', 'U') RETURNING id INTO u;
    INSERT INTO clients (name) VALUES ('c-' || s) RETURNING id INTO c;
    INSERT INTO tags (name) VALUES ('t1-' || s) RETURNING id INTO t1;
    INSERT INTO tags (name) VALUES ('t2-' || s) RETURNING id INTO t2;
    INSERT INTO links (original_url, short_code, user_id, client_id)
        VALUES ('https://a.example/', 'a-' || s, u, c) RETURNING id INTO l;
    INSERT INTO links (original_url, short_code, user_id, client_id)
        VALUES ('https://o.example/', 'o-' || s, u, c) RETURNING id INTO l_other;
    INSERT INTO link_tags (link_id, tag_id) VALUES (l, t1), (l, t2), (l_other, t1);
    INSERT INTO clicks (link_id) VALUES (l), (l), (l_other);
    INSERT INTO clicks (link_id, "timestamp") VALUES (l, '2999-01-01 00:00:00+00');  -- default partition

    DELETE FROM links WHERE id = l;

    RETURN NEXT is((SELECT count(*)::int FROM clicks WHERE link_id = l), 3, 'link delete: raw clicks stay until the purge');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM deleted_links WHERE link_id = l), 'link delete: the link waits in deleted_links');
    RETURN NEXT is(purge_deleted_link_clicks() >= 3, true, 'link delete: the purge deletes its clicks');
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM clicks WHERE link_id = l), 'link delete: clicks are gone after the purge');
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM link_tags WHERE link_id = l), 'link delete: link_tags are gone');
    RETURN NEXT is((SELECT count(*)::int FROM tags WHERE id IN (t1, t2)), 2, 'link delete: tags remain');
    RETURN NEXT is((SELECT count(*)::int FROM clicks WHERE link_id = l_other), 1, 'link delete: other clicks remain');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM link_tags WHERE link_id = l_other), 'link delete: other link_tags remain');

    DELETE FROM users WHERE id = u;
    DELETE FROM clients WHERE id = c;
    DELETE FROM tags WHERE id IN (t1, t2);
END $$;

-- ---------------------------------------------------------------------------
-- 5. Delete tag -> its link_tags are gone; links remain.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.check_5_delete_tag() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    s text := pg_temp.sfx();
    u uuid; c uuid; t uuid; t_keep uuid; l1 uuid; l2 uuid;
BEGIN
    INSERT INTO users (email, name) VALUES ('u-' || s || '@example.com', 'U') RETURNING id INTO u;
    INSERT INTO clients (name) VALUES ('c-' || s) RETURNING id INTO c;
    INSERT INTO tags (name) VALUES ('doomed-' || s) RETURNING id INTO t;
    INSERT INTO tags (name) VALUES ('kept-' || s) RETURNING id INTO t_keep;
    INSERT INTO links (original_url, short_code, user_id, client_id)
        VALUES ('https://a.example/', 'a-' || s, u, c) RETURNING id INTO l1;
    INSERT INTO links (original_url, short_code, user_id, client_id)
        VALUES ('https://b.example/', 'b-' || s, u, c) RETURNING id INTO l2;
    INSERT INTO link_tags (link_id, tag_id) VALUES (l1, t), (l2, t), (l1, t_keep);

    DELETE FROM tags WHERE id = t;

    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM link_tags WHERE tag_id = t), 'tag delete: link_tags are gone');
    RETURN NEXT is((SELECT count(*)::int FROM links WHERE id IN (l1, l2)), 2, 'tag delete: links remain');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM link_tags WHERE link_id = l1 AND tag_id = t_keep),
        'tag delete: other tags'' link_tags remain');

    DELETE FROM users WHERE id = u;
    DELETE FROM clients WHERE id = c;
    DELETE FROM tags WHERE id = t_keep;
END $$;

-- ---------------------------------------------------------------------------
-- 6. Uniqueness -> 23505 with the documented constraint names.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.check_6_uniqueness() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    s text := pg_temp.sfx();
    u uuid; c uuid; c2 uuid; t uuid;
BEGIN
    INSERT INTO users (email, name) VALUES ('Ana-' || s || '@Example.com', 'Ana') RETURNING id INTO u;
    INSERT INTO clients (name) VALUES ('Acme-' || s) RETURNING id INTO c;
    INSERT INTO clients (name) VALUES ('Other-' || s) RETURNING id INTO c2;
    INSERT INTO tags (name) VALUES ('promo-' || s) RETURNING id INTO t;
    INSERT INTO links (original_url, short_code, user_id, client_id)
        VALUES ('https://a.example/', 'dup-' || s, u, c);
    INSERT INTO campaigns (client_id, name) VALUES (c, 'summer');

    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO clients (name) VALUES (%L)', 'Acme-' || s), '23505', 'clients_name_key',
        'a second client of the same name is refused');
    RETURN NEXT pg_temp.fails_with(
        format('UPDATE clients SET name = %L WHERE id = %L', 'Acme-' || s, c2), '23505', 'clients_name_key',
        'renaming a client to a taken name is refused');
    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO links (original_url, short_code, user_id, client_id) VALUES (%L, %L, %L, %L)',
               'https://b.example/', 'dup-' || s, u, c),
        '23505', 'links_short_code_key', 'a taken short code is refused');
    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO tags (name) VALUES (%L)', 'promo-' || s), '23505', 'tags_name_key',
        'a second tag of the same name is refused');
    -- Email is unique case-insensitively.
    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO users (email, name) VALUES (%L, %L)', lower('Ana-' || s || '@Example.com'), 'Ana 2'),
        '23505', 'users_email_lower_key', 'user email is unique case-insensitively');
    -- Campaign names are unique per client ...
    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO campaigns (client_id, name) VALUES (%L, %L)', c, 'summer'),
        '23505', 'campaigns_client_id_name_key', 'campaign names are unique per client');
    -- ... but the same name under another client is fine.
    RETURN NEXT lives_ok(format('INSERT INTO campaigns (client_id, name) VALUES (%L, %L)', c2, 'summer'),
        'the same campaign name under another client is accepted');
    -- Short codes and tag/client names are case-sensitive.
    RETURN NEXT lives_ok(
        format('INSERT INTO links (original_url, short_code, user_id, client_id) VALUES (%L, %L, %L, %L)',
               'https://c.example/', upper('dup-' || s), u, c),
        'short codes are case-sensitive');
    RETURN NEXT lives_ok(format('INSERT INTO tags (name) VALUES (%L)', upper('promo-' || s)),
        'tag names are case-sensitive');
    -- Token hashes are unique.
    INSERT INTO api_tokens (user_id, name, token_hash, token_prefix)
        VALUES (u, 'a', sha256(convert_to('same-' || s, 'UTF8')), 'sl_a');
    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO api_tokens (user_id, name, token_hash, token_prefix) VALUES (%L, %L, sha256(convert_to(%L, %L)), %L)',
               u, 'b', 'same-' || s, 'UTF8', 'sl_b'),
        '23505', 'api_tokens_token_hash_key', 'token hashes are unique');

    DELETE FROM users WHERE id = u;
    DELETE FROM clients WHERE id IN (c, c2);
    DELETE FROM tags WHERE name IN ('promo-' || s, upper('promo-' || s));
END $$;

-- ---------------------------------------------------------------------------
-- 7. A link's campaign must belong to the link's client -> 23503.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.check_7_foreign_keys() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    s text := pg_temp.sfx();
    u uuid; c1 uuid; c2 uuid; cp1 uuid; cp2 uuid; l uuid;
BEGIN
    INSERT INTO users (email, name) VALUES ('u-' || s || '@example.com', 'U') RETURNING id INTO u;
    INSERT INTO clients (name) VALUES ('c1-' || s) RETURNING id INTO c1;
    INSERT INTO clients (name) VALUES ('c2-' || s) RETURNING id INTO c2;
    INSERT INTO campaigns (client_id, name) VALUES (c1, 'x1') RETURNING id INTO cp1;
    INSERT INTO campaigns (client_id, name) VALUES (c2, 'x2') RETURNING id INTO cp2;

    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO links (original_url, short_code, user_id, client_id, campaign_id) VALUES (%L, %L, %L, %L, %L)',
               'https://a.example/', 'x-' || s, u, c1, cp2),
        '23503', 'links_campaign_client_fkey', 'a link with another client''s campaign is refused');
    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO links (original_url, short_code, user_id, client_id, campaign_id) VALUES (%L, %L, %L, %L, %L)',
               'https://a.example/', 'x-' || s, u, c1, gen_random_uuid()),
        '23503', 'links_campaign_client_fkey', 'a link with a nonexistent campaign is refused');

    INSERT INTO links (original_url, short_code, user_id, client_id, campaign_id)
        VALUES ('https://a.example/', 'ok-' || s, u, c1, cp1) RETURNING id INTO l;

    -- Update the link to another client's campaign, or move the link to another
    -- client while keeping its campaign.
    RETURN NEXT pg_temp.fails_with(
        format('UPDATE links SET campaign_id = %L WHERE id = %L', cp2, l), '23503', 'links_campaign_client_fkey',
        'moving a link to another client''s campaign is refused');
    RETURN NEXT pg_temp.fails_with(
        format('UPDATE links SET client_id = %L WHERE id = %L', c2, l), '23503', 'links_campaign_client_fkey',
        'moving a link to another client while keeping its campaign is refused');
    -- Moving a campaign (that has links) to another client is refused too.
    RETURN NEXT pg_temp.fails_with(
        format('UPDATE campaigns SET client_id = %L WHERE id = %L', c2, cp1), '23503', 'links_campaign_client_fkey',
        'moving a campaign that has links to another client is refused');
    -- Moving link and campaign together is fine.
    UPDATE links SET client_id = c2, campaign_id = cp2 WHERE id = l;
    RETURN NEXT ok(EXISTS (SELECT 1 FROM links WHERE id = l AND client_id = c2 AND campaign_id = cp2),
        'moving a link with its new client''s campaign is accepted');

    -- Other FKs.
    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO links (original_url, short_code, user_id, client_id) VALUES (%L, %L, %L, %L)',
               'https://a.example/', 'nou-' || s, gen_random_uuid(), c1),
        '23503', 'links_user_id_fkey', 'a link of a nonexistent user is refused');
    -- No foreign key on clicks (0011): the writer stores what it captured; the rollup
    -- worker deletes rows of links that are gone, and readers keep rows whose link exists.
    RETURN NEXT is(pg_temp.error_of(format('INSERT INTO clicks (link_id) VALUES (%L)', gen_random_uuid())), 'no error',
        'a click of a nonexistent link is stored (no per-row foreign-key check)');

    DELETE FROM users WHERE id = u;
    DELETE FROM clients WHERE id IN (c1, c2);
END $$;

-- ---------------------------------------------------------------------------
-- 8. CHECK constraints -> 23514 (short_code format, blanks, URL length,
--    redirect status, finite expiry, token hash length); and the boundary
--    values that must be accepted.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.check_8_checks() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    s text := pg_temp.sfx();
    u uuid; c uuid; bad text;
    ins_link constant text :=
        'INSERT INTO links (original_url, short_code, user_id, client_id) VALUES (%L, %L, %L, %L)';
BEGIN
    INSERT INTO users (email, name) VALUES ('u-' || s || '@example.com', 'U') RETURNING id INTO u;
    INSERT INTO clients (name) VALUES ('c-' || s) RETURNING id INTO c;

    FOREACH bad IN ARRAY ARRAY['', 'has space', 'a/b', 'a.b', 'ümlaut', 'a?x=1', E'abc\n', repeat('x', 65)] LOOP
        RETURN NEXT pg_temp.fails_with(format(ins_link, 'https://a.example/', bad, u, c),
            '23514', 'links_short_code_format', format('short code %s is refused', to_json(bad)));
    END LOOP;
    -- Accepted: full alphabet, and exactly 64 characters.
    RETURN NEXT lives_ok(format(ins_link, 'https://a.example/', 'AZaz09_-' || s, u, c),
        'a short code of the whole alphabet is accepted');
    RETURN NEXT lives_ok(format(ins_link, 'https://a.example/', rpad('L' || s, 64, 'x'), u, c),
        'a short code of 64 characters is accepted');
    -- Updating to an invalid code is refused as well.
    RETURN NEXT pg_temp.fails_with(
        format('UPDATE links SET short_code = %L WHERE short_code = %L', 'bad code', 'AZaz09_-' || s),
        '23514', 'links_short_code_format', 'renaming a link to an invalid short code is refused');

    -- original_url: non-blank, at most 8192 characters.
    RETURN NEXT pg_temp.fails_with(format(ins_link, '', 'e1' || s, u, c), '23514', 'links_original_url_not_blank',
        'an empty original_url is refused');
    RETURN NEXT pg_temp.fails_with(format(ins_link, E' \t ', 'e2' || s, u, c), '23514', 'links_original_url_not_blank',
        'a blank original_url is refused');
    RETURN NEXT pg_temp.fails_with(
        format(ins_link, 'https://x.example/' || repeat('a', 8192 - 18 + 1), 'e3' || s, u, c),
        '23514', 'links_original_url_length', 'an original_url of 8193 characters is refused');
    RETURN NEXT lives_ok(format(ins_link, 'https://x.example/' || repeat('a', 8192 - 18), 'max' || s, u, c),
        'an original_url of 8192 characters is accepted');

    -- redirect_status: only 301, 302, 307, 308; expires_at: NULL or finite.
    FOREACH bad IN ARRAY ARRAY['300', '303', '304', '0'] LOOP
        RETURN NEXT pg_temp.fails_with(
            format('UPDATE links SET redirect_status = %s WHERE short_code = %L', bad, 'max' || s),
            '23514', 'links_redirect_status_check', format('redirect_status %s is refused', bad));
    END LOOP;
    RETURN NEXT lives_ok(format('UPDATE links SET redirect_status = 301 WHERE short_code = %L', 'max' || s),
        'redirect_status 301 is accepted');
    RETURN NEXT lives_ok(format('UPDATE links SET redirect_status = 307 WHERE short_code = %L', 'max' || s),
        'redirect_status 307 is accepted');
    RETURN NEXT lives_ok(format('UPDATE links SET redirect_status = 308 WHERE short_code = %L', 'max' || s),
        'redirect_status 308 is accepted');
    FOREACH bad IN ARRAY ARRAY['infinity', '-infinity'] LOOP
        RETURN NEXT pg_temp.fails_with(
            format('UPDATE links SET expires_at = %L WHERE short_code = %L', bad, 'max' || s),
            '23514', 'links_expires_at_finite', format('expires_at %s is refused', bad));
    END LOOP;
    RETURN NEXT lives_ok(
        format('UPDATE links SET expires_at = now() + interval ''1 day'', forward_query = true WHERE short_code = %L', 'max' || s),
        'a finite expires_at and forward_query are accepted');
    RETURN NEXT lives_ok(format('UPDATE links SET expires_at = NULL WHERE short_code = %L', 'max' || s),
        'expires_at NULL is accepted');

    -- Blank names / emails.
    RETURN NEXT pg_temp.fails_with('INSERT INTO users (email, name) VALUES (''  '', ''N'')', '23514', 'users_email_not_blank',
        'a blank user email is refused');
    RETURN NEXT pg_temp.fails_with(format('INSERT INTO users (email, name) VALUES (%L, %L)', 'b-' || s || '@x.io', E'\t'),
        '23514', 'users_name_not_blank', 'a blank user name is refused');
    RETURN NEXT pg_temp.fails_with('INSERT INTO clients (name) VALUES ('' '')', '23514', 'clients_name_not_blank',
        'a blank client name is refused');
    RETURN NEXT pg_temp.fails_with('INSERT INTO tags (name) VALUES ('''')', '23514', 'tags_name_not_blank',
        'an empty tag name is refused');
    RETURN NEXT pg_temp.fails_with(format('INSERT INTO campaigns (client_id, name) VALUES (%L, %L)', c, '   '),
        '23514', 'campaigns_name_not_blank', 'a blank campaign name is refused');

    -- NOT NULLs.
    RETURN NEXT throws_ok(format('INSERT INTO links (original_url, short_code, user_id) VALUES (%L, %L, %L)',
                                 'https://a.example/', 'nn' || s, u), '23502'::char(5), NULL::text,
        'a link without a client is refused (NOT NULL)');
    RETURN NEXT throws_ok('INSERT INTO users (email) VALUES (''x@y.z'')', '23502'::char(5), NULL::text,
        'a user without a name is refused (NOT NULL)');

    -- api_tokens: the hash must be a raw 32-byte SHA-256 digest.
    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO api_tokens (user_id, name, token_hash, token_prefix) VALUES (%L, %L, %L::bytea, %L)',
               u, 'raw', convert_to('plain-token', 'UTF8'), 'sl_x'),
        '23514', 'api_tokens_token_hash_sha256', 'a token hash that is not a 32-byte digest is refused');
    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO api_tokens (user_id, name, token_hash, token_prefix) VALUES (%L, %L, sha256(%L::bytea), %L)',
               u, ' ', '\x01', 'sl_x'),
        '23514', 'api_tokens_name_not_blank', 'a blank token name is refused');
    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO api_tokens (user_id, name, token_hash, token_prefix) VALUES (%L, %L, sha256(%L::bytea), %L)',
               u, 'n', '\x02', ''),
        '23514', 'api_tokens_token_prefix_not_blank', 'an empty token prefix is refused');
    RETURN NEXT pg_temp.fails_with(
        format('INSERT INTO api_tokens (user_id, name, token_hash, token_prefix, scope) VALUES (%L, %L, sha256(%L::bytea), %L, %L)',
               u, 'n', '\x03', 'sl_x', 'admin'),
        '23514', 'api_tokens_scope_check', 'a token scope other than read-write or read-only is refused');

    DELETE FROM users WHERE id = u;
    DELETE FROM clients WHERE id = c;
END $$;

-- ---------------------------------------------------------------------------
-- 9. updated_at is set by the trigger on UPDATE (users, clients, campaigns,
--    links, tags). Rows are inserted with timestamps in the past (INSERT does
--    not fire the trigger); after an UPDATE, updated_at must be now() (the
--    transaction start) and created_at unchanged. A client-supplied
--    updated_at is overridden. And across transactions (the probe set up at
--    the top of this file), updated_at advances.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.check_9_updated_at() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    s text := pg_temp.sfx();
    past constant timestamptz := '2001-02-03 04:05:06+00';
    u uuid; c uuid; cp uuid; l uuid; t uuid;
BEGIN
    INSERT INTO users (email, name, created_at, updated_at)
        VALUES ('u-' || s || '@example.com', 'U', past, past) RETURNING id INTO u;
    INSERT INTO clients (name, created_at, updated_at) VALUES ('c-' || s, past, past) RETURNING id INTO c;
    INSERT INTO campaigns (client_id, name, created_at, updated_at) VALUES (c, 'x', past, past) RETURNING id INTO cp;
    INSERT INTO links (original_url, short_code, user_id, client_id, campaign_id, created_at, updated_at)
        VALUES ('https://a.example/', 'a-' || s, u, c, cp, past, past) RETURNING id INTO l;
    INSERT INTO tags (name, created_at, updated_at) VALUES ('t-' || s, past, past) RETURNING id INTO t;

    RETURN NEXT is((SELECT updated_at FROM users WHERE id = u), past, 'an insert keeps the given updated_at');

    UPDATE users     SET name = 'U2', updated_at = past WHERE id = u;  -- explicit value is overridden
    UPDATE clients   SET name = 'c2-' || s      WHERE id = c;
    UPDATE campaigns SET name = 'y'             WHERE id = cp;
    UPDATE links     SET original_url = 'https://b.example/' WHERE id = l;
    UPDATE tags      SET name = 't2-' || s      WHERE id = t;

    RETURN NEXT ok((SELECT updated_at = now() AND created_at = past FROM users WHERE id = u),
        'users.updated_at is set on update (an explicit value is overridden)');
    RETURN NEXT ok((SELECT updated_at = now() AND created_at = past FROM clients WHERE id = c), 'clients.updated_at is set on update');
    RETURN NEXT ok((SELECT updated_at = now() AND created_at = past FROM campaigns WHERE id = cp), 'campaigns.updated_at is set on update');
    RETURN NEXT ok((SELECT updated_at = now() AND created_at = past FROM links WHERE id = l), 'links.updated_at is set on update');
    RETURN NEXT ok((SELECT updated_at = now() AND created_at = past FROM tags WHERE id = t), 'tags.updated_at is set on update');

    -- Setting only updated_at explicitly is overridden as well.
    UPDATE links SET updated_at = past WHERE id = l;
    RETURN NEXT is((SELECT updated_at FROM links WHERE id = l), now(), 'an update of updated_at alone is overridden');

    RETURN NEXT ok((SELECT tg.updated_at > p.before AND tg.updated_at > tg.created_at
                    FROM tags tg JOIN ua_probe p ON p.id = tg.id),
        'tags.updated_at advances on an update in a later transaction');

    DELETE FROM users WHERE id = u;
    DELETE FROM clients WHERE id = c;
    DELETE FROM tags WHERE id = t;
END $$;

-- ---------------------------------------------------------------------------
-- 10. Click partitions: clicks_default catches months without a partition;
--     ensure_click_partitions moves those rows into the new monthly
--     partition and returns the number of partitions created; a second call
--     returns 0; drop_click_partitions_before drops whole old partitions only.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.check_10_partitions() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    s text := pg_temp.sfx();
    u uuid; c uuid; l uuid;
    k_start uuid := gen_random_uuid();   -- 2000-01-01 00:00:00 UTC (first instant of Jan)
    k_mid   uuid := gen_random_uuid();
    k_end   uuid := gen_random_uuid();   -- last microsecond of Jan UTC
    k_feb   uuid := gen_random_uuid();   -- 2000-02-01 00:00:00 UTC (first instant of Feb)
    k_far   uuid := gen_random_uuid();   -- far future: no partition, stays in default
    n int;
    parts_before int;
    zone constant text := current_setting('TimeZone');
    part_count constant text :=
        'SELECT count(*)::int FROM pg_inherits WHERE inhparent = ''clicks''::regclass';
BEGIN
    -- Preconditions: default partition exists; test months have no partition.
    RETURN NEXT is((SELECT partdefid::regclass::text FROM pg_partitioned_table WHERE partrelid = 'clicks'::regclass),
        'clicks_default', 'clicks_default is the default partition');
    RETURN NEXT ok(to_regclass('clicks_p200001') IS NULL AND to_regclass('clicks_p200002') IS NULL
           AND to_regclass('clicks_p200003') IS NULL,
        'precondition: the test partitions do not exist');

    -- The migration created previous month .. +3 months (5 partitions).
    FOR i IN -1 .. 3 LOOP
        RETURN NEXT ok(to_regclass('clicks_p' || to_char(date_trunc('month', now() AT TIME ZONE 'UTC')
                                                 + make_interval(months => i), 'YYYYMM')) IS NOT NULL,
            format('the migration created the partition for month offset %s', i));
    END LOOP;

    INSERT INTO users (email, name) VALUES ('u-' || s || '@example.com', 'U') RETURNING id INTO u;
    INSERT INTO clients (name) VALUES ('c-' || s) RETURNING id INTO c;
    INSERT INTO links (original_url, short_code, user_id, client_id)
        VALUES ('https://a.example/', 'a-' || s, u, c) RETURNING id INTO l;

    -- Run in a non-UTC session time zone: month bounds must still be UTC. (Reset at the
    -- end: all checks share one transaction.)
    PERFORM set_config('TimeZone', 'Pacific/Auckland', true);

    INSERT INTO clicks (id, link_id, "timestamp", country, is_bot, visitor_hash) VALUES
        (k_start, l, '2000-01-01 00:00:00+00',        'DE', false, 42),
        (k_mid,   l, '2000-01-15 12:34:56+00',        'FR', true,  43),
        (k_end,   l, '2000-01-31 23:59:59.999999+00', NULL, false, NULL),
        (k_feb,   l, '2000-02-01 00:00:00+00',        NULL, false, NULL),
        (k_far,   l, '2999-12-31 00:00:00+00',        NULL, false, NULL);

    RETURN NEXT is((SELECT count(*)::int FROM clicks WHERE link_id = l AND tableoid = 'clicks_default'::regclass), 5,
        'all 5 clicks land in clicks_default');

    -- Replays are idempotent with ON CONFLICT (id, "timestamp") DO NOTHING ...
    INSERT INTO clicks (id, link_id, "timestamp") VALUES (k_mid, l, '2000-01-15 12:34:56+00')
        ON CONFLICT (id, "timestamp") DO NOTHING;
    RETURN NEXT is((SELECT count(*)::int FROM clicks WHERE link_id = l), 5, 'ON CONFLICT DO NOTHING skips the replay');
    -- ... and a plain duplicate is a 23505 on clicks' PK.
    RETURN NEXT throws_ok(
        format('INSERT INTO clicks (id, link_id, "timestamp") VALUES (%L, %L, %L)', k_mid, l, '2000-01-15 12:34:56+00'),
        '23505'::char(5), NULL::text, 'a plain duplicate click is a unique violation');

    parts_before := 0; EXECUTE part_count INTO parts_before;

    -- Create January 2000 only.
    RETURN NEXT is(ensure_click_partitions(0, '2000-01-01'), 1, 'ensure_click_partitions(0, 2000-01-01) creates 1');
    RETURN NEXT ok(to_regclass('clicks_p200001') IS NOT NULL, 'clicks_p200001 exists');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM pg_inherits
                   WHERE inhrelid = 'clicks_p200001'::regclass AND inhparent = 'clicks'::regclass),
        'clicks_p200001 is attached to clicks');

    RETURN NEXT is((SELECT count(*)::int FROM clicks WHERE id IN (k_start, k_mid, k_end)
            AND tableoid = 'clicks_p200001'::regclass), 3,
        'the three January rows moved into clicks_p200001 (UTC month bounds)');
    RETURN NEXT is((SELECT tableoid::regclass::text FROM clicks WHERE id = k_feb), 'clicks_default',
        'the February row stays in clicks_default');
    RETURN NEXT is((SELECT tableoid::regclass::text FROM clicks WHERE id = k_far), 'clicks_default',
        'the far-future row stays in clicks_default');
    RETURN NEXT is((SELECT count(*)::int FROM clicks WHERE link_id = l), 5, 'moving loses and duplicates no row');
    RETURN NEXT ok((SELECT country = 'FR' AND is_bot AND visitor_hash = 43 AND "timestamp" = '2000-01-15 12:34:56+00'
            FROM clicks WHERE id = k_mid), 'a moved row keeps its values');

    -- The new partition got the partitioned indexes (the PK and the BRIN on "timestamp")
    -- and, since 0011, no foreign key.
    RETURN NEXT is((SELECT count(*)::int FROM pg_index WHERE indrelid = 'clicks_p200001'::regclass), 2,
        'clicks_p200001 has 2 indexes');
    RETURN NEXT is((SELECT count(*)::int FROM pg_inherits i JOIN pg_index x ON x.indexrelid = i.inhrelid
            WHERE x.indrelid = 'clicks_p200001'::regclass), 2,
        'clicks_p200001''s indexes are attached to the partitioned indexes');
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'clicks_p200001'::regclass AND contype = 'f'),
        'clicks_p200001 has no foreign key (0011)');
    -- Bounds are UTC month boundaries.
    RETURN NEXT is((SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = 'clicks_p200001'::regclass),
        format('FOR VALUES FROM (%L) TO (%L)',
               '2000-01-01 00:00:00+00'::timestamptz, '2000-02-01 00:00:00+00'::timestamptz),
        'clicks_p200001 bounds are [2000-01-01, 2000-02-01) UTC');

    -- New inserts for the month now route to the partition; duplicates still conflict.
    INSERT INTO clicks (link_id, "timestamp") VALUES (l, '2000-01-20 00:00:00+00');
    RETURN NEXT is((SELECT count(*)::int FROM clicks WHERE link_id = l AND tableoid = 'clicks_p200001'::regclass), 4,
        'a new January click routes to clicks_p200001');
    INSERT INTO clicks (id, link_id, "timestamp") VALUES (k_mid, l, '2000-01-15 12:34:56+00')
        ON CONFLICT (id, "timestamp") DO NOTHING;
    RETURN NEXT is((SELECT count(*)::int FROM clicks WHERE link_id = l), 6, 'ON CONFLICT DO NOTHING on the new partition');

    -- Idempotent.
    RETURN NEXT is(ensure_click_partitions(0, '2000-01-01'), 0, 'a second ensure_click_partitions(0, 2000-01-01) creates 0');
    -- from_month is truncated to its month.
    RETURN NEXT is(ensure_click_partitions(0, '2000-01-17'), 0, 'ensure_click_partitions(0, 2000-01-17) creates 0');
    -- Jan exists; Feb (moving the February row) and Mar are created.
    RETURN NEXT is(ensure_click_partitions(2, '2000-01-01'), 2, 'ensure_click_partitions(2, 2000-01-01) creates 2');
    RETURN NEXT ok(to_regclass('clicks_p200003') IS NOT NULL, 'clicks_p200003 exists');
    RETURN NEXT is((SELECT tableoid::regclass::text FROM clicks WHERE id = k_feb), 'clicks_p200002',
        'the February row moved into clicks_p200002');
    RETURN NEXT is(ensure_click_partitions(2, '2000-01-01'), 0, 'a repeated ensure_click_partitions(2, 2000-01-01) creates 0');
    -- Default arguments cover months the migration already created.
    RETURN NEXT is(ensure_click_partitions(), 0, 'ensure_click_partitions() right after the migration creates 0');

    EXECUTE part_count INTO n;
    RETURN NEXT is(n, parts_before + 3, 'exactly three partitions were added');

    -- A same-named table that is not a partition is an error, not silently skipped.
    CREATE TABLE clicks_p199901 (x int);
    RETURN NEXT throws_ok('SELECT ensure_click_partitions(0, ''1999-01-01'')', 'P0001'::char(5), NULL::text,
        'ensure_click_partitions refuses a same-named table that is not a partition');
    DROP TABLE clicks_p199901;

    -- Bad arguments.
    RETURN NEXT throws_ok('SELECT ensure_click_partitions(-1)', 'P0001'::char(5), NULL::text,
        'ensure_click_partitions(-1) is refused');
    RETURN NEXT throws_ok('SELECT drop_click_partitions_before(NULL)', 'P0001'::char(5), NULL::text,
        'drop_click_partitions_before(NULL) is refused');

    -- Retention. Cutoff inside February: only January lies entirely before it.
    RETURN NEXT is(drop_click_partitions_before('2000-02-15'), 1, 'drop_click_partitions_before(2000-02-15) drops 1');
    RETURN NEXT ok(to_regclass('clicks_p200001') IS NULL, 'clicks_p200001 is dropped');
    RETURN NEXT ok(to_regclass('clicks_p200002') IS NOT NULL, 'clicks_p200002 straddles the cutoff and is kept');
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM clicks WHERE id IN (k_start, k_mid, k_end)), 'the January rows went with their partition');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM clicks WHERE id = k_feb), 'the February row is kept');

    -- Nothing more to drop for the same cutoff.
    RETURN NEXT is(drop_click_partitions_before('2000-02-15'), 0, 'a repeated drop drops 0');

    -- Cutoff exactly at the end of March drops February and March.
    RETURN NEXT is(drop_click_partitions_before('2000-04-01'), 2, 'drop_click_partitions_before(2000-04-01) drops 2');
    RETURN NEXT ok(to_regclass('clicks_p200002') IS NULL AND to_regclass('clicks_p200003') IS NULL,
        'clicks_p200002 and clicks_p200003 are dropped');

    -- The default partition is never dropped, whatever the cutoff, and the
    -- current partitions are not touched by an old cutoff.
    RETURN NEXT ok(to_regclass('clicks_default') IS NOT NULL, 'clicks_default survives');
    RETURN NEXT ok(EXISTS (SELECT 1 FROM clicks WHERE id = k_far AND tableoid = 'clicks_default'::regclass),
        'rows in clicks_default are not touched by retention');
    EXECUTE part_count INTO n;
    RETURN NEXT is(n, parts_before, 'the live partitions are untouched');

    DELETE FROM users WHERE id = u;   -- cascades to the link; the purge takes its remaining clicks
    PERFORM purge_deleted_link_clicks();
    RETURN NEXT ok(NOT EXISTS (SELECT 1 FROM clicks WHERE link_id = l), 'deleting the user and purging removes the remaining clicks');
    DELETE FROM clients WHERE id = c;
    PERFORM set_config('TimeZone', zone, true);
END $$;

-- A cutoff in the far future drops every monthly partition but never the default one.
-- The drop runs in a subtransaction that is rolled back (by raising SLRBK), so the
-- database keeps its live partitions; the results are taken out in variables.
CREATE FUNCTION pg_temp.check_10_far_future_cutoff() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    n int; total int; remaining text[];
BEGIN
    BEGIN
        SELECT count(*) - 1 INTO total FROM pg_inherits WHERE inhparent = 'clicks'::regclass;
        n := drop_click_partitions_before('9999-01-01');
        SELECT array_agg(inhrelid::regclass::text) INTO remaining FROM pg_inherits WHERE inhparent = 'clicks'::regclass;
        RAISE EXCEPTION 'roll back' USING ERRCODE = 'SLRBK';
    EXCEPTION WHEN SQLSTATE 'SLRBK' THEN
        NULL;
    END;
    RETURN NEXT is(n, total, 'a far-future cutoff drops every monthly partition');
    RETURN NEXT is(remaining, ARRAY['clicks_default'], 'only clicks_default remains after a far-future cutoff');
    RETURN NEXT ok(to_regclass('clicks_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMM')) IS NOT NULL,
        'the far-future drop was rolled back');
END $$;

-- ---------------------------------------------------------------------------
-- 11. links_notify_changed: an enabled AFTER INSERT OR UPDATE OR DELETE row
--     trigger on links calling notify_link_changed(). (What it sends, on
--     channel link_changed, is checked by the Swift tests, which can LISTEN.)
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.check_11_notify_trigger() RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEXT trigger_is('links', 'links_notify_changed', 'notify_link_changed',
        'links_notify_changed calls notify_link_changed()');
    RETURN NEXT ok(EXISTS (
        SELECT 1 FROM pg_trigger tg
        WHERE tg.tgrelid = 'links'::regclass
          AND tg.tgname = 'links_notify_changed'
          AND tg.tgfoid = 'notify_link_changed()'::regprocedure
          AND NOT tg.tgisinternal
          AND tg.tgenabled = 'O'
          AND (tg.tgtype & 1) = 1      -- FOR EACH ROW
          AND (tg.tgtype & 2) = 0      -- AFTER
          AND (tg.tgtype & 4) = 4      -- INSERT
          AND (tg.tgtype & 8) = 8      -- DELETE
          AND (tg.tgtype & 16) = 16),  -- UPDATE
        'links has the enabled AFTER INSERT OR UPDATE OR DELETE row trigger links_notify_changed');
END $$;

-- ---------------------------------------------------------------------------
-- The run: one transaction, rolled back.
-- ---------------------------------------------------------------------------
BEGIN;
SELECT plan(162);
SELECT * FROM pg_temp.check_0_structure();
SELECT * FROM pg_temp.check_1_delete_user();
SELECT * FROM pg_temp.check_2_delete_client();
SELECT * FROM pg_temp.check_3_delete_campaign();
SELECT * FROM pg_temp.check_4_delete_link();
SELECT * FROM pg_temp.check_5_delete_tag();
SELECT * FROM pg_temp.check_6_uniqueness();
SELECT * FROM pg_temp.check_7_foreign_keys();
SELECT * FROM pg_temp.check_8_checks();
SELECT * FROM pg_temp.check_9_updated_at();
SELECT * FROM pg_temp.check_10_partitions();
SELECT * FROM pg_temp.check_10_far_future_cutoff();
SELECT * FROM pg_temp.check_11_notify_trigger();
SELECT * FROM finish();
ROLLBACK;
