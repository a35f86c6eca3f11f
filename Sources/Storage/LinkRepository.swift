public import LibPQ
public import ShortLinkCore

/// What a new link needs: the fields it will be stored with (a stored ``ShortLinkCore/Link``
/// adds its id and times).
public typealias NewLink = LinkFields

/// Changes to a link; `nil` fields stay as they are.
public struct LinkPatch: Sendable {
    /// New target.
    public var originalURL: String?
    /// New code.
    public var shortCode: ShortCode?
    /// New redirect status.
    public var redirectStatus: RedirectStatus?
    /// New query-forwarding setting.
    public var forwardQuery: Bool?
    /// New expiry; `.some(nil)` makes the link never expire.
    public var expiresAt: Timestamp??
    /// New campaign; `.some(nil)` clears it.
    public var campaignID: EntityID??
    /// The complete new tag list (replaces the old one).
    public var tags: [String]?

    /// Creates a patch.
    public init(
        originalURL: String? = nil, shortCode: ShortCode? = nil, redirectStatus: RedirectStatus? = nil,
        forwardQuery: Bool? = nil, expiresAt: Timestamp?? = nil, campaignID: EntityID?? = nil, tags: [String]? = nil
    ) {
        self.originalURL = originalURL
        self.shortCode = shortCode
        self.redirectStatus = redirectStatus
        self.forwardQuery = forwardQuery
        self.expiresAt = expiresAt
        self.campaignID = campaignID
        self.tags = tags
    }
}

/// Which links to list, a page at a time (newest first unless `sort` says otherwise).
public struct LinkFilter: Sendable {
    /// Only this client's links.
    public var clientID: EntityID?
    /// Only this campaign's links.
    public var campaignID: EntityID?
    /// Only this user's links.
    public var userID: EntityID?
    /// Only links carrying this tag name.
    public var tag: String?
    /// Only links whose code or URL contains this text (case-insensitive, taken literally).
    public var query: String?
    /// Only links created at or after this instant.
    public var createdFrom: Timestamp?
    /// Only links created before this instant.
    public var createdBefore: Timestamp?
    /// The order; default newest first.
    public var sort: LinkSort
    /// Page size; default 50, at most 1000.
    public var limit: Int
    /// Continue after this link (keyset pagination on created_at, id) for the `createdAt` sorts.
    public var after: (createdAt: Timestamp, id: EntityID)?
    /// Continue after this code for the `shortCode` sorts.
    public var afterShortCode: String?

    /// Creates a filter.
    public init(
        clientID: EntityID? = nil, campaignID: EntityID? = nil, userID: EntityID? = nil, tag: String? = nil,
        query: String? = nil, createdFrom: Timestamp? = nil, createdBefore: Timestamp? = nil,
        sort: LinkSort = .newestFirst, limit: Int = 50, after: (createdAt: Timestamp, id: EntityID)? = nil,
        afterShortCode: String? = nil
    ) {
        self.clientID = clientID
        self.campaignID = campaignID
        self.userID = userID
        self.tag = tag
        self.query = query
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
        self.sort = sort
        self.limit = limit
        self.after = after
        self.afterShortCode = afterShortCode
    }
}

/// Links with their tags.
public struct LinkRepository: Sendable {
    let pool: RepositoryPool

    static let select = """
        SELECT l.id, l.short_code, l.original_url, l.redirect_status, l.forward_query, l.expires_at,
               l.user_id, l.client_id, l.campaign_id, l.created_at, l.updated_at,
               ARRAY(SELECT t.name FROM link_tags lt JOIN tags t ON t.id = lt.tag_id
                     WHERE lt.link_id = l.id ORDER BY t.name) AS tags
        FROM links l
        """

    /// Creates the repository.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = RepositoryPool(pool) }

    /// Inserts a link and its tags in one transaction. A duplicate code is a ``StorageError``
    /// ``StorageError/Code/shortCodeTaken``; a campaign of another client is
    /// ``StorageError/Code/campaignOfAnotherClient``.
    /// - Parameter link: the new link.
    public func create(_ link: NewLink) async throws -> Link {
        let tags = try Names.normalizedTags(link.tags)
        return try await pool.transaction { connection in
            let id = try Self.insert(link, on: connection)
            try TagRepository.replaceTags(of: id, with: tags, on: connection)
            return try Self.fetch(id, on: connection)!
        }
    }

    /// Creates many links in one transaction: all or none.
    /// - Parameter links: the new links.
    public func create(_ links: [NewLink]) async throws -> [Link] {
        let normalized = try links.map { link throws(ValidationError) in
            var link = link
            link.tags = try Names.normalizedTags(link.tags)
            return link
        }
        return try await pool.transaction { connection in
            try normalized.map { link in
                let id = try Self.insert(link, on: connection)
                try TagRepository.replaceTags(of: id, with: link.tags, on: connection)
                return try Self.fetch(id, on: connection)!
            }
        }
    }

    /// The link with this id, or `nil`.
    /// - Parameter id: the link id.
    public func get(_ id: EntityID) async throws -> Link? {
        try await pool.withConnection { try Self.fetch(id, on: $0) }
    }

    /// The link with this code, or `nil`.
    /// - Parameter shortCode: the code (case-sensitive).
    public func find(shortCode: ShortCode) async throws -> Link? {
        try await pool.query("\(Self.select) WHERE l.short_code = $1", [shortCode.rawValue]).first.map(Self.link)
    }

