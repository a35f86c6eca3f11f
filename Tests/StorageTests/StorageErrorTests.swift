import LibPQ
import Logging
import ShortLinkCore
import ShortLinkTesting
import Testing

@testable import Storage

/// What a real Postgres refuses comes out of Storage as a typed ``StorageError``, one code per
/// constraint the schema names for it, and the SQLSTATE classes for the rest.
@Suite struct StorageErrorTests {
    static func newLink(_ f: Fixture, _ code: String, url: String? = nil, user: EntityID? = nil, client: EntityID? = nil) -> NewLink {
        NewLink(
            shortCode: ShortCode(code)!, originalURL: url ?? "https://example.com/\(code)", userID: user ?? f.user.id,
            clientID: client ?? f.client.id)
    }

    @Test func duplicates_areTheirTakenCodes() async throws {
        try await withFixture { f in
            _ = try await f.link("same")
            #expect(await storageError { _ = try await f.link("same") }?.code == .shortCodeTaken)
            let other = try await f.link("other")
            #expect(await storageError { _ = try await f.links.update(other.id, LinkPatch(shortCode: ShortCode("same")!)) }?.code == .shortCodeTaken)
            let database = Database(pool: f.db.pool)
            #expect(await storageError { _ = try await database.clients.create(name: "Acme") }?.code == .clientNameTaken)
            let globex = try await database.clients.create(name: "Globex")
            #expect(await storageError { _ = try await database.clients.rename(globex.id, to: "Acme") }?.code == .clientNameTaken)
            #expect(
                await storageError { _ = try await database.campaigns.create(clientID: f.client.id, name: "Spring") }?.code
                    == .campaignNameTaken)
            _ = try await database.campaigns.create(clientID: globex.id, name: "Spring")  // per client only
            _ = try await f.link("tagged", tags: ["one", "two"])
            let two = try #require(try await database.tags.find(name: "two"))
            #expect(await storageError { _ = try await database.tags.rename(two.id, to: "one") }?.code == .tagNameTaken)
            #expect(
                await storageError { _ = try await database.users.create(email: "ANA@agency.example", name: "Ana 2") }?.code
                    == .emailTaken, "the e-mail is unique in any case")
        }
    }

    @Test func references_toNothing_areUnknownClientAndUser() async throws {
        try await withFixture { f in
            let nobody = EntityID.random()
            #expect(await storageError { _ = try await f.links.create(Self.newLink(f, "c", client: nobody)) }?.code == .unknownClient)
            #expect(await storageError { _ = try await f.links.create(Self.newLink(f, "u", user: nobody)) }?.code == .unknownUser)
            let token = await storageError {
                _ = try await TokenRepository(pool: f.db.pool).create(
                    userID: nobody, name: "t", digest: Array(repeating: 1, count: 32), prefix: "p")
            }
            #expect(token?.code == .unknownUser)
        }
    }

    @Test func campaignOfAnotherClient_isItsOwnCode_onCreateEachToo() async throws {
        try await withFixture { f in
            let globex = try await ClientRepository(pool: f.db.pool).create(name: "Globex")
            let summer = try await CampaignRepository(pool: f.db.pool).create(clientID: globex.id, name: "Summer")
            var link = Self.newLink(f, "cross")
            link.campaignID = summer.id
            let results = try await f.links.createEach(
                [(Self.newLink(f, "fine"), false), (link, false)], regenerateCode: { ShortCode("x")! }, atomic: false)
            #expect((try? results[0].get())?.shortCode.rawValue == "fine")
            guard case .failure(let error) = results[1] else {
                Issue.record("the cross-client campaign was stored")
                return
            }
            #expect((error as? StorageError)?.code == .campaignOfAnotherClient)
        }
    }

    @Test func linkChecks_areTheirCodes() async throws {
        try await withFixture { f in
            let long = "https://example.com/" + String(repeating: "a", count: 8192)
            #expect(await storageError { _ = try await f.links.create(Self.newLink(f, "long", url: long)) }?.code == .urlTooLong)
            #expect(await storageError { _ = try await f.links.create(Self.newLink(f, "blank", url: " \t")) }?.code == .blank(.originalURL))
            // What the Swift types cannot express, written as SQL through the repositories' pool.
            let pool = RepositoryPool(f.db.pool)
            let link = try await f.link("ok")
            let statements: [(String, StorageError.Code)] = [
                ("UPDATE links SET redirect_status = 303 WHERE id = $1", .unsupportedRedirectStatus),
                ("UPDATE links SET short_code = 'bad code!' WHERE id = $1", .invalidShortCode),
                ("UPDATE links SET expires_at = 'infinity' WHERE id = $1", .infiniteExpiry),
            ]
            for (sql, code) in statements {
                #expect(await storageError { try await pool.execute(sql, [link.id.pg]) }?.code == code, "\(sql)")
            }
            for table in ["clients", "tags"] {
                let error = await storageError { try await pool.execute("INSERT INTO \(table) (name) VALUES (' ')") }
                #expect(error?.code == .blank(.name), "\(table)")
            }
            let email = await storageError { try await pool.execute("INSERT INTO users (email, name) VALUES (' ', 'x')") }
            #expect(email?.code == .blank(.email))
        }
    }

    @Test func otherRefusedValues_areRejectedByClass_naming_constraintAndColumn() async throws {
        try await withFixture { f in
            let pool = RepositoryPool(f.db.pool)
            let notNull = await storageError {
                try await pool.execute("INSERT INTO links (short_code, user_id, client_id) VALUES ('n', $1, $2)", [f.user.id.pg, f.client.id.pg])
            }
            #expect(notNull?.code == .rejected(.init(reason: .constraint, constraint: nil, column: "original_url")))
            let digest = await storageError {
                _ = try await TokenRepository(pool: f.db.pool).create(
                    userID: f.user.id, name: "t", digest: Array(repeating: 1, count: 31), prefix: "p")
            }
            #expect(digest?.code == .rejected(.init(reason: .constraint, constraint: "api_tokens_token_hash_sha256", column: nil)))
            // Random text does not compress below the b-tree's row limit (class 54).
            let huge = (0..<400).map { _ in EntityID.random().description }.joined()
            let index = await storageError { try await pool.execute("INSERT INTO tags (name) VALUES ($1)", [huge]) }
            guard case .rejected(let rejection) = index?.code else {
                Issue.record("an index row too large was not rejected: \(String(describing: index))")
                return
            }
            #expect(rejection.reason == .tooLong)
            let range = await storageError { try await pool.query("SELECT 2147483647::integer + 1") }
            #expect(range?.code == .rejected(.init(reason: .invalidValue, constraint: nil, column: nil)))
        }
    }

    @Test func anythingElse_isFailed_withTheDriversSafeDescription() async throws {
        try await withFixture { f in
            let error = await storageError { try await RepositoryPool(f.db.pool).execute("SELEKT 1") }
            #expect(error?.code == .failed)
            #expect(error?.isUnavailable == false)
            #expect(error?.description.contains("42601") == true)
        }
    }

    @Test func aLibraryThatCannotLoad_isItsOwnKindOfUnavailable() async throws {
        try await withFixture { f in
            let error = await storageError {
                try await RepositoryPool(f.db.pool).execute(
                    #"""
                    DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'XX000',
                        MESSAGE = 'could not load library "/usr/lib/postgresql/15/lib/plpgsql.so": undefined symbol: pg_x'; END $$
                    """#)
            }
            #expect(error?.code == .libraryCannotLoad)
            #expect(error?.isUnavailable == true)
            let advice = DatabaseHealth.explain(try #require(error), restartAdvice: "restart it")
            #expect(advice.contains("Restart the Postgres server: restart it"))
        }
    }

    @Test func aDatabaseNobodyListensFor_isUnavailable() async throws {
        // Port 1 on the loopback: refused at once, nothing to wait for.
        let pool = PGPool(
            configuration: .init(url: "postgresql://shortlinks@127.0.0.1:1/none", maxConnections: 1),
            logger: Logger(label: "test"))
        let error = await storageError { try await DatabaseHealth(pool: pool).ping() }
        await pool.shutdown()
        #expect(error?.code == .unavailable)
        #expect(error?.isUnavailable == true)
    }
}
