/// One counter slot of a loop's ``LoopMetrics``: what a response was, or why a connection ended.
enum EdgeCounter: Int, CaseIterable {
    case redirect301, redirect302, redirect307, redirect308
    /// 404 for a well-formed code the cache does not have (a cache miss).
    case cacheMiss
    /// 404 for a path that is not a code at all (no lookup).
    case notFound
    /// 410 for an expired or disabled link (found in the cache).
    case expired
    /// 200 for `/healthz` or `/robots.txt`.
    case ok
    case methodNotAllowed, badRequest, uriTooLong, headersTooLarge
    /// Closed for not sending a complete request head in time.
    case headerTimeout
    /// Closed after the keep-alive idle timeout.
    case idleTimeout

    /// The status line's code, for the responses.
    var status: Int? {
        switch self {
        case .redirect301: 301
        case .redirect302: 302
        case .redirect307: 307
        case .redirect308: 308
        case .cacheMiss, .notFound: 404
        case .expired: 410
        case .ok: 200
        case .methodNotAllowed: 405
        case .badRequest: 400
        case .uriTooLong: 414
        case .headersTooLarge: 431
        case .headerTimeout, .idleTimeout: nil
        }
    }

    /// The slot for a parse failure.
    init(_ error: RequestHeadError) {
        switch error {
        case .malformed, .bodyNotAllowed: self = .badRequest
        case .requestLineTooLong: self = .uriTooLong
        case .headersTooLarge: self = .headersTooLarge
        }
    }
}
