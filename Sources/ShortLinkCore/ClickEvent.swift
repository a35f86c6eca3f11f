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
    /// The captured request headers (``CapturedHeader``), each `nil` when absent.
    public var headers: CapturedHeaders<String>

    /// Creates an event from headers already collected.
    public init(
        id: EntityID, linkID: EntityID, timestamp: Timestamp, clientIP: IPAddress?, method: Method,
        headers: CapturedHeaders<String>
    ) {
        self.id = id
        self.linkID = linkID
        self.timestamp = timestamp
        self.clientIP = clientIP
        self.method = method
        self.headers = headers
    }

    /// Creates an event, one argument per captured header (each defaults to absent).
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
        var headers = CapturedHeaders<String>()
        headers[.userAgent] = userAgent
        headers[.referer] = referer
        headers[.acceptLanguage] = acceptLanguage
        headers[.secPurpose] = secPurpose
        headers[.purpose] = purpose
        headers[.xPurpose] = xPurpose
        headers[.xMoz] = xMoz
        self.headers = headers
    }
}

// Named accessors for the captured headers, for readers of one header (classifier, enricher).
extension ClickEvent {
    /// `User-Agent`, `nil` when the header was absent.
    public var userAgent: String? {
        get { headers[.userAgent] }
        set { headers[.userAgent] = newValue }
    }
    /// `Referer`.
    public var referer: String? {
        get { headers[.referer] }
        set { headers[.referer] = newValue }
    }
    /// `Accept-Language`.
    public var acceptLanguage: String? {
        get { headers[.acceptLanguage] }
        set { headers[.acceptLanguage] = newValue }
    }
    /// `Sec-Purpose` (Chrome's prefetch/prerender marker).
    public var secPurpose: String? {
        get { headers[.secPurpose] }
        set { headers[.secPurpose] = newValue }
    }
    /// `Purpose` (older prefetch marker).
    public var purpose: String? {
        get { headers[.purpose] }
        set { headers[.purpose] = newValue }
    }
    /// `X-Purpose` (Safari's preview marker).
    public var xPurpose: String? {
        get { headers[.xPurpose] }
        set { headers[.xPurpose] = newValue }
    }
    /// `X-Moz` (Firefox's prefetch marker).
    public var xMoz: String? {
        get { headers[.xMoz] }
        set { headers[.xMoz] = newValue }
    }
}
