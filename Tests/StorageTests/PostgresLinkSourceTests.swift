import LibPQ
import Logging
import ShortLinkCore
import ShortLinkTesting
import Storage
import Synchronization
import Testing

@Suite(.teardown) struct PostgresLinkSourceTests {
    static func source(_ f: Fixture, chunkSize: Int = 4_096) -> PostgresLinkSource {
        PostgresLinkSource(pool: f.db.pool, listenerURL: f.db.url, logger: Logger(label: "test"), chunkSize: chunkSize)
    }

    /// 2030-01-01T00:00:00Z in microseconds since the epoch.
    static let expiryBase: Int64 = 1_893_456_000_000_000

    /// What row `g` of ``insertGenerated(_:count:)`` holds (without its id).
    static func expected(_ g: Int) -> LinkTarget {
        LinkTarget(
            id: EntityID(high: 0, low: 0), code: "g\(g)",
            url: "https://example.com/\(g)" + (g.isMultiple(of: 7) ? "/tab\there\\back\nline" : ""),
            status: [RedirectStatus.movedPermanently, .found, .temporaryRedirect, .permanentRedirect][g % 4],
            forwardQuery: g.isMultiple(of: 3),
            expiresAt: g.isMultiple(of: 5) ? Timestamp(microsecondsSinceEpoch: expiryBase + Int64(g)) : nil)
    }

