/// A click as it is stored: the captured event, enriched at write time.
public struct StoredClick: Sendable, Hashable {
    /// The event id (UUIDv7 from the edge).
    public var id: EntityID
    /// The link that answered.
    public var linkID: EntityID
    /// When the redirect was answered.
    public var timestamp: Timestamp
    /// The client address as stored: anonymised (IPv4 /24, IPv6 /48) when configured.
    public var ipAddress: IPAddress?
    /// `User-Agent`.
    public var userAgent: String?
    /// `Referer`.
    public var referrer: String?
    /// ISO 3166-1 alpha-2 country of the full client address.
    public var country: String?
    /// City name (English) of the full client address.
    public var city: String?
    /// The bot verdict, with its reason token.
    public var verdict: BotVerdict
    /// Device type (`desktop`, `smartphone`, …).
    public var device: String?
    /// Browser family.
    public var browser: String?
    /// Operating system family.
    public var os: String?
    /// Keyed hash of address + user agent with the day's salt: counts unique visitors
    /// without keeping who they are.
    public var visitorHash: Int64?

    /// Creates a stored click.
    public init(
        id: EntityID, linkID: EntityID, timestamp: Timestamp, ipAddress: IPAddress?, userAgent: String?,
        referrer: String?, country: String?, city: String?, verdict: BotVerdict, device: String?,
        browser: String?, os: String?, visitorHash: Int64?
    ) {
        self.id = id
        self.linkID = linkID
        self.timestamp = timestamp
        self.ipAddress = ipAddress
        self.userAgent = userAgent
        self.referrer = referrer
        self.country = country
        self.city = city
        self.verdict = verdict
        self.device = device
        self.browser = browser
        self.os = os
        self.visitorHash = visitorHash
    }
}
