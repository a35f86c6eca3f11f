public import ShortLinkCore

/// What the classifier looks at for one click: the request method, the headers that
/// betray automated clients, and the client address.
public struct ClassificationInput: Sendable, Hashable {
    /// GET or HEAD.
    public var method: ClickEvent.Method
    /// `User-Agent`; `nil` when the header was absent.
    public var userAgent: String?
    /// `Sec-Purpose` (Chrome: `prefetch`, `prefetch;prerender`).
    public var secPurpose: String?
    /// `Purpose` (older prefetch marker).
    public var purpose: String?
    /// `X-Purpose` (Safari: `preview`).
    public var xPurpose: String?
    /// `X-Moz` (Firefox: `prefetch`).
    public var xMoz: String?
    /// `Referer`; carried for future rules, not used by the current ones.
    public var referer: String?
    /// The client address, when known.
    public var clientIP: IPAddress?

    /// Creates an input.
    /// - Parameters:
    ///   - method: the request method; default GET.
    ///   - userAgent: the `User-Agent` header; default `nil` (absent).
    ///   - secPurpose: the `Sec-Purpose` header; default `nil`.
    ///   - purpose: the `Purpose` header; default `nil`.
    ///   - xPurpose: the `X-Purpose` header; default `nil`.
    ///   - xMoz: the `X-Moz` header; default `nil`.
    ///   - referer: the `Referer` header; default `nil`.
    ///   - clientIP: the client address; default `nil`.
    public init(
        method: ClickEvent.Method = .get, userAgent: String? = nil, secPurpose: String? = nil, purpose: String? = nil,
        xPurpose: String? = nil, xMoz: String? = nil, referer: String? = nil, clientIP: IPAddress? = nil
    ) {
        self.method = method
        self.userAgent = userAgent
        self.secPurpose = secPurpose
        self.purpose = purpose
        self.xPurpose = xPurpose
        self.xMoz = xMoz
        self.referer = referer
        self.clientIP = clientIP
    }

    /// The input for a captured click.
    /// - Parameter event: the click as captured on the edge.
    public init(event: ClickEvent) {
        self.init(
            method: event.method, userAgent: event.userAgent, secPurpose: event.secPurpose, purpose: event.purpose,
            xPurpose: event.xPurpose, xMoz: event.xMoz, referer: event.referer, clientIP: event.clientIP)
    }
}
