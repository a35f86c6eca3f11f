import Hummingbird
import Logging
import Prometheus
import ShortLinkCore

/// The outermost middleware: every error becomes `application/problem+json` (Hummingbird's own
/// 404/405/413 included), unexpected ones are logged (by type and redacted description, never
/// a request body or header) as a 500, and every request is counted in the registry.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext
    let logger: Logger
    let metrics: AdminMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = JSONResponse.problem(error)
        } catch let error as HTTPError {
            response = JSONResponse.problem(Self.translate(error))
        } catch let error as any HTTPResponseError {
            response = JSONResponse.problem(APIError(Self.code(for: error.status), "request refused (\(error.status.code))"))
        } catch {
            // The description may quote the request (a database message, a path): escaped, so
            // it stays one line that cannot pass for another record.
            logger.error(
                "request failed",
                metadata: [
                    "error.type": "\(type(of: error))", "error": "\(LogSafe.escape(error))",
                    "path": "\(LogSafe.escape(request.uri.path, limit: 256))",
                ])
            response = JSONResponse.problem(APIError(.internal, "an unexpected error occurred; see the server log"))
        }
        metrics.record(method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: response.status.code, since: start)
        return response
    }

    static func translate(_ error: HTTPError) -> APIError {
        let code = code(for: error.status)
        return APIError(code, code == .notFound ? "no such route" : (error.body ?? error.status.reasonPhrase))
    }

    static func code(for status: HTTPResponse.Status) -> APIError.Code {
        switch status.code {
        case 404: .notFound
        case 405: .notFound
        case 413: .payloadTooLarge
        case 415: .unsupportedMediaType
        case 400: .invalidRequest
        case 401: .invalidCredentials
        case 503: .unavailable
        default: .internal
        }
    }
}
