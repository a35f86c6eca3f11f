/// A link as someone asked for it, before any rule was checked: what a JSON body item or a
/// CSV row says. ``LinkDraftValidator`` turns it into a `NewLink` or field errors.
public struct LinkDraft: Sendable {
    /// A custom code; `nil` to generate one.
    public var shortCode: String?
    /// The target.
    public var originalURL: String
    /// The client's id (UUID text).
    public var clientID: String
    /// The campaign's id (UUID text), if any.
    public var campaignID: String?
    /// Tag names.
    public var tags: [String]
    /// 301, 302, 307 or 308; `nil` for the default (302).
    public var redirectStatus: Int?
    /// Append the visitor's query string; `nil` for the default (false).
    public var forwardQuery: Bool?
    /// RFC 3339 time after which the link answers 410.
    public var expiresAt: String?

    /// Creates a draft.
    public init(
        shortCode: String? = nil, originalURL: String, clientID: String, campaignID: String? = nil, tags: [String] = [],
        redirectStatus: Int? = nil, forwardQuery: Bool? = nil, expiresAt: String? = nil
    ) {
        self.shortCode = shortCode
        self.originalURL = originalURL
        self.clientID = clientID
        self.campaignID = campaignID
        self.tags = tags
        self.redirectStatus = redirectStatus
        self.forwardQuery = forwardQuery
        self.expiresAt = expiresAt
    }
}
