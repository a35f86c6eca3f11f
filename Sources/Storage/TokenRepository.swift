public import LibPQ
public import ShortLinkCore

/// API tokens. Only digests are stored; the secret is shown once by whoever created it.
public struct TokenRepository: Sendable {
    let pool: RepositoryPool
    static let columns = "id, user_id, name, token_prefix, last_used_at, revoked_at, expires_at, created_at, scope"

    /// How stale `last_used_at` may get before a use writes it again: writing on every
    /// request would turn each read into a write.
    public static let lastUsedResolutionSeconds = 60

    /// Creates the repository.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = RepositoryPool(pool) }

    /// Stores a new token.
    /// - Parameters:
    ///   - userID: the owner (a missing user is ``StorageError/Code/unknownUser``).
    ///   - name: a label (trimmed, non-empty).
    ///   - digest: SHA-256 of the secret, 32 bytes.
    ///   - prefix: the first characters of the secret.
    ///   - expiresAt: optional expiry; default never.
    ///   - scope: what it may do; default read-write.
    public func create(
        userID: EntityID, name: String, digest: [UInt8], prefix: String, expiresAt: Timestamp? = nil,
        scope: APIToken.Scope = .readWrite
    ) async throws -> APIToken {
        let name = try Names.normalized(name, field: "name")
        let rows = try await pool.query(
            """
            INSERT INTO api_tokens (user_id, name, token_hash, token_prefix, expires_at, scope)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING \(Self.columns)
            """, [userID.pg, name, PGBytes(digest), prefix, expiresAt?.pg, scope.rawValue])
        return try Self.token(rows[0])
    }

    /// Finds the token with this digest together with its user, and records the use
    /// (`last_used_at`, at most once per ``lastUsedResolutionSeconds``) in the same round trip.
    /// Revoked and expired tokens are returned as they are (the caller decides); their use
    /// is not recorded.
    /// - Parameter digest: SHA-256 of the presented secret.
    /// - Returns: `nil` when no token has this digest.
    public func authenticate(digest: [UInt8]) async throws -> (token: APIToken, user: User)? {
        let rows = try await pool.query(
            """
            WITH found AS (SELECT \(Self.columns) FROM api_tokens WHERE token_hash = $1),
            touched AS (
                UPDATE api_tokens SET last_used_at = now()
                WHERE id = (SELECT id FROM found) AND revoked_at IS NULL
                  AND (expires_at IS NULL OR expires_at > now())
                  AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))
                RETURNING id
            )
            SELECT f.id, f.user_id, f.name, f.token_prefix, f.last_used_at, f.revoked_at, f.expires_at, f.created_at, f.scope,
                   u.email AS user_email, u.name AS user_name, u.avatar_url AS user_avatar_url,
                   u.created_at AS user_created_at, u.updated_at AS user_updated_at,
                   (SELECT count(*) FROM touched) AS touched
            FROM found f JOIN users u ON u.id = f.user_id
            """, [PGBytes(digest), Double(Self.lastUsedResolutionSeconds)])
        guard let row = rows.first else { return nil }
        let token = try Self.token(row)
        let user = User(
            id: token.userID, email: try row.decode("user_email"), name: try row.decode("user_name"),
            avatarURL: try row.decode("user_avatar_url"), createdAt: try row.time("user_created_at"),
            updatedAt: try row.time("user_updated_at"))
        return (token, user)
    }

    /// The token with this id, or `nil`.
    /// - Parameter id: the token id.
    public func get(_ id: EntityID) async throws -> APIToken? {
        try await pool.query("SELECT \(Self.columns) FROM api_tokens WHERE id = $1", [id.pg]).first.map(Self.token)
    }

    /// A user's tokens (revoked ones too), newest first.
    /// - Parameter userID: the owner.
    public func list(userID: EntityID) async throws -> [APIToken] {
        try await pool.query(
            "SELECT \(Self.columns) FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC", [userID.pg]
        ).map(Self.token)
    }

    /// Revokes a token (the row stays for auditing). Revoking twice keeps the first time.
    /// - Parameter id: the token id.
    /// - Returns: the token, or `nil` when there is none.
    public func revoke(_ id: EntityID) async throws -> APIToken? {
        try await pool.query(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING \(Self.columns)",
            [id.pg]
        ).first.map(Self.token)
    }

    static func token(_ row: PGRow) throws -> APIToken {
        APIToken(
            id: try row.id("id"), userID: try row.id("user_id"), name: try row.decode("name"),
            prefix: try row.decode("token_prefix"), lastUsedAt: try row.optionalTime("last_used_at"),
            revokedAt: try row.optionalTime("revoked_at"), expiresAt: try row.optionalTime("expires_at"),
            createdAt: try row.time("created_at"),
            // The CHECK constraint allows only these; anything else is read as the safer one.
            scope: APIToken.Scope(rawValue: try row.decode("scope")) ?? .readOnly)
    }
}