    /// A page of links in the filter's order.
    /// - Parameter filter: which links and where to continue.
    public func list(_ filter: LinkFilter = LinkFilter()) async throws -> [Link] {
        // Only fixed SQL text is chosen here; every value is a parameter.
        let (keyset, order): (String, String) =
            switch filter.sort {
            case .newestFirst: ("(l.created_at, l.id) < ($8, $9::uuid)", "l.created_at DESC, l.id DESC")
            case .oldestFirst: ("(l.created_at, l.id) > ($8, $9::uuid)", "l.created_at ASC, l.id ASC")
            case .shortCodeAscending: ("l.short_code COLLATE \"C\" > $10", "l.short_code COLLATE \"C\" ASC")
            case .shortCodeDescending: ("l.short_code COLLATE \"C\" < $10", "l.short_code COLLATE \"C\" DESC")
            }
        let usesCodeCursor = filter.sort == .shortCodeAscending || filter.sort == .shortCodeDescending
        let hasCursor = usesCodeCursor ? filter.afterShortCode != nil : filter.after != nil
        let pattern = filter.query.map { "%" + Self.escapeLike($0) + "%" }
        return try await pool.query(
            """
            \(Self.select)
            WHERE ($1::uuid IS NULL OR l.client_id = $1)
              AND ($2::uuid IS NULL OR l.campaign_id = $2)
              AND ($3::uuid IS NULL OR l.user_id = $3)
              AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM link_tags lt JOIN tags t ON t.id = lt.tag_id
                                               WHERE lt.link_id = l.id AND t.name = $4))
              AND ($5::text IS NULL OR l.short_code ILIKE $5 OR l.original_url ILIKE $5)
              AND ($6::timestamptz IS NULL OR l.created_at >= $6)
              AND ($7::timestamptz IS NULL OR l.created_at < $7)
              AND (NOT $11::boolean OR \(keyset))
              AND ($8::timestamptz IS NULL OR TRUE) AND ($9::uuid IS NULL OR TRUE) AND ($10::text IS NULL OR TRUE)
            ORDER BY \(order)
            LIMIT $12
            """,
            [
                filter.clientID?.pg, filter.campaignID?.pg, filter.userID?.pg, filter.tag, pattern,
                filter.createdFrom?.pg, filter.createdBefore?.pg,
                filter.after?.createdAt.pg, filter.after?.id.pg, filter.afterShortCode, hasCursor,
                max(1, min(filter.limit, 1000)),
            ]
        ).map(Self.link)
    }

    /// Escapes `%`, `_` and the backslash so a search text matches literally in `LIKE`.
    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// Applies a patch in one transaction.
    /// - Parameters:
    ///   - id: the link id.
    ///   - patch: the changes.
    /// - Returns: the updated link, or `nil` when there is none.
    public func update(_ id: EntityID, _ patch: LinkPatch) async throws -> Link? {
        let tags = try patch.tags.map { tags throws(ValidationError) in try Names.normalizedTags(tags) }
        let setCampaign = patch.campaignID != nil
        let campaignID = patch.campaignID ?? nil
        let setExpiry = patch.expiresAt != nil
        let expiresAt = patch.expiresAt ?? nil
        return try await pool.transaction { connection in
            let updated = try connection.execute(
                """
                UPDATE links SET original_url = COALESCE($2, original_url),
                    short_code = COALESCE($3, short_code),
                    campaign_id = CASE WHEN $4::boolean THEN $5::uuid ELSE campaign_id END,
                    redirect_status = COALESCE($6::smallint, redirect_status),
                    forward_query = COALESCE($7::boolean, forward_query),
                    expires_at = CASE WHEN $8::boolean THEN $9::timestamptz ELSE expires_at END
                WHERE id = $1
                """,
                [
                    id.pg, patch.originalURL, patch.shortCode?.rawValue, setCampaign, campaignID?.pg,
                    patch.redirectStatus?.rawValue, patch.forwardQuery, setExpiry, expiresAt?.pg,
                ])
            guard updated == 1 else { return nil }
            if let tags { try TagRepository.replaceTags(of: id, with: tags, on: connection) }
            return try Self.fetch(id, on: connection)
        }
    }

    /// Deletes a link with its clicks and tag links.
    /// - Parameter id: the link id.
    /// - Returns: whether a link was deleted.
    public func delete(_ id: EntityID) async throws -> Bool {
        try await pool.execute("DELETE FROM links WHERE id = $1", [id.pg]) == 1
    }

    static func insert(_ link: NewLink, on connection: PGConnection) throws -> EntityID {
        let id = try connection.query(
            """
            INSERT INTO links (short_code, original_url, redirect_status, forward_query, expires_at,
                               user_id, client_id, campaign_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
            """,
            [
                link.shortCode.rawValue, link.originalURL, link.redirectStatus.rawValue, link.forwardQuery,
                link.expiresAt?.pg, link.userID.pg, link.clientID.pg, link.campaignID?.pg,
            ]
        )[0].decode(0, as: PGUUID.self)
        return EntityID(id)
    }

    static func fetch(_ id: EntityID, on connection: PGConnection) throws -> Link? {
        try connection.query("\(select) WHERE l.id = $1", [id.pg]).first.map(link)
    }

    static func link(_ row: PGRow) throws -> Link {
        let code: String = try row.decode("short_code")
        guard let shortCode = ShortCode(code) else {
            throw PGError(code: .decodingFailed, message: "links.short_code holds an invalid code")
        }
        let fields = LinkFields(
            shortCode: shortCode, originalURL: try row.decode("original_url"), redirectStatus: try row.redirectStatus("redirect_status"),
            forwardQuery: try row.decode("forward_query"), expiresAt: try row.optionalTime("expires_at"), userID: try row.id("user_id"),
            clientID: try row.id("client_id"), campaignID: try row.optionalID("campaign_id"), tags: try row.decode("tags", as: [String].self))
        return Link(id: try row.id("id"), fields: fields, createdAt: try row.time("created_at"), updatedAt: try row.time("updated_at"))
    }
}
