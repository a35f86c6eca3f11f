import Hummingbird

/// Requires `Authorization: Bearer …` and puts the caller into the context.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = try await authenticator.authenticate(request.headers[.authorization])
        return try await next(request, context)
    }
}
