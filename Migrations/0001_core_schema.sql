-- 0001_core_schema.sql
-- Core tables of shortlinks: users, clients, campaigns, links, tags, link_tags,
-- api_tokens. Clicks live in 0002_clicks.sql.
--
-- Applied by the migration runner inside a single transaction (no BEGIN/COMMIT
-- here). Objects are created unqualified, i.e. in the first schema of the
-- runner's search_path.
--
-- Conventions:
--   * ids are uuid with a server-side default, so a plain SQL insert with only
--     the required columns works; the app may still send its own ids.
--   * created_at / updated_at default to now(); updated_at is maintained by the
--     shared trigger function set_updated_at() on every table that has it.
--   * Constraints carry explicit names because the app maps SQLSTATE +
--     constraint name to API errors (e.g. 23505 on links_short_code_key).
--   * "Blank" means empty after trimming spaces, tabs, CR and LF.

-- ---------------------------------------------------------------------------
-- Shared trigger function
-- ---------------------------------------------------------------------------

-- now() is the transaction start time, so created_at and updated_at of rows
-- written in the same transaction agree, and an UPDATE in the same
-- transaction as the INSERT leaves updated_at = created_at. The trigger always
-- wins over a value sent by the client, so updated_at cannot be forged or
-- forgotten.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION set_updated_at() IS
    'BEFORE UPDATE row trigger: sets NEW.updated_at to now() (transaction start).';

-- ---------------------------------------------------------------------------
-- users
-- ---------------------------------------------------------------------------

CREATE TABLE users (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    email       text        NOT NULL,
    name        text        NOT NULL,
    avatar_url  text        NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_not_blank CHECK (btrim(email, E' \t\r\n') <> ''),
    CONSTRAINT users_name_not_blank  CHECK (btrim(name,  E' \t\r\n') <> '')
);

-- Case-insensitive uniqueness without citext: 'Ana@x.io' and 'ana@x.io' are the
-- same account. The stored value keeps the user's spelling. Lookups by email
-- must use lower(email) = lower($1) to hit this index. On conflict the error
-- is 23505 with constraint name users_email_lower_key.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TRIGGER users_set_updated_at
    BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- ---------------------------------------------------------------------------
-- clients
-- ---------------------------------------------------------------------------

CREATE TABLE clients (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- Case-sensitive on purpose (spec: plain UNIQUE).
    CONSTRAINT clients_name_key UNIQUE (name),
    CONSTRAINT clients_name_not_blank CHECK (btrim(name, E' \t\r\n') <> '')
);

CREATE TRIGGER clients_set_updated_at
    BEFORE UPDATE ON clients
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- ---------------------------------------------------------------------------
-- campaigns
-- ---------------------------------------------------------------------------

CREATE TABLE campaigns (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id   uuid        NOT NULL
                            CONSTRAINT campaigns_client_id_fkey
                            REFERENCES clients (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- Campaign names are unique per client only. This index also serves the
    -- client_id foreign key (leading column), so no separate index is needed.
    CONSTRAINT campaigns_client_id_name_key UNIQUE (client_id, name),
    -- Redundant as a uniqueness rule (id is already the PK) but required as the
    -- target of links' composite FK (campaign_id, client_id), which is what
    -- makes "a link's campaign belongs to the link's client" a database rule.
    CONSTRAINT campaigns_id_client_id_key UNIQUE (id, client_id),
    CONSTRAINT campaigns_name_not_blank CHECK (btrim(name, E' \t\r\n') <> '')
);

CREATE TRIGGER campaigns_set_updated_at
    BEFORE UPDATE ON campaigns
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- ---------------------------------------------------------------------------
-- links
-- ---------------------------------------------------------------------------

CREATE TABLE links (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    original_url  text        NOT NULL,
    short_code    text        NOT NULL,
    user_id       uuid        NOT NULL
                              CONSTRAINT links_user_id_fkey
                              REFERENCES users (id) ON DELETE CASCADE,
    client_id     uuid        NOT NULL
                              CONSTRAINT links_client_id_fkey
                              REFERENCES clients (id) ON DELETE CASCADE,
    campaign_id   uuid        NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),

    -- Short codes are case-sensitive ('Abc' and 'abc' are different links).
    CONSTRAINT links_short_code_key UNIQUE (short_code),
    -- The length limit is part of the regex so one constraint covers it.
    CONSTRAINT links_short_code_format CHECK (short_code ~ '^[A-Za-z0-9_-]{1,64}$'),
    CONSTRAINT links_original_url_not_blank CHECK (btrim(original_url, E' \t\r\n') <> ''),
    CONSTRAINT links_original_url_length CHECK (char_length(original_url) <= 8192),

    -- A link's campaign must belong to the link's client. The composite FK
    -- does that: (campaign_id, client_id) must exist as (id, client_id) in
    -- campaigns. With campaign_id NULL the FK is not checked (MATCH SIMPLE).
    -- ON DELETE SET NULL (campaign_id) (PG 15+) nulls only campaign_id when
    -- the campaign is deleted; a plain SET NULL would also null client_id,
    -- which is NOT NULL and would make the delete fail.
    -- ON UPDATE is NO ACTION: moving a campaign to another client while it
    -- still has links fails with 23503 instead of silently breaking the rule.
    CONSTRAINT links_campaign_client_fkey
        FOREIGN KEY (campaign_id, client_id)
        REFERENCES campaigns (id, client_id)
        ON DELETE SET NULL (campaign_id)
);

