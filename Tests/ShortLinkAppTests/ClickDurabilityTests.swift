import ClickPipeline
import EmbeddedPostgres
import Foundation
import LibPQ
import Logging
import ShortLinkTesting
import Spawn
import Storage
import Testing

/// No click is lost: not while Postgres is down, not on SIGTERM, and (thanks to the mapped
/// journal) not on `kill -9` either.
@Suite(.serialized, .teardown) struct ClickDurabilityTests {
    @Test func postgresStoppedForTenSeconds_underTraffic_everyClickIsStoredOnce() async throws {
        let postgres = EmbeddedPostgres(configuration: try .throwaway())
        defer { try? postgres.destroy() }
        _ = try postgres.start()
        let url = postgres.connectionURL
        let pool = PGPool(configuration: .init(url: url, maxConnections: 4), logger: Logger(label: "test.outage"))
        onTeardown { await pool.shutdown() }
        try await Migrator(pool: pool, directory: TestPostgres.migrationsDirectory, logger: Logger(label: "test")).migrate()
        try await insertLink(pool, code: "outage")
        let service = try await RunningService(url: url, pool: pool)
        let traffic = Traffic(port: service.port, path: "/outage")
        // The sleeps in these tests are not synchronisation: they are the spans of traffic
        // the tests are about (before, during and after the ten-second outage); the
        // waits that follow each (shutdown, exit) are on events.
        try await Task.sleep(for: .seconds(2))
        try postgres.stop()
        let answeredBeforeOutage = traffic.answered
        try await Task.sleep(for: .seconds(10))
        let answeredDuringOutage = traffic.answered - answeredBeforeOutage
        _ = try postgres.start()
        try await Task.sleep(for: .seconds(2))
        let answered = await traffic.stop()
        try await service.shutdown()

        // The edge kept answering from its cache while the database was away.
        #expect(answeredDuringOutage > 100)
        let stored = try await clickCounts(pool, code: "outage")
        print(
            "postgres outage: answered \(answered) (\(answeredDuringOutage) during the outage), stored \(stored.rows), distinct \(stored.distinct), retries \(service.clicks.statistics.retries)"
        )
        #expect(stored.rows == answered)
        #expect(stored.distinct == stored.rows)
        #expect(service.clicks.statistics.retries > 0)
        #expect(service.clicks.statistics.dropped == 0)
        // The rollups count each stored click once too (retried batches included).
        for (rollup, clicks) in try await rolledUpClicks(pool, code: "outage") {
            #expect(clicks == stored.rows, "\(rollup) rollup: \(clicks) of \(stored.rows)")
        }
    }

    @Test func sigterm_underTraffic_everyAnsweredClickIsStoredBeforeExit() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        try await insertLink(db.pool, code: "term")
        let served = try await ServedBinary.start(databaseURL: db.url, spool: temporarySpool())
        let traffic = Traffic(port: served.port, path: "/term")
        try await Task.sleep(for: .seconds(2))
        try await served.stop(with: SIGTERM)
        let answered = await traffic.stop()
        #expect(served.termination == .exited(0))
        let stored = try await clickCounts(db.pool, code: "term")
        print("SIGTERM under traffic: answered \(answered), stored \(stored.rows)")
        #expect(answered > 100)
        #expect(stored.rows == answered)
        #expect(stored.distinct == stored.rows)
        for (rollup, clicks) in try await rolledUpClicks(db.pool, code: "term") {
            #expect(clicks == stored.rows, "\(rollup) rollup: \(clicks) of \(stored.rows)")
        }
    }

    @Test func kill9_underTraffic_theNextStartStoresEveryAnsweredClick() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        try await insertLink(db.pool, code: "crash")
        let spool = temporarySpool()
        let crashed = try await ServedBinary.start(databaseURL: db.url, spool: spool)
        let traffic = Traffic(port: crashed.port, path: "/crash")
        try await Task.sleep(for: .seconds(2))
        try await crashed.stop(with: SIGKILL)
        let answered = await traffic.stop()
        let storedAtCrash = try await clickCounts(db.pool, code: "crash").rows
        #expect(crashed.termination == .signaled(SIGKILL))

        // The next start replays the journal the killed process left behind.
        let restarted = try await ServedBinary.start(databaseURL: db.url, spool: spool)
        try await waitUntil { try await clickCounts(db.pool, code: "crash").rows >= answered }
        try await restarted.stop(with: SIGTERM)
        let stored = try await clickCounts(db.pool, code: "crash")
        print(
            "kill -9 under traffic: answered \(answered), stored before restart \(storedAtCrash), stored after replay \(stored.rows), lost \(max(0, answered - stored.rows))"
        )
        #expect(answered > 100)
        // One request may have been captured whose response the client never read.
        #expect(stored.rows >= answered && stored.rows <= answered + 1)
        #expect(stored.distinct == stored.rows)
        #expect(journalFiles(in: spool).isEmpty)
        // The replayed batches (some already stored before the kill) are rolled up once.
        for (rollup, clicks) in try await rolledUpClicks(db.pool, code: "crash") {
            #expect(clicks == stored.rows, "\(rollup) rollup: \(clicks) of \(stored.rows)")
        }
    }
}
