import Hummingbird
import Logging
import ShortLinkCore
import Storage

/// Turns "the database cannot be used right now" into `503 database_unavailable` with
/// `Retry-After` (instead of a 500), and runs an idempotent request (GET, HEAD) once more
/// first: a session killed under an in-flight read (`pg_terminate_backend`, a failover)
/// usually succeeds on the new connection the pool opens for the retry. Other methods are
/// never repeated here, because their statements may already have run. Other 503s (the
/// OIDC keys) also get `Retry-After`.
///
/// Sits just inside ``ProblemMiddleware``, so the request is counted once, with the status
/// it finally got.
struct DatabaseUnavailableMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext
    let logger: Logger
    /// Seconds a client is asked to wait (`Retry-After`); default 5, the readiness interval.
    var retryAfterSeconds = 5

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error where Self.databaseUnavailable(error) {
            guard request.method == .get || request.method == .head else { return unavailable(error, request) }
            logger.notice(
                "database failed under a read; retrying it once on a new connection",
                metadata: ["error": "\(Self.safeDescription(error))", "path": "\(LogSafe.escape(request.uri.path))"])
            do {
                return try await next(request, context)
            } catch let error where Self.databaseUnavailable(error) {
                return unavailable(error, request)
            }
        } catch let error as APIError where error.status == .serviceUnavailable {
            return withRetryAfter(JSONResponse.problem(error))
        }
    }

    /// Whether `error` says the database cannot be used now (see
    /// ``Storage/StorageError/isUnavailable``), raw or already mapped by a route.
    static func databaseUnavailable(_ error: any Error) -> Bool {
        if let error = error as? StorageError { return error.isUnavailable }
        return (error as? APIError)?.code == .databaseUnavailable
    }

    private func unavailable(_ error: any Error, _ request: Request) -> Response {
        logger.warning(
            "database unavailable; answered 503",
            metadata: ["error": "\(Self.safeDescription(error))", "path": "\(LogSafe.escape(request.uri.path))"])
        return withRetryAfter(JSONResponse.problem(APIError(.databaseUnavailable, "the database is unavailable; retry later")))
    }

    private func withRetryAfter(_ response: Response) -> Response {
        var response = response
        response.headers[.retryAfter] = String(retryAfterSeconds)
        return response
    }

    /// A ``Storage/StorageError``'s description never holds a parameter value or a password;
    /// the server's message may still quote input, so it is escaped like any outside value.
    private static func safeDescription(_ error: any Error) -> String {
        LogSafe.escape((error as? StorageError)?.description ?? "\(error)")
    }
}
