import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Testing

/// The edge redirects only to http(s) targets, whatever the database holds: a row written by
/// SQL with a `javascript:` target is treated as unavailable (404, no click).
@Suite(.teardown) struct EdgeUnsafeTargetTests {
    @Test func edge_storedNonHTTPTarget_answers404_onLoadAndOnChange() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let (user, client) = try await makeOwner(db.pool)
        let insert = "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ($1, $2, $3::uuid, $4::uuid)"
        try await db.pool.execute(insert, ["jsload", "javascript:alert(document.domain)", user, client])
        try await db.pool.execute(insert, ["fine", "https://example.com/fine", user, client])
        let edge = try await RunningEdge(url: db.url, pool: db.pool)
        onTeardown { await edge.stop() }

        #expect(try edge.get("/fine").location == "https://example.com/fine", "the full load served the good link")
        let loaded = try edge.get("/jsload")
        #expect(loaded.status == 404)
        #expect(loaded.location == nil)

        // Changed by SQL while the edge runs: the refresh path refuses it too. Both changes
        // are in one transaction, so once the second is served the first was refreshed.
        try await db.pool.transaction { connection in
            try connection.execute(insert, ["jschange", "JavaScript:alert(1)", user, client])
            try connection.execute("UPDATE links SET original_url = 'data:text/html,<b>x</b>' WHERE short_code = 'fine'")
            try connection.execute(insert, ["marker", "https://example.com/marker", user, client])
        }
        try #require(try await edge.waitFor("/marker", timeout: .seconds(5)) { $0.location == "https://example.com/marker" } != nil)
        for code in ["jsload", "jschange", "fine"] {
            let response = try edge.get("/\(code)")
            #expect(response.status == 404, "\(code)")
            #expect(response.location == nil, "\(code)")
        }
        let unsafe = try await db.pool.query("SELECT id::text FROM links WHERE short_code IN ('jsload', 'jschange')")
            .map { try $0.decode(0, as: String.self) }
        #expect(unsafe.count == 2)
        #expect(try edge.sink.events().allSatisfy { !unsafe.contains($0.linkID.description) }, "no click for a link that does not redirect")
    }
}
