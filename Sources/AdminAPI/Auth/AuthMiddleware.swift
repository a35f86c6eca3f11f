import Hummingbird
import Storage

/// Requires `Authorization: Bearer …` and puts the caller into the context; then spends one
/// request of the caller's rate limit (429 with `Retry-After` when it is used up) and refuses
/// anything but `GET`/`HEAD` to a read-only token (403).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext
    let authenticator: Authenticator
    /// `nil` when the rate limit is off.
    let limiter: RateLimiter?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let identity = try await authenticator.authenticate(request.headers[.authorization])
        context.identity = identity
        if let limiter, case .limited(let seconds) = limiter.take(identity.rateLimitKey) {
            var response = JSONResponse.problem(
                APIError(.rateLimited, "more than the allowed requests per second for this credential; retry after \(seconds) s"))
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        if identity.scope == .readOnly, request.method != .get, request.method != .head {
            throw APIError(.tokenReadOnly, "this API token is read-only: only GET and HEAD requests are allowed")
        }
        return try await next(request, context)
    }
}
