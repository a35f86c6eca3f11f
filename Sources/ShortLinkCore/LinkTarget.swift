/// What the edge needs to answer one short code: the redirect and nothing else.
///
/// A slimmer view of ``Link`` (no owner, client, campaign or tags) so that a cache of a
/// million of them stays small and can be loaded by streaming.
public struct LinkTarget: Hashable, Sendable {
    /// The link's row key; every click carries it.
    public var id: EntityID
    /// The code, `[A-Za-z0-9_-]{1,64}`, case-sensitive.
    public var code: String
    /// The absolute URL to redirect to.
    public var url: String
    /// The status to answer with.
    public var status: RedirectStatus
    /// Whether the request's query string is appended to `url`.
    public var forwardQuery: Bool
    /// After this instant the code answers 410 Gone; `nil` when it never expires.
    public var expiresAt: Timestamp?

    /// Creates a target.
    /// - Parameters:
    ///   - id: the link's row key.
    ///   - code: the short code.
    ///   - url: the absolute target URL.
    ///   - status: the redirect status; default 302.
    ///   - forwardQuery: append the request's query string; default `false`.
    ///   - expiresAt: when the link stops redirecting; default never.
    public init(
        id: EntityID, code: String, url: String, status: RedirectStatus = .default,
        forwardQuery: Bool = false, expiresAt: Timestamp? = nil
    ) {
        self.id = id
        self.code = code
        self.url = url
        self.status = status
        self.forwardQuery = forwardQuery
        self.expiresAt = expiresAt
    }
}
