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

/// The error of type `E` that `body` throws, or `nil` when it throws nothing or something else.
func thrown<E: Error>(_: E.Type, by body: () async throws -> Void) async -> E? {
    do {
        try await body()
        return nil
    } catch {
        return error as? E
    }
}

/// The driver's error from raw SQL (a repository throws a ``StorageError`` instead).
func pgErrorCode(_ body: () async throws -> Void) async -> PGError? { await thrown(PGError.self, by: body) }

/// The ``StorageError`` `body` throws, or `nil` when it throws nothing or something else.
func storageError(_ body: () async throws -> Void) async -> StorageError? { await thrown(StorageError.self, by: body) }

/// Runs `body` on a fresh fixture, then drops its database (awaited, also when `body` throws).
func withFixture(_ body: (Fixture) async throws -> Void) async throws {
    let f = try await Fixture.make()
    do {
        try await body(f)
    } catch {
        await f.db.drop()
        throw error
    }
    await f.db.drop()
}
