public import ShortLinkCore

/// An API token as stored: never the secret, only its SHA-256 digest and a recognisable prefix.
public struct APIToken: Hashable, Sendable {
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

    /// Creates a token value.
    public init(
        id: EntityID, userID: EntityID, name: String, prefix: String, lastUsedAt: Timestamp?, revokedAt: Timestamp?,
        expiresAt: Timestamp?, createdAt: Timestamp
    ) {
        self.id = id
        self.userID = userID
        self.name = name
        self.prefix = prefix
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }

    /// Whether the token may authenticate at `now`: not revoked and not expired.
    /// - Parameter now: the current time.
    public func isUsable(at now: Timestamp) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }
}
