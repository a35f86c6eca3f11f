import Hummingbird

/// CORS for browser front ends on other origins, with an exact allow-list. Hummingbird's own
/// `CORSMiddleware` is not used: it answers every `OPTIONS` that has an `Origin` as a preflight
/// (204 even for an origin it does not allow) and takes its origin list only as variadic
/// arguments, while here a refused preflight must say so (403 problem+json).
///
/// Installed outermost, so it runs before authentication and its headers land on every
/// response, problem documents included:
/// - a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed
///   origin is answered 204 with the allowed methods and headers and `Access-Control-Max-Age`;
///   from any other origin 403 `origin_not_allowed`;
/// - any other request from an allowed origin gets `Access-Control-Allow-Origin: <origin>`
///   (never `*`) and the exposed headers; from another origin it is served without CORS
///   headers, so a browser keeps the response from the page (as without CORS at all).
///
/// No `Access-Control-Allow-Credentials`: the API authenticates with a bearer token the page
/// sends itself, not with cookies, so a browser never needs to attach credentials.
struct CrossOriginMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    static let allowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE"
    static let allowedHeaders = "Authorization, Content-Type, Accept, If-None-Match"
    static let exposedHeaders = "Retry-After, Location, Content-Disposition, WWW-Authenticate"
    /// Browsers cap it lower (Chromium at 2 h); 10 minutes keeps a changed list quick to apply.
    static let maxAgeSeconds = 600

    /// Allowed origins, lowercased, without a trailing slash.
    let allowedOrigins: Set<String>

    /// - Parameter allowedOrigins: `scheme://host[:port]` values.
    init(allowedOrigins: [String]) {
        self.allowedOrigins = Set(allowedOrigins.map(Self.normalized))
    }

    /// An origin as compared: lowercased, no trailing slash.
    static func normalized(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let allowed = origin != "null" && allowedOrigins.contains(Self.normalized(origin))
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var response: Response
            if allowed {
                response = Response(status: .noContent)
                response.headers[.accessControlAllowOrigin] = origin
                response.headers[.accessControlAllowMethods] = Self.allowedMethods
                response.headers[.accessControlAllowHeaders] = Self.allowedHeaders
                response.headers[.accessControlMaxAge] = String(Self.maxAgeSeconds)
            } else {
                response = JSONResponse.problem(
                    APIError(.originNotAllowed, "this origin may not call the API from a browser (see admin.corsAllowedOrigins)"))
            }
            response.headers[.vary] = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
            return response
        }
        var response = try await next(request, context)
        response.headers[values: .vary].append("Origin")
        if allowed {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        }
        return response
    }
}
