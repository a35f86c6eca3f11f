import Foundation

/// Settings of the admin listener and its API, resolved once at start.
public struct AdminConfiguration: Sendable {
    /// Listen host; default `127.0.0.1` (staff only; put a proxy in front to expose it).
    public var host: String
    /// Listen port; default 8081 (0 picks a free port, for tests).
    public var port: Int
    /// The public base URL of the edge, e.g. `https://sho.rt`, without a trailing slash;
    /// `shortUrl` is this plus `/` plus the code, and links may not point at its host.
    /// Default `http://127.0.0.1:8080`.
    public var publicBaseURL: String
    /// Length of generated codes; default 7.
    public var codeLength: Int
    /// Largest request body in bytes; default 10 MiB (a full bulk request of long URLs fits).
    public var maxBodyBytes: Int
    /// Most links in one `POST /api/v1/links/bulk`; default 1000.
    public var maxBulkLinks: Int
    /// Authentication settings.
    public var auth: AuthConfiguration
    /// The URL staff reach this admin API at (behind a proxy: the proxy's), e.g.
    /// `https://admin.sho.rt`, without a trailing slash; the OpenAPI document's `servers`.
    /// Default `nil`: a relative server `/`, i.e. wherever the document was fetched from.
    public var publicURL: String? = nil
    /// Browser origins (`https://console.example`) allowed to call the API cross-origin;
    /// compared exactly (scheme, host, port). Default empty: no CORS headers at all.
    public var corsAllowedOrigins: [String] = []
    /// Per-credential request rate limit; default off.
    public var rateLimit: RateLimitConfiguration = RateLimitConfiguration()
    /// A connection that has not sent a complete request head this long after it opened,
    /// or after the first byte of its next request, is closed; default 10 s.
    public var headerTimeoutSeconds: Double = 10
    /// A request whose body has not fully arrived this long after its head is answered
    /// 408 and the connection closed; default 30 s (10 MiB at 350 KiB/s).
    public var bodyTimeoutSeconds: Double = 30
    /// A keep-alive connection with no request for this long is closed; default 60 s.
    public var idleTimeoutSeconds: Double = 60
    /// Connections beyond this many are closed at accept; default 1,000 (`serve` lowers it
    /// to what the file-descriptor limit allows).
    public var maxConnections: Int = 1_000
    /// The edge's listen host (links may not point at the edge's own addresses; a wildcard
    /// stands for every local interface); default `0.0.0.0`.
    public var edgeListenHost: String = "0.0.0.0"
    /// Most tags on one link (create, patch, bulk); default 100.
    public var maxTagsPerLink: Int = 100

    /// Creates admin settings.
    public init(
        host: String = "127.0.0.1", port: Int = 8081, publicBaseURL: String = "http://127.0.0.1:8080",
        codeLength: Int = 7, maxBodyBytes: Int = 10 << 20, maxBulkLinks: Int = 1000,
        auth: AuthConfiguration = AuthConfiguration()
    ) {
        self.host = host
        self.port = port
        var base = publicBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.publicBaseURL = base
        self.codeLength = codeLength
        self.maxBodyBytes = maxBodyBytes
        self.maxBulkLinks = maxBulkLinks
        self.auth = auth
    }

    /// The host of ``publicBaseURL``, lowercased (links may not point there).
    public var publicHost: String? {
        guard let range = publicBaseURL.range(of: "://") else { return nil }
        let authority = publicBaseURL[range.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        return TargetURLRules.host(of: hostAndPort).map { TargetURLRules.normalized($0) }
    }
}