-- FK lookups for the cascades (user/client delete, campaign SET NULL) and the
-- usual list filters. created_at serves "newest first" listings.
CREATE INDEX links_user_id_idx     ON links (user_id);
CREATE INDEX links_client_id_idx   ON links (client_id);
CREATE INDEX links_campaign_id_idx ON links (campaign_id);
CREATE INDEX links_created_at_idx  ON links (created_at);

CREATE TRIGGER links_set_updated_at
    BEFORE UPDATE ON links
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- ---------------------------------------------------------------------------
-- tags and link_tags
-- ---------------------------------------------------------------------------

CREATE TABLE tags (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- Case-sensitive on purpose (spec: plain UNIQUE).
    CONSTRAINT tags_name_key UNIQUE (name),
    CONSTRAINT tags_name_not_blank CHECK (btrim(name, E' \t\r\n') <> '')
);

CREATE TRIGGER tags_set_updated_at
    BEFORE UPDATE ON tags
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Pure association table: the pair is the identity, so no surrogate id and no
-- updated_at (rows are inserted and deleted, never updated). created_at is
-- kept because "tagged at" is cheap and occasionally useful.
CREATE TABLE link_tags (
    link_id     uuid        NOT NULL
                            CONSTRAINT link_tags_link_id_fkey
                            REFERENCES links (id) ON DELETE CASCADE,
    tag_id      uuid        NOT NULL
                            CONSTRAINT link_tags_tag_id_fkey
                            REFERENCES tags (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT link_tags_pkey PRIMARY KEY (link_id, tag_id)
);

-- The PK covers lookups by link_id; this one covers "links with tag X" and the
-- tag-delete cascade.
CREATE INDEX link_tags_tag_id_idx ON link_tags (tag_id);

-- ---------------------------------------------------------------------------
-- api_tokens
-- ---------------------------------------------------------------------------

-- Only a SHA-256 digest of the token is stored; the plaintext token is shown
-- to the user once at creation and never persisted. token_prefix (the first
-- few characters of the token) lets the user recognise a token in listings.
-- A token is usable iff revoked_at IS NULL AND (expires_at IS NULL OR
-- expires_at > now()); that is checked by the app, not by a constraint, so
-- expired/revoked rows stay around for auditing.
-- No updated_at: the only mutable fields (last_used_at, revoked_at) are
-- timestamps themselves, and last_used_at is written on every request.
CREATE TABLE api_tokens (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid        NOT NULL
                              CONSTRAINT api_tokens_user_id_fkey
                              REFERENCES users (id) ON DELETE CASCADE,
    name          text        NOT NULL,
    token_hash    bytea       NOT NULL,
    token_prefix  text        NOT NULL,
    last_used_at  timestamptz NULL,
    revoked_at    timestamptz NULL,
    expires_at    timestamptz NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Authentication looks tokens up by hash; this unique index is that lookup.
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash),
    -- 32 bytes = raw SHA-256 digest (not hex, not the token itself).
    CONSTRAINT api_tokens_token_hash_sha256 CHECK (octet_length(token_hash) = 32),
    CONSTRAINT api_tokens_name_not_blank CHECK (btrim(name, E' \t\r\n') <> ''),
    CONSTRAINT api_tokens_token_prefix_not_blank CHECK (btrim(token_prefix, E' \t\r\n') <> '')
);

CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);
