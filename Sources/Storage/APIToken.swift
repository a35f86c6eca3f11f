public import ShortLinkCore

/// An API token as stored: never the secret, only its SHA-256 digest and a recognisable prefix.
public struct APIToken: Hashable, Sendable {
    /// What a token may do (`api_tokens.scope`).
    public enum Scope: String, Sendable, CaseIterable {
        /// Every request its user may make (the default).
        case readWrite = "read-write"
        /// Only `GET` and `HEAD`; anything else is refused with 403 `token_read_only`.
        case readOnly = "read-only"
    }

    /// Row key.
    public var id: EntityID
    /// The staff member the token acts as.
    public var userID: EntityID
    /// A label chosen at creation (e.g. `laptop`, `ci`).
    public var name: String
    /// The first characters of the secret, shown in listings so a user can tell tokens apart.
    public var prefix: String
    /// When the token last authenticated a request (updated at most once a minute).
    public var lastUsedAt: Timestamp?
    /// When the token was revoked; a revoked token no longer authenticates.
    public var revokedAt: Timestamp?
    /// When the token stops working; `nil` when it never expires.
    public var expiresAt: Timestamp?
    /// When the token was created.
    public var createdAt: Timestamp
    /// What the token may do; default ``Scope/readWrite``.
    public var scope: Scope

    /// Creates a token value.
    public init(
        id: EntityID, userID: EntityID, name: String, prefix: String, lastUsedAt: Timestamp?, revokedAt: Timestamp?,
        expiresAt: Timestamp?, createdAt: Timestamp, scope: Scope = .readWrite
    ) {
        self.id = id
        self.userID = userID
        self.name = name
        self.prefix = prefix
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.scope = scope
    }

    /// Whether the token has expired at `now` (revoked or not).
    /// - Parameter now: the current time.
    public func isExpired(at now: Timestamp) -> Bool {
        expiresAt.map { $0 <= now } ?? false
    }

    /// Whether the token may authenticate at `now`: not revoked and not expired.
    /// - Parameter now: the current time.
    public func isUsable(at now: Timestamp) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }
}
