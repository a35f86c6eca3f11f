import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage

/// A user, a client with a campaign, and helpers to make links, on a fresh database.
struct Fixture {
    let db: TestDatabase
    let user: User
    let client: Client
    let campaign: Campaign
    var links: LinkRepository { LinkRepository(pool: db.pool) }

    static func make() async throws -> Fixture {
        let db = try await TestPostgres.database()
        let user = try await UserRepository(pool: db.pool).create(email: "ana@agency.example", name: "Ana")
        let client = try await ClientRepository(pool: db.pool).create(name: "Acme")
        let campaign = try await CampaignRepository(pool: db.pool).create(clientID: client.id, name: "Spring")
        return Fixture(db: db, user: user, client: client, campaign: campaign)
    }

    func link(_ code: String, campaign: EntityID? = nil, tags: [String] = [], user: EntityID? = nil, client: EntityID? = nil) async throws -> Link {
        try await links.create(
            NewLink(
                shortCode: ShortCode(code)!, originalURL: "https://example.com/\(code)", userID: user ?? self.user.id,
                clientID: client ?? self.client.id, campaignID: campaign, tags: tags))
    }

    func count(_ sql: String, _ parameters: [(any PGEncodable)?] = []) async throws -> Int {
        try await db.pool.query(sql, parameters)[0].decode(0, as: Int.self)
    }

    func addClick(to link: EntityID) async throws {
        try await db.pool.execute(
            "INSERT INTO clicks (id, link_id, \"timestamp\") VALUES (gen_random_uuid(), $1, now())", [PGUUID(high: link.high, low: link.low)])
    }
}

extension EntityID {
    var pg: PGUUID { PGUUID(high: high, low: low) }
}

func pgErrorCode(_ body: () async throws -> Void) async -> PGError? {
    do {
        try await body()
        return nil
    } catch let error as PGError {
        return error
    } catch {
        return nil
    }
}
