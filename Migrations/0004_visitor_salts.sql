-- 0004_visitor_salts.sql
-- The daily secret behind clicks.visitor_hash.
--
-- visitor_hash = SipHash-2-4 keyed with the salt of the click's UTC day, over the
-- client address and the User-Agent. Every instance writing to this database uses
-- the same salt for a day (the first writer creates it, the others read it), so a
-- visitor is counted once across instances. Salts older than yesterday are deleted
-- by the writer's daily housekeeping: after that, a stored hash can no longer be
-- recomputed from a guessed address, even by someone who can read this table.
CREATE TABLE visitor_salts (
    day         date        PRIMARY KEY,
    salt        bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT visitor_salts_salt_length CHECK (octet_length(salt) = 16)
);
