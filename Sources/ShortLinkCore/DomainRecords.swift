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

/// A short link as stored: its row key and times around what it says (``LinkFields``, read
/// and written through as if they were its own: `link.shortCode`, `link.tags`).
@dynamicMemberLookup
public struct Link: Hashable, Sendable {
    /// Row key.
    public var id: EntityID
    /// What the link says: code, target, redirect options, owner, client, campaign, tags.
    public var fields: LinkFields
    /// When the row was created.
    public var createdAt: Timestamp
    /// When the row last changed.
    public var updatedAt: Timestamp

    /// Creates a link value.
    public init(id: EntityID, fields: LinkFields, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.fields = fields
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// A field of ``fields``.
    public subscript<Value>(dynamicMember field: WritableKeyPath<LinkFields, Value>) -> Value {
        get { fields[keyPath: field] }
        set { fields[keyPath: field] = newValue }
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
