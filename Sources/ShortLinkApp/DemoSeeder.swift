public import LibPQ
import ShortLinkCore
import Storage

/// Loads the demo data: one staff user, two clients with campaigns, and a handful of
/// tagged links. Running it again changes nothing.
public struct DemoSeeder: Sendable {
    /// What the seeder did.
    public struct Report: Sendable {
        /// Whether anything was inserted (false when the demo was already there).
        public var created: Bool
        /// The demo user's e-mail.
        public var userEmail: String
        /// `(code, target, tags)` of every demo link.
        public var links: [(code: String, target: String, tags: [String])]
    }

    /// The demo staff user's e-mail.
    public static let userEmail = "demo@macondo.example"

    private static let clients: [(name: String, campaigns: [String])] = [
        ("Acme Coffee", ["Spring Launch", "Loyalty Newsletter"]),
        ("Globex Travel", ["Summer Deals"]),
    ]

    private static let links: [(code: String, target: String, client: String, campaign: String?, tags: [String])] = [
        ("demo", "https://example.com/", "Acme Coffee", nil, ["demo"]),
        ("acme-spring", "https://example.com/acme/spring?utm_source=shortlinks", "Acme Coffee", "Spring Launch", ["demo", "social"]),
        ("acme-news", "https://example.com/acme/newsletter", "Acme Coffee", "Loyalty Newsletter", ["demo", "email"]),
        ("globex-summer", "https://example.org/globex/summer", "Globex Travel", "Summer Deals", ["demo", "social", "paid"]),
        ("globex", "https://example.org/globex", "Globex Travel", nil, ["demo"]),
    ]

    let pool: PGPool

    /// Creates a seeder.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = pool }

    /// Inserts the demo data unless its user already exists.
    public func seed() async throws -> Report {
        let users = UserRepository(pool: pool)
        let report = { (created: Bool) in
            Report(created: created, userEmail: Self.userEmail, links: Self.links.map { ($0.code, $0.target, $0.tags.sorted()) })
        }
        if try await users.find(email: Self.userEmail) != nil { return report(false) }
        let user = try await users.create(email: Self.userEmail, name: "Demo Staff")
        let clientRepository = ClientRepository(pool: pool)
        let campaignRepository = CampaignRepository(pool: pool)
        var clientIDs: [String: EntityID] = [:]
        var campaignIDs: [String: EntityID] = [:]
        for client in Self.clients {
            var created = try await clientRepository.find(name: client.name)
            if created == nil { created = try await clientRepository.create(name: client.name) }
            guard let created else { continue }
            clientIDs[client.name] = created.id
            let existing = try await campaignRepository.list(clientID: created.id)
            for name in client.campaigns {
                if let match = existing.first(where: { $0.name == name }) {
                    campaignIDs[name] = match.id
                } else {
                    campaignIDs[name] = try await campaignRepository.create(clientID: created.id, name: name).id
                }
            }
        }
        let linkRepository = LinkRepository(pool: pool)
        for link in Self.links {
            guard let code = ShortCode(link.code), try await linkRepository.find(shortCode: code) == nil else { continue }
            _ = try await linkRepository.create(
                NewLink(
                    shortCode: code, originalURL: link.target, userID: user.id, clientID: clientIDs[link.client]!,
                    campaignID: link.campaign.flatMap { campaignIDs[$0] }, tags: link.tags))
        }
        return report(true)
    }
}
