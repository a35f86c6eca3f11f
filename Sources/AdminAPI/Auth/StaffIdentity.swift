public import ShortLinkCore

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
}
