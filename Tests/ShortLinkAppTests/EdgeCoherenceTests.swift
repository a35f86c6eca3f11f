import EmbeddedPostgres
import LibPQ
import Logging
import RedirectServer
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

/// The edge over loopback and a real Postgres: links changed in plain SQL reach the
/// cache through NOTIFY, in every instance, and survive a database restart.
@Suite(.teardown) struct EdgeCoherenceTests {
    @Test func edge_followsInsertUpdateAndDeleteMadeInSQL() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let (user, client) = try await makeOwner(db.pool)
        let edge = try await RunningEdge(url: db.url, pool: db.pool)
        onTeardown { await edge.stop() }
        #expect(try edge.get("/sqlmade").status == 404)

        try await db.pool.execute(
            "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ('sqlmade', 'https://example.com/one', $1::uuid, $2::uuid)",
            [user, client])
        let inserted = try await edge.waitFor("/sqlmade", timeout: .seconds(1)) { $0.location == "https://example.com/one" }
        try #require(inserted != nil, "insert not served within 1 s")

        try await db.pool.execute("UPDATE links SET original_url = 'https://example.com/two', redirect_status = 301 WHERE short_code = 'sqlmade'")
        let updated = try await edge.waitFor("/sqlmade", timeout: .seconds(1)) {
            $0.status == 301 && $0.location == "https://example.com/two"
        }
        try #require(updated != nil, "update not served within 1 s")

        try await db.pool.execute("DELETE FROM links WHERE short_code = 'sqlmade'")
        let deleted = try await edge.waitFor("/sqlmade", timeout: .seconds(1)) { $0.status == 404 }
        try #require(deleted != nil, "delete not served within 1 s")
        print(
            "edge coherence delay (ms): insert \(milliseconds(inserted!)), update \(milliseconds(updated!)), delete \(milliseconds(deleted!))"
        )
    }

    @Test func edge_whenCodeRenamed_oldCodeStopsAndNewCodeRedirects() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let (user, client) = try await makeOwner(db.pool)
        try await db.pool.execute(
            "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ('before', 'https://example.com/r', $1::uuid, $2::uuid)",
            [user, client])
        let edge = try await RunningEdge(url: db.url, pool: db.pool)
        onTeardown { await edge.stop() }
        #expect(try edge.get("/before").location == "https://example.com/r")
        try await db.pool.execute("UPDATE links SET short_code = 'after' WHERE short_code = 'before'")
        #expect(try await edge.waitFor("/after", timeout: .seconds(1)) { $0.location == "https://example.com/r" } != nil)
        #expect(try await edge.waitFor("/before", timeout: .seconds(1)) { $0.status == 404 } != nil)
    }

    @Test func twoEdges_onOneDatabase_bothConverge() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let (user, client) = try await makeOwner(db.pool)
        let first = try await RunningEdge(url: db.url, pool: db.pool)
        onTeardown { await first.stop() }
        let second = try await RunningEdge(url: db.url, pool: db.pool)
        onTeardown { await second.stop() }
        try await db.pool.execute(
            "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ('both', 'https://example.com/b1', $1::uuid, $2::uuid)",
            [user, client])
        for edge in [first, second] {
            #expect(try await edge.waitFor("/both", timeout: .seconds(1)) { $0.location == "https://example.com/b1" } != nil)
        }
        try await db.pool.execute("UPDATE links SET original_url = 'https://example.com/b2' WHERE short_code = 'both'")
        for edge in [first, second] {
            #expect(try await edge.waitFor("/both", timeout: .seconds(1)) { $0.location == "https://example.com/b2" } != nil)
        }
    }

    @Test func edge_whenListenConnectionDrops_resyncsChangesItMissed() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let (user, client) = try await makeOwner(db.pool)
        let edge = try await RunningEdge(url: db.url, pool: db.pool)
        onTeardown { await edge.stop() }
        // Kill the LISTEN backend and change a link in the same transaction: its
        // notification goes nowhere, so only the resync on reconnect can find it.
        try await db.pool.transaction { connection in
            _ = try connection.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'")
            _ = try connection.execute(
                "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ('missed', 'https://example.com/m', $1::uuid, $2::uuid)",
                [user, client])
        }
        #expect(try await edge.waitFor("/missed", timeout: .seconds(10)) { $0.location == "https://example.com/m" } != nil)
    }

    @Test func edge_survivesPostgresRestart_andResyncs() async throws {
        let postgres = EmbeddedPostgres(configuration: try .throwaway())
        defer { try? postgres.destroy() }
        _ = try postgres.start()
        let url = postgres.connectionURL
        let pool = PGPool(configuration: .init(url: url, maxConnections: 2), logger: Logger(label: "test.restart"))
        onTeardown { await pool.shutdown() }
        try await Migrator(pool: pool, directory: TestPostgres.migrationsDirectory, logger: Logger(label: "test")).migrate()
        let (user, client) = try await makeOwner(pool)
        try await pool.execute(
            "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ('kept', 'https://example.com/k', $1::uuid, $2::uuid)",
            [user, client])
        let edge = try await RunningEdge(url: url, pool: pool)
        onTeardown { await edge.stop() }
        #expect(try edge.get("/kept").status == 302)

        try postgres.stop()
        // The cache keeps answering while the database is down.
        #expect(try edge.get("/kept").location == "https://example.com/k")
        _ = try postgres.start()
        try await pool.execute(
            "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ('afterrestart', 'https://example.com/a', $1::uuid, $2::uuid)",
            [user, client])
        #expect(try await edge.waitFor("/afterrestart", timeout: .seconds(10)) { $0.location == "https://example.com/a" } != nil)
        #expect(try edge.get("/kept").location == "https://example.com/k")
    }
}
