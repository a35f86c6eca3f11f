public import LibPQ
public import ShortLinkCore

/// Staff users.
public struct UserRepository: Sendable {
    let pool: RepositoryPool
    static let columns = "id, email, name, avatar_url, created_at, updated_at"

    /// Creates the repository.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = RepositoryPool(pool) }

    /// Inserts a user. A second user with the same e-mail (any case) is
    /// ``StorageError/Code/emailTaken``.
    /// - Parameters:
    ///   - email: login e-mail.
    ///   - name: display name.
    ///   - avatarURL: optional image URL.
    public func create(email: String, name: String, avatarURL: String? = nil) async throws -> User {
        let email = try Names.normalized(email, field: "email")
        let name = try Names.normalized(name, field: "name")
        let rows = try await pool.query(
            "INSERT INTO users (email, name, avatar_url) VALUES ($1, $2, $3) RETURNING \(Self.columns)",
            [email, name, avatarURL])
        return try Self.user(rows[0])
    }

    /// The user with this id, or `nil`.
    /// - Parameter id: the user id.
    public func get(_ id: EntityID) async throws -> User? {
        try await pool.query("SELECT \(Self.columns) FROM users WHERE id = $1", [id.pg]).first.map(Self.user)
    }

    /// The user with this e-mail (case-insensitive), or `nil`.
    /// - Parameter email: the e-mail.
    public func find(email: String) async throws -> User? {
        try await pool.query("SELECT \(Self.columns) FROM users WHERE lower(email) = lower($1)", [email])
            .first.map(Self.user)
    }

    /// All users, by e-mail.
    public func list() async throws -> [User] {
        try await pool.query("SELECT \(Self.columns) FROM users ORDER BY lower(email)").map(Self.user)
    }

    /// Changes name and/or avatar; `nil` leaves a field as it is.
    /// - Parameters:
    ///   - id: the user id.
    ///   - name: new display name.
    ///   - avatarURL: new avatar (`.some(nil)` clears it).
    /// - Returns: the updated user, or `nil` when there is none.
    public func update(_ id: EntityID, name: String? = nil, avatarURL: String?? = nil) async throws -> User? {
        let name = try name.map { name throws(ValidationError) in try Names.normalized(name, field: "name") }
        let setAvatar = avatarURL != nil
        return try await pool.query(
            """
            UPDATE users SET name = COALESCE($2, name),
                avatar_url = CASE WHEN $3::boolean THEN $4 ELSE avatar_url END
            WHERE id = $1 RETURNING \(Self.columns)
            """, [id.pg, name, setAvatar, avatarURL ?? nil]
        ).first.map(Self.user)
    }

    /// Deletes a user; their links (with clicks and tag links) and tokens go with them.
    /// - Parameter id: the user id.
    /// - Returns: `nil` when there was no such user, else how many links were deleted.
    public func delete(_ id: EntityID) async throws -> Int? {
        try await pool.transaction { connection in
            let links = try connection.query("SELECT count(*) FROM links WHERE user_id = $1", [id.pg])[0].decode(0, as: Int.self)
            let deleted = try connection.execute("DELETE FROM users WHERE id = $1", [id.pg])
            return deleted == 0 ? nil : links
        }
    }

    static func user(_ row: PGRow) throws -> User {
        User(
            id: try row.id("id"), email: try row.decode("email"), name: try row.decode("name"),
            avatarURL: try row.decode("avatar_url"), createdAt: try row.time("created_at"),
            updatedAt: try row.time("updated_at"))
    }
}
