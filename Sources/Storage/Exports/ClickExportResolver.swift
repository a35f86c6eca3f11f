public import LibPQ
public import ShortLinkCore

/// Turns the names people use (a short code, a client, campaign or tag name) into the ids a
/// ``ClickExportFilter`` holds, and checks that the named things exist.
public struct ClickExportResolver: Sendable {
    let pool: RepositoryPool

    /// The most values one filter may have (`tag=a&tag=b…`): each becomes part of the
    /// statement, and a longer list is better served by a campaign or a tag.
    public static let maximumValues = 100

    /// A filter value that names nothing.
    public struct Unknown: Error, Sendable, CustomStringConvertible {
        /// `link`, `campaign`, `client` or `tag`.
        public var what: String
        /// The offending text.
        public var value: String
        public var description: String { "no such \(what): \(value)" }
    }

    /// A campaign name that several clients use, with no client filter to choose between
    /// them (campaign names are unique per client only).
    public struct Ambiguous: Error, Sendable, CustomStringConvertible {
        /// The campaign name.
        public var value: String
        /// The names of the clients that have a campaign of that name, sorted.
        public var clients: [String]
        public var description: String {
            "campaign name '\(value)' is ambiguous: the clients \(clients.joined(separator: ", ")) each have a campaign of that name"
        }
    }

    /// Creates the resolver.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = RepositoryPool(pool) }

    /// Sets the filter's links from what people typed: links by id or short code, clients
    /// and tags by id or name, campaigns by id or name. A campaign name is looked up among
    /// the filter's clients when it has some; without, it must name the campaign of a
    /// single client. Repeated values count once.
    /// - Throws: ``Unknown`` for a value that names nothing, ``Ambiguous`` for a campaign
    ///   name several clients use.
    public func resolve(
        links: [String], campaigns: [String], clients: [String], tags: [String], into filter: inout ClickExportFilter
    ) async throws {
        for text in links { Self.append(try await link(text), to: &filter.links) }
        for text in clients { Self.append(try await client(text), to: &filter.clients) }
        for text in tags { Self.append(try await tag(text), to: &filter.tags) }
        for text in campaigns {
            for id in try await campaign(text, clients: filter.clients) { Self.append(id, to: &filter.campaigns) }
        }
    }

    static func append(_ id: EntityID, to ids: inout [EntityID]) {
        if !ids.contains(id) { ids.append(id) }
    }

    /// The short codes of every link the filter can match.
    /// - Parameters:
    ///   - filter: which links.
    ///   - raw: keep codes that start like a formula as they are (default false).
    public func shortCodes(_ filter: ClickExportFilter, raw: Bool = false) async throws -> ClickExport.ShortCodes {
        ClickExport.ShortCodes(
            try await pool.query(ClickExport.linksStatement(filter)).map { row in
                (try row.id("id"), try row.decode("short_code", as: String.self))
            },
            raw: raw)
    }

    /// A link by id or short code.
    public func link(_ text: String) async throws -> EntityID {
        try await lookup("link", text, byID: "SELECT id FROM links WHERE id = $1", byName: "SELECT id FROM links WHERE short_code = $1")
    }

    /// Campaigns by id, or by name among `clients` (any client when empty, where the name
    /// must then be unique).
    public func campaign(_ text: String, clients: [EntityID] = []) async throws -> [EntityID] {
        if EntityID(text) != nil {
            return [try await lookup("campaign", text, byID: "SELECT id FROM campaigns WHERE id = $1", byName: nil)]
        }
        let rows = try await pool.query(
            """
            SELECT c.id, c.client_id, cl.name AS client_name
            FROM campaigns c JOIN clients cl ON cl.id = c.client_id
            WHERE c.name = $1 ORDER BY cl.name
            """, [text])
        var matches: [(id: EntityID, client: EntityID, clientName: String)] = []
        for row in rows {
            matches.append((try row.id("id"), try row.id("client_id"), try row.decode("client_name", as: String.self)))
        }
        if !clients.isEmpty { matches = matches.filter { clients.contains($0.client) } }
        guard !matches.isEmpty else { throw Unknown(what: "campaign", value: text) }
        if clients.isEmpty, matches.count > 1 { throw Ambiguous(value: text, clients: matches.map(\.clientName)) }
        return matches.map(\.id)
    }

    /// A client by id or name.
    public func client(_ text: String) async throws -> EntityID {
        try await lookup("client", text, byID: "SELECT id FROM clients WHERE id = $1", byName: "SELECT id FROM clients WHERE name = $1")
    }

    /// A tag by id or name.
    public func tag(_ text: String) async throws -> EntityID {
        try await lookup("tag", text, byID: "SELECT id FROM tags WHERE id = $1", byName: "SELECT id FROM tags WHERE name = $1")
    }

    private func lookup(_ what: String, _ text: String, byID: String, byName: String?) async throws -> EntityID {
        let rows: PGRows
        if let id = EntityID(text) {
            rows = try await pool.query(byID, [id.pg])
        } else if let byName {
            rows = try await pool.query(byName, [text])
        } else {
            throw Unknown(what: what, value: text)
        }
        guard let row = rows.first else { throw Unknown(what: what, value: text) }
        return try row.id("id")
    }
}
