public import Hummingbird

/// The per-request context of the admin API: Hummingbird's core storage plus the staff
/// member the request was authenticated as (set by ``AuthMiddleware``).
public struct AdminRequestContext: RequestContext {
    /// Hummingbird's own per-request storage (logger, parameters, matched path).
    public var coreContext: CoreRequestContextStorage
    /// Who is calling; `nil` only before authentication and on `/readyz`.
    public var identity: StaffIdentity?

    /// Creates the context of a new request (no identity yet).
    /// - Parameter source: the channel and logger of the request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// The authenticated caller; a route behind ``AuthMiddleware`` always has one.
    func caller() throws -> StaffIdentity {
        guard let identity else { throw APIError(.missingCredentials, "authentication required") }
        return identity
    }
}
