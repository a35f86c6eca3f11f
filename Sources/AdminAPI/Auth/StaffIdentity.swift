public import ShortLinkCore
public import Storage

/// The staff member a request acts as, and how they proved it.
public struct StaffIdentity: Sendable {
    /// How the caller authenticated.
    public enum Method: Sendable, Equatable {
        /// An API token (its id).
        case apiToken(EntityID)
        /// An OIDC ID token.
        case oidc
    }

    /// The user.
    public var user: User
    /// How.
    public var method: Method
    /// What the credential may do: an API token's scope; OIDC sign-ins are read-write.
    public var scope: APIToken.Scope = .readWrite

    /// The key the rate limiter counts this caller's requests under: one bucket per API
    /// token, one per OIDC-authenticated user.
    var rateLimitKey: String {
        switch method {
        case .apiToken(let id): "token:\(id)"
        case .oidc: "oidc:\(user.id)"
        }
    }
}
