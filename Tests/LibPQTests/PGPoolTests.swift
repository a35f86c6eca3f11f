import EmbeddedPostgres
import LibPQ
import Logging
import NIOPosix
import ShortLinkTesting
import Testing

@Suite(.teardown) struct PGPoolTests {
    @Test(.timeLimit(.minutes(1))) func pool_isBounded_andTimesOutWaiters() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let pool = PGPool(configuration: .init(url: db.url, maxConnections: 2, acquireTimeout: .milliseconds(300)), logger: Logger(label: "test"))
        onTeardown { await pool.shutdown() }
        // Two holders take both connections and keep them until released; a third caller
        // must time out.
        let (held, heldContinuation) = AsyncStream.makeStream(of: Void.self)
        let (releaseFirst, releaseFirstContinuation) = AsyncStream.makeStream(of: Void.self)
        let (releaseSecond, releaseSecondContinuation) = AsyncStream.makeStream(of: Void.self)
        defer {
            releaseFirstContinuation.finish()
            releaseSecondContinuation.finish()
        }
        async let first = Self.hold(pool, signalling: heldContinuation, until: releaseFirst)
        async let second = Self.hold(pool, signalling: heldContinuation, until: releaseSecond)
        var holding = 0
        for await _ in held {
            holding += 1
            if holding == 2 { break }
        }
        #expect(pool.statistics.availablePermits == 0)
        await #expect {
            _ = try await pool.query("SELECT 1")
        } throws: { error in
            (error as? PGError)?.code == .poolTimeout
        }
        releaseFirstContinuation.finish()
        releaseSecondContinuation.finish()
        let pids = try await [first, second]
        #expect(Set(pids).count == 2)
        #expect(try await pool.query("SELECT 1")[0].decode(0, as: Int.self) == 1)
    }

    /// Leases a connection, says so on `held`, and keeps it until `release` finishes;
    /// returns the connection's backend pid.
    static func hold(_ pool: PGPool, signalling held: AsyncStream<Void>.Continuation, until release: AsyncStream<Void>) async throws -> Int {
        try await pool.withLease { lease in
            let pid = try await lease.run { try $0.query("SELECT pg_backend_pid()")[0].decode(0, as: Int.self) }
            held.yield()
            for await _ in release {}
            return pid
        }
    }

    @Test func listener_deliversNotifications() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let listener = PGListener(url: db.url, channels: ["link_changed"], logger: Logger(label: "test"))
        var events = listener.events().makeAsyncIterator()
        #expect(await events.next() == .listening)
        try await db.pool.execute("SELECT pg_notify('link_changed', $1)", ["abc"])
        try await db.pool.execute("NOTIFY link_changed, 'second'")
        let first = await events.next()
        let second = await events.next()
        guard case .notification(let one) = first, case .notification(let two) = second else {
            Issue.record("expected two notifications, got \(String(describing: first)), \(String(describing: second))")
            return
        }
        #expect(one.channel == "link_changed")
        #expect([one.payload, two.payload] == ["abc", "second"])
    }

    /// Restarts a cluster of its own (the shared one serves other tests in parallel).
    @Test func poolAndListener_surviveAPostgresRestart() async throws {
        let embedded = EmbeddedPostgres(configuration: try .throwaway())
        defer { try? embedded.destroy() }
        _ = try await NIOThreadPool.singleton.runIfActive { try embedded.start() }
        let pool = PGPool(configuration: .init(url: embedded.connectionURL, maxConnections: 2), logger: Logger(label: "test"))
        onTeardown { await pool.shutdown() }
        let before = try await pool.query("SELECT pg_backend_pid()")[0].decode(0, as: Int.self)
        let listener = PGListener(url: embedded.connectionURL, channels: ["ping"], reconnectDelay: .milliseconds(100), logger: Logger(label: "test"))
        var events = listener.events().makeAsyncIterator()
        #expect(await events.next() == .listening)

        try await NIOThreadPool.singleton.runIfActive {
            try embedded.stop()
            _ = try embedded.start()
        }

        // The idle pooled connection is dead; the pool notices and reconnects.
        let after = try await pool.query("SELECT pg_backend_pid()")[0].decode(0, as: Int.self)
        #expect(after != before)
        // The listener reconnects and LISTENs again, then delivers.
        #expect(await events.next() == .listening)
        try await pool.execute("SELECT pg_notify('ping', 'after-restart')")
        guard case .notification(let notification) = await events.next() else {
            Issue.record("expected a notification after the restart")
            return
        }
        #expect(notification.channel == "ping")
        #expect(notification.payload == "after-restart")
    }
}
