import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@Suite(.teardown) struct LinkRedirectOptionsTests {
    static let expiry = Timestamp(microsecondsSinceEpoch: 1_900_000_000_123_456)

    @Test func plainSQLInsert_getsTheDefaultRedirectOptions() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        try await f.db.pool.execute(
            "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ('plain', 'https://x', $1, $2)",
            [f.user.id.pg, f.client.id.pg])
        let row = try await f.db.pool.query(
            "SELECT redirect_status, forward_query, expires_at IS NULL FROM links WHERE short_code = 'plain'")[0]
        #expect(try row.decode(0, as: Int.self) == 302)
        #expect(try row.decode(1, as: Bool.self) == false)
        #expect(try row.decode(2, as: Bool.self))
        let link = try #require(try await f.links.find(shortCode: ShortCode("plain")!))
        #expect(link.redirectStatus == .found)
        #expect(link.forwardQuery == false)
        #expect(link.expiresAt == nil)
    }

    @Test(arguments: [300, 303, 304, 0])
    func redirectStatus_outsideTheKnownSet_isCheckViolation(status: Int) async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let insertError = await pgErrorCode {
            try await f.db.pool.execute(
                "INSERT INTO links (short_code, original_url, user_id, client_id, redirect_status) VALUES ('s', 'https://x', $1, $2, $3)",
                [f.user.id.pg, f.client.id.pg, status])
        }
        #expect(insertError?.code == .checkViolation)
        #expect(insertError?.constraint == "links_redirect_status_check")
        let link = try await f.link("ok")
        let updateError = await pgErrorCode {
            try await f.db.pool.execute("UPDATE links SET redirect_status = $2 WHERE id = $1", [link.id.pg, status])
        }
        #expect(updateError?.code == .checkViolation)
        #expect(updateError?.constraint == "links_redirect_status_check")
        #expect(try await f.links.get(link.id)?.redirectStatus == .found)
    }

    @Test func infiniteExpiry_isCheckViolation() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let link = try await f.link("inf")
        for value in ["infinity", "-infinity"] {
            let error = await pgErrorCode {
                try await f.db.pool.execute("UPDATE links SET expires_at = $2::timestamptz WHERE id = $1", [link.id.pg, value])
            }
            #expect(error?.code == .checkViolation)
            #expect(error?.constraint == "links_expires_at_finite")
        }
    }

    @Test func create_roundTripsRedirectOptions_throughGetFindAndList() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let created = try await f.links.create(
            NewLink(
                shortCode: ShortCode("opts")!, originalURL: "https://example.com/a", redirectStatus: .permanentRedirect,
                forwardQuery: true, expiresAt: Self.expiry, userID: f.user.id, clientID: f.client.id))
        #expect(created.redirectStatus == .permanentRedirect)
        #expect(created.forwardQuery)
        #expect(created.expiresAt == Self.expiry)
        #expect(try await f.links.get(created.id) == created)
        #expect(try await f.links.find(shortCode: created.shortCode) == created)
        #expect(try await f.links.list() == [created])

        let plain = try await f.link("plain")
        #expect(plain.redirectStatus == .found)
        #expect(plain.forwardQuery == false)
        #expect(plain.expiresAt == nil)
    }

    @Test func bulkCreate_roundTripsRedirectOptions() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let statuses = RedirectStatus.allCases
        let batch = statuses.enumerated().map { index, status in
            NewLink(
                shortCode: ShortCode("b\(index)")!, originalURL: "https://example.com/\(index)", redirectStatus: status,
                forwardQuery: index.isMultiple(of: 2), expiresAt: index == 1 ? nil : Self.expiry.adding(seconds: Int64(index)),
                userID: f.user.id, clientID: f.client.id)
        }
        let created = try await f.links.create(batch)
        #expect(created.map(\.redirectStatus) == statuses)
        #expect(created.map(\.forwardQuery) == [true, false, true, false])
        #expect(created.map(\.expiresAt) == batch.map(\.expiresAt))
        for link in created { #expect(try await f.links.get(link.id) == link) }
    }

    @Test func update_setsKeepsAndClearsRedirectOptions() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let link = try await f.link("upd")

        let set = try #require(
            try await f.links.update(
                link.id, LinkPatch(redirectStatus: .movedPermanently, forwardQuery: true, expiresAt: .some(Self.expiry))))
        #expect(set.redirectStatus == .movedPermanently)
        #expect(set.forwardQuery)
        #expect(set.expiresAt == Self.expiry)
        #expect(set.originalURL == link.originalURL)

        // Patching other fields leaves the options alone.
        let other = try #require(try await f.links.update(link.id, LinkPatch(originalURL: "https://example.org/new", tags: ["t"])))
        #expect(other.redirectStatus == .movedPermanently)
        #expect(other.forwardQuery)
        #expect(other.expiresAt == Self.expiry)

        // `.some(nil)` clears the expiry; the other options can be turned back.
        let cleared = try #require(
            try await f.links.update(link.id, LinkPatch(redirectStatus: .temporaryRedirect, forwardQuery: false, expiresAt: .some(nil))))
        #expect(cleared.redirectStatus == .temporaryRedirect)
        #expect(cleared.forwardQuery == false)
        #expect(cleared.expiresAt == nil)
        #expect(cleared.originalURL == "https://example.org/new")
        #expect(try await f.links.get(link.id) == cleared)
    }

    @Test func linkTarget_carriesTheRedirectFields() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let link = try await f.links.create(
            NewLink(
                shortCode: ShortCode("tgt")!, originalURL: "https://example.com/t", redirectStatus: .temporaryRedirect,
                forwardQuery: true, expiresAt: Self.expiry, userID: f.user.id, clientID: f.client.id))
        #expect(
            link.target
                == LinkTarget(
                    id: link.id, code: "tgt", url: "https://example.com/t", status: .temporaryRedirect, forwardQuery: true,
                    expiresAt: Self.expiry))
    }
}
