/// What a link says, as it is stored: shared by a link to be created (Storage's `NewLink`)
/// and a stored ``Link``, which adds its id and times.
public struct LinkFields: Hashable, Sendable {
    /// The code users follow; unique across all links.
    public var shortCode: ShortCode
    /// Where the code redirects to.
    public var originalURL: String
    /// The HTTP status the redirect answers with; default 302.
    public var redirectStatus: RedirectStatus
    /// Whether the visitor's query string is appended to `originalURL`; default `false`.
    public var forwardQuery: Bool
    /// After this instant the code answers 410 Gone; `nil` (the default) when it never expires.
    public var expiresAt: Timestamp?
    /// The staff member who owns the link.
    public var userID: EntityID
    /// The client the link belongs to.
    public var clientID: EntityID
    /// The campaign, which always belongs to `clientID`; `nil` when none.
    public var campaignID: EntityID?
    /// Tag names (a stored link's are sorted; a new link's tags are created on first use).
    public var tags: [String]

    /// Creates the fields. The redirect options default to what a link has when nobody sets
    /// them: 302, query string dropped, never expires.
    public init(
        shortCode: ShortCode, originalURL: String, redirectStatus: RedirectStatus = .default, forwardQuery: Bool = false,
        expiresAt: Timestamp? = nil, userID: EntityID, clientID: EntityID, campaignID: EntityID? = nil, tags: [String] = []
    ) {
        self.shortCode = shortCode
        self.originalURL = originalURL
        self.redirectStatus = redirectStatus
        self.forwardQuery = forwardQuery
        self.expiresAt = expiresAt
        self.userID = userID
        self.clientID = clientID
        self.campaignID = campaignID
        self.tags = tags
    }
}
