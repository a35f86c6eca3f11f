/// One answered redirect, as captured on the edge before any enrichment.
public struct ClickEvent: Hashable, Sendable {
    /// The request method that was answered.
    public enum Method: UInt8, Sendable, Hashable {
        /// A GET: a browser, an app or a bot following the link.
        case get = 0
        /// A HEAD: almost always a checker or a preview fetcher.
        case head = 1
    }

    /// A UUIDv7 made on the edge: unique, and ordered by capture time.
    public var id: EntityID
    /// The link that answered.
    public var linkID: EntityID
    /// When the redirect was answered.
    public var timestamp: Timestamp
    /// The client: the socket peer, or the forwarded address a trusted proxy reported.
    public var clientIP: IPAddress?
    /// GET or HEAD.
    public var method: Method
    /// `User-Agent`, `nil` when the header was absent.
    public var userAgent: String?
    /// `Referer`.
    public var referer: String?
    /// `Accept-Language`.
    public var acceptLanguage: String?
    /// `Sec-Purpose` (Chrome's prefetch/prerender marker).
    public var secPurpose: String?
    /// `Purpose` (older prefetch marker).
    public var purpose: String?
    /// `X-Purpose` (Safari's preview marker).
    public var xPurpose: String?
    /// `X-Moz` (Firefox's prefetch marker).
    public var xMoz: String?

    /// Creates an event.
    public init(
        id: EntityID, linkID: EntityID, timestamp: Timestamp, clientIP: IPAddress?, method: Method,
        userAgent: String? = nil, referer: String? = nil, acceptLanguage: String? = nil,
        secPurpose: String? = nil, purpose: String? = nil, xPurpose: String? = nil, xMoz: String? = nil
    ) {
        self.id = id
        self.linkID = linkID
        self.timestamp = timestamp
        self.clientIP = clientIP
        self.method = method
        self.userAgent = userAgent
        self.referer = referer
        self.acceptLanguage = acceptLanguage
        self.secPurpose = secPurpose
        self.purpose = purpose
        self.xPurpose = xPurpose
        self.xMoz = xMoz
    }
}
