-- 0007_token_scopes.sql
-- API tokens get a scope: 'read-write' (every request, what all existing tokens keep)
-- or 'read-only' (GET and HEAD only; the app answers anything else with 403
-- token_read_only). Expiry already has its column (expires_at, 0001); the app now
-- answers an expired token with 401 token_expired instead of invalid_credentials.
-- The scope is text with a CHECK rather than an enum type so that adding a scope
-- later is one constraint swap, not an ALTER TYPE outside a transaction.
ALTER TABLE api_tokens
    ADD COLUMN scope text NOT NULL DEFAULT 'read-write'
        CONSTRAINT api_tokens_scope_check CHECK (scope IN ('read-write', 'read-only'));
