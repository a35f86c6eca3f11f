/// A staff member who owns links.
public struct User: Hashable, Sendable {
    /// Row key.
    public var id: EntityID
    /// Login e-mail, unique case-insensitively.
    public var email: String
    /// Display name.
    public var name: String
    /// Optional avatar image URL.
    public var avatarURL: String?
    /// When the row was created.
    public var createdAt: Timestamp
    /// When the row last changed.
    public var updatedAt: Timestamp

    /// Creates a user value.
    public init(id: EntityID, email: String, name: String, avatarURL: String?, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.email = email
        self.name = name
        self.avatarURL = avatarURL
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// An agency client; campaigns and links belong to one.
public struct Client: Hashable, Sendable {
    /// Row key.
    public var id: EntityID
    /// Unique name.
    public var name: String
    /// When the row was created.
    public var createdAt: Timestamp
    /// When the row last changed.
    public var updatedAt: Timestamp

    /// Creates a client value.
    public init(id: EntityID, name: String, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A campaign of one client.
public struct Campaign: Hashable, Sendable {
    /// Row key.
    public var id: EntityID
    /// The owning client.
    public var clientID: EntityID
    /// Name, unique within the client.
    public var name: String
    /// When the row was created.
    public var createdAt: Timestamp
    /// When the row last changed.
    public var updatedAt: Timestamp

    /// Creates a campaign value.
    public init(id: EntityID, clientID: EntityID, name: String, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.clientID = clientID
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A short link: a code that redirects to a target URL.
public struct Link: Hashable, Sendable {
    /// Row key.
    public var id: EntityID
    /// The code users follow.
    public var shortCode: ShortCode
    /// Where the code redirects to.
    public var originalURL: String
    /// The HTTP status the redirect answers with.
    public var redirectStatus: RedirectStatus
    /// Whether the visitor's query string is appended to `originalURL`.
    public var forwardQuery: Bool
    /// After this instant the code answers 410 Gone; `nil` when it never expires.
    public var expiresAt: Timestamp?
    /// The staff member who owns the link.
    public var userID: EntityID
    /// The client the link belongs to.
    public var clientID: EntityID
    /// The campaign, which always belongs to `clientID`; `nil` when none.
    public var campaignID: EntityID?
    /// Tag names, sorted.
    public var tags: [String]
    /// When the row was created.
    public var createdAt: Timestamp
    /// When the row last changed.
    public var updatedAt: Timestamp

    /// Creates a link value. The redirect options default to what a link has when nobody
    /// sets them: 302, query string dropped, never expires.
    public init(
        id: EntityID, shortCode: ShortCode, originalURL: String, redirectStatus: RedirectStatus = .default,
        forwardQuery: Bool = false, expiresAt: Timestamp? = nil, userID: EntityID, clientID: EntityID,
        campaignID: EntityID?, tags: [String], createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.shortCode = shortCode
        self.originalURL = originalURL
        self.redirectStatus = redirectStatus
        self.forwardQuery = forwardQuery
        self.expiresAt = expiresAt
        self.userID = userID
        self.clientID = clientID
        self.campaignID = campaignID
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A label shared by links, created on first use.
public struct Tag: Hashable, Sendable {
    /// Row key.
    public var id: EntityID
    /// Unique name.
    public var name: String
    /// How many links carry the tag (filled by listings, else 0).
    public var linkCount: Int
    /// When the row was created.
    public var createdAt: Timestamp
    /// When the row last changed.
    public var updatedAt: Timestamp

    /// Creates a tag value.
    public init(id: EntityID, name: String, linkCount: Int = 0, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.name = name
        self.linkCount = linkCount
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