    /// Inserts links g1…g`count` with one statement; every 7th URL has characters COPY must escape.
    static func insertGenerated(_ f: Fixture, count: Int) async throws {
        try await f.db.pool.execute(
            #"""
            INSERT INTO links (short_code, original_url, user_id, client_id, redirect_status, forward_query, expires_at)
            SELECT 'g' || g,
                   'https://example.com/' || g || CASE WHEN g % 7 = 0 THEN E'/tab\there\\back\nline' ELSE '' END,
                   $1, $2,
                   (ARRAY[301, 302, 307, 308])[1 + g % 4],
                   g % 3 = 0,
                   CASE WHEN g % 5 = 0 THEN timestamptz '2030-01-01 00:00:00+00' + g * interval '1 microsecond' END
            FROM generate_series(1, $3::int) g
            """#, [f.user.id.pg, f.client.id.pg, count])
    }

    @Test func loadAll_yieldsEveryLinkOnceWithExactFields_inChunksOfAtMostChunkSize() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let count = 10_000
        try await Self.insertGenerated(f, count: count)
        var ids: [String: EntityID] = [:]
        for row in try await f.db.pool.query("SELECT short_code, id FROM links") {
            let uuid = try row.decode(1, as: PGUUID.self)
            ids[try row.decode(0, as: String.self)] = EntityID(high: uuid.high, low: uuid.low)
        }

        var chunkSizes: [Int] = []
        var loaded: [String: LinkTarget] = [:]
        var duplicates = 0
        try await Self.source(f, chunkSize: 512).loadAll { chunk in
            chunkSizes.append(chunk.count)
            for target in chunk where loaded.updateValue(target, forKey: target.code) != nil { duplicates += 1 }
        }

        #expect(duplicates == 0)
        #expect(loaded.count == count)
        #expect(chunkSizes.allSatisfy { $0 > 0 && $0 <= 512 })
        #expect(chunkSizes.dropLast().allSatisfy { $0 == 512 })
        #expect(chunkSizes.count == (count + 511) / 512)
        var mismatches = 0
        for g in 1...count {
            var expected = Self.expected(g)
            expected.id = try #require(ids[expected.code])
            if loaded[expected.code] != expected { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func loadAll_whenEmpty_neverCallsConsume() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        var calls = 0
        try await Self.source(f).loadAll { _ in calls += 1 }
        #expect(calls == 0)
    }

    @Test func loadAll_whenConsumerThrows_stopsRethrowsAndReleasesTheConnection() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        try await Self.insertGenerated(f, count: 20_000)
        struct Stop: Error {}
        var calls = 0
        await #expect(throws: Stop.self) {
            try await Self.source(f, chunkSize: 100).loadAll { _ in
                calls += 1
                if calls == 2 { throw Stop() }
            }
        }
        #expect(calls == 2)
        // All four pooled connections come back: four queries at once.
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 { group.addTask { try await f.db.pool.query("SELECT count(*) FROM links")[0].decode(0, as: Int.self) } }
            for try await value in group { #expect(value == 20_000) }
        }
    }

    @Test func loadAll_whenARowIsMalformed_throwsDecodingFailedNamingTheColumn() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        _ = try await f.link("bad")
        // Only possible with the CHECK removed; the export must refuse rather than guess.
        try await f.db.pool.execute("ALTER TABLE links DROP CONSTRAINT links_redirect_status_check")
        try await f.db.pool.execute("UPDATE links SET redirect_status = 303")
        await #expect {
            try await Self.source(f).loadAll { _ in }
        } throws: { error in
            guard let error = error as? PGError else { return false }
            return error.code == .decodingFailed && error.message.contains("row 1") && error.message.contains("redirect_status")
        }
    }

    @Test func loadCodes_returnsExistingCodes_andOmitsMissingOnes() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let a = try await f.links.create(
            NewLink(
                shortCode: ShortCode("a")!, originalURL: "https://example.com/a", redirectStatus: .movedPermanently,
                forwardQuery: true, expiresAt: Timestamp(microsecondsSinceEpoch: Self.expiryBase + 1), userID: f.user.id,
                clientID: f.client.id))
        let b = try await f.link("B")
        _ = try await f.link("c")
        let source = Self.source(f)

        let loaded = try await source.load(codes: ["a", "missing", "B", "a", "A", "not a code", ""])
        #expect(Set(loaded) == [a.target, b.target])
        #expect(loaded.count == 2)
        #expect(try await source.load(codes: []).isEmpty)
        #expect(try await source.load(codes: ["missing"]).isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func changes_deliversListeningFirst_thenInsertUpdateRenameAndDelete() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        var events = Self.source(f).changes().makeAsyncIterator()
        #expect(await events.next() == .listening)
        let pool = f.db.pool

        try await pool.execute(
            "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ('n1', 'https://x/1', $1, $2)",
            [f.user.id.pg, f.client.id.pg])
        #expect(await events.next() == .changed(code: "n1"))

        try await pool.execute("UPDATE links SET original_url = 'https://x/2' WHERE short_code = 'n1'")
        #expect(await events.next() == .changed(code: "n1"))

        // A rename announces both codes: the old one must stop redirecting.
        try await pool.execute("UPDATE links SET short_code = 'n2' WHERE short_code = 'n1'")
        let renamed = [await events.next(), await events.next()]
        #expect(Set(renamed) == [.changed(code: "n1"), .changed(code: "n2")])

        // Several changes of one link in one transaction collapse into one event; a
        // rolled-back change sends none. The marker insert shows nothing else arrived.
        try await pool.transaction { connection in
            try connection.execute("UPDATE links SET original_url = 'https://x/3' WHERE short_code = 'n2'")
            try connection.execute("UPDATE links SET forward_query = true WHERE short_code = 'n2'")
        }
        #expect(await events.next() == .changed(code: "n2"))
        struct Abort: Error {}
        _ = try? await pool.transaction { connection in
            try connection.execute("UPDATE links SET original_url = 'https://x/4' WHERE short_code = 'n2'")
            throw Abort()
        }
        try await pool.execute(
            "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ('marker', 'https://x/m', $1, $2)",
            [f.user.id.pg, f.client.id.pg])
        #expect(await events.next() == .changed(code: "marker"))

        try await pool.execute("DELETE FROM links WHERE short_code = 'n2'")
        #expect(await events.next() == .changed(code: "n2"))
    }

    @Test(.timeLimit(.minutes(1)))
    func changes_whenConsumerStopsIterating_closesTheListenConnection() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let listeners = {
            try await f.count(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'shortlinks-listener'",
                [f.db.name])
        }
        var seenListening = false
        for await event in Self.source(f).changes() {
            seenListening = event == .listening
            #expect(try await listeners() == 1)
            break
        }
        #expect(seenListening)
        #expect(try await eventually { try await listeners() == 0 })
    }

    @Test(.timeLimit(.minutes(1)))
    func changes_whenConsumerTaskIsCancelled_closesTheListenConnection() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let listeners = {
            try await f.count(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'shortlinks-listener'",
                [f.db.name])
        }
        let source = Self.source(f)
        let seen = EventCounter()
        let consumer = Task {
            for await _ in source.changes() { seen.increment() }
            return seen.value
        }
        // Cancel only once `.listening` has reached the consumer (the backend shows up in
        // pg_stat_activity a little before that).
        #expect(
            try await eventually {
                guard seen.value == 1 else { return false }
                return try await listeners() == 1
            })
        consumer.cancel()
        #expect(await consumer.value == 1)
        #expect(try await eventually { try await listeners() == 0 })
    }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// Counts events seen by a consumer task.
final class EventCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
