public import LibPQ
public import ShortLinkCore

/// Bulk loading of synthetic organisations for `shortlinks seed` (benchmarks): the rows are
/// chosen by the caller, written here with COPY in one transaction.
public struct SeedRepository: Sendable {
    let pool: RepositoryPool

    /// Everything one seed run creates, with ids chosen up front (deterministic runs).
    public struct Organisation: Sendable {
        /// The one staff user who owns every link.
        public var user: (id: EntityID, email: String, name: String)
        /// Clients.
        public var clients: [(id: EntityID, name: String)] = []
        /// Campaigns, each of one of `clients`.
        public var campaigns: [(id: EntityID, clientID: EntityID, name: String)] = []
        /// Tags.
        public var tags: [(id: EntityID, name: String)] = []
        /// Links (default redirect options), each of one client and campaign.
        public var links: [(id: EntityID, originalURL: String, shortCode: String, clientID: EntityID, campaignID: EntityID)] = []
        /// Which links carry which tags.
        public var linkTags: [(linkID: EntityID, tagID: EntityID)] = []

        /// Creates an organisation with its user and nothing else yet.
        /// - Parameter user: the owner of the links.
        public init(user: (id: EntityID, email: String, name: String)) { self.user = user }
    }

    /// Creates the repository.
    /// - Parameter pool: a migrated database.
    public init(pool: PGPool) { self.pool = RepositoryPool(pool) }

    /// How many links have a code that starts with `prefix` (taken literally).
    /// - Parameter prefix: e.g. `seed-`.
    public func countLinks(codePrefix prefix: String) async throws -> Int {
        try await pool.query("SELECT count(*) FROM links WHERE short_code LIKE $1", [LinkRepository.escapeLike(prefix) + "%"])[0]
            .decode(0, as: Int.self)
    }

    /// Stores the organisation in one transaction: all of it or, on any failure, none.
    /// - Parameter organisation: the rows.
    public func load(_ organisation: Organisation) async throws {
        func rows<Item>(_ items: [Item], _ fields: (Item) -> [String?]) -> [UInt8] {
            var bytes: [UInt8] = []
            for item in items { PGCopyText.appendRow(fields(item), to: &bytes) }
            return bytes
        }
        let user = organisation.user
        let clients = rows(organisation.clients) { [$0.id.description, $0.name] }
        let campaigns = rows(organisation.campaigns) { [$0.id.description, $0.clientID.description, $0.name] }
        let tags = rows(organisation.tags) { [$0.id.description, $0.name] }
        let links = rows(organisation.links) {
            [$0.id.description, $0.originalURL, $0.shortCode, user.id.description, $0.clientID.description, $0.campaignID.description]
        }
        let linkTags = rows(organisation.linkTags) { [$0.linkID.description, $0.tagID.description] }
        try await pool.transaction { connection in
            try connection.execute("INSERT INTO users (id, email, name) VALUES ($1, $2, $3)", [user.id.pg, user.email, user.name])
            _ = try connection.copyIn("COPY clients (id, name) FROM STDIN") { try $0.write(clients) }
            _ = try connection.copyIn("COPY campaigns (id, client_id, name) FROM STDIN") { try $0.write(campaigns) }
            _ = try connection.copyIn("COPY tags (id, name) FROM STDIN") { try $0.write(tags) }
            _ = try connection.copyIn("COPY links (id, original_url, short_code, user_id, client_id, campaign_id) FROM STDIN") {
                try $0.write(links)
            }
            _ = try connection.copyIn("COPY link_tags (link_id, tag_id) FROM STDIN") { try $0.write(linkTags) }
        }
    }
}
