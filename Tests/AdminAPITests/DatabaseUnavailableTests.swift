import EmbeddedPostgres
import Hummingbird
import HummingbirdTesting
import LibPQ
import Logging
import NIOPosix
import Prometheus
import ShortLinkCore
import ShortLinkTesting
import Storage
import Synchronization
import Testing

@testable import AdminAPI

/// A database that is down, or a session killed under a request, answers
/// `503 database_unavailable` with `Retry-After` (never 500); a read is retried once on a
/// new connection first, a write is not.
@Suite(.teardown) struct DatabaseUnavailableTests {
    /// The backends of this database waiting for a lock (the request's query). Asked outside
    /// the locking transaction: inside one, `pg_stat_activity` is a snapshot.
    static func waitingBackends(_ observer: PGPool) async throws -> [Int] {
        try await observer.withConnection { connection in
            try connection.query(
                """
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
                """
            ).map { try $0.decode(0, as: Int.self) }
        }
    }

    /// Polls until a backend other than `seen` waits for the lock (bounded: `nil` when none does).
    static func nextWaitingBackend(_ observer: PGPool, other seen: Set<Int> = []) async throws -> Int? {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let pid = try await waitingBackends(observer).first(where: { !seen.contains($0) }) { return pid }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    final class Flag: Sendable {
        private let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }

    struct Outcome {
        var reply: Reply
        /// The backend killed under the request.
        var killed: Int?
        /// The backend a retry of the request waited on, when `expectRetry`.
        var retriedOn: Int?
        /// Whether the reply came while the lock was still held (so nothing ran again).
        var answeredUnderLock = false
    }

    /// Holds an exclusive lock on `clients` so the request's query waits, kills the waiting
    /// backend, then either waits for a retry to wait on the lock too, or for the reply to
    /// arrive while the lock is still held (a repeated statement would wait for it).
    static func killUnderLock(
        _ harness: AdminHarness, expectRetry: Bool, request: @escaping @Sendable () async throws -> Reply
    ) async throws -> Outcome {
        let locker = PGPool(configuration: .init(url: harness.db.url, maxConnections: 1), logger: Logger(label: "test"))
        let observer = PGPool(configuration: .init(url: harness.db.url, maxConnections: 1), logger: Logger(label: "test"))
        onTeardown {
            await locker.shutdown()
            await observer.shutdown()
        }
        return try await locker.withLease { lease in
            try await lease.run { try $0.executeScript("BEGIN; LOCK TABLE clients IN ACCESS EXCLUSIVE MODE") }
            let answered = Flag()
            let pending = Task {
                defer { answered.set() }
                return try await request()
            }
            let killed = try await nextWaitingBackend(observer)
            var retriedOn: Int?
            var answeredUnderLock = false
            if let killed {
                _ = try await observer.query("SELECT pg_terminate_backend($1)", [killed])
                if expectRetry {
                    retriedOn = try await nextWaitingBackend(observer, other: [killed])
                } else {
                    let deadline = ContinuousClock.now + .seconds(20)
                    while !answered.isSet, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
                    answeredUnderLock = answered.isSet
                }
            }
            try await lease.run { try $0.executeScript("COMMIT") }
            return Outcome(reply: try await pending.value, killed: killed, retriedOn: retriedOn, answeredUnderLock: answeredUnderLock)
        }
    }

    @Test func get_whoseSessionIsKilledMidQuery_isRetriedOnANewConnection_andSucceeds() async throws {
        let harness = try await AdminHarness.make()
        _ = try await harness.makeClient("Acme")
        try await harness.run { client in
            let outcome = try await Self.killUnderLock(harness, expectRetry: true) { try await client.get("/api/v1/clients") }
            #expect(outcome.killed != nil)
            #expect(outcome.retriedOn != nil, "the read was not retried")
            #expect(outcome.reply.status == 200)
            #expect(outcome.reply.json["items"]?.arrayValue?.count == 1)
        }
    }

    @Test func post_whoseSessionIsKilledMidQuery_is503WithRetryAfter_andNotRepeated() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let outcome = try await Self.killUnderLock(harness, expectRetry: false) {
                try await client.post("/api/v1/clients", #"{"name":"Acme"}"#)
            }
            let reply = outcome.reply
            #expect(outcome.killed != nil)
            #expect(outcome.answeredUnderLock, "the write was repeated (it waited for the lock again)")
            #expect(reply.status == 503)
            #expect(reply.code == "database_unavailable")
            #expect(reply.contentType == "application/problem+json")
            #expect(reply.headers[.retryAfter] == "5")
            #expect(try await harness.count("clients") == 0)
        }
    }

    /// Stops a cluster of its own (the shared one serves the other suites in parallel).
    @Test func databaseDown_readsAndWritesAre503WithRetryAfter_andServeAgainOnceItIsBack() async throws {
        let embedded = EmbeddedPostgres(configuration: try .throwaway())
        defer { try? embedded.destroy() }
        _ = try await NIOThreadPool.singleton.runIfActive { try embedded.start() }
        let pool = PGPool(configuration: .init(url: embedded.connectionURL, maxConnections: 4), logger: Logger(label: "test"))
        onTeardown { await pool.shutdown() }
        try await Migrator(pool: pool, directory: TestPostgres.migrationsDirectory, logger: Logger(label: "test")).migrate()
        let user = try await UserRepository(pool: pool).create(email: "staff@macondo.example", name: "Staff")
        let secret = APITokenSecret.generate()
        _ = try await TokenRepository(pool: pool).create(userID: user.id, name: "test", digest: secret.digest, prefix: secret.prefix)
        let api = AdminAPI(
            configuration: AdminConfiguration(host: "127.0.0.1", port: 0, publicBaseURL: AdminHarness.publicBaseURL),
            database: Database(pool: pool), metrics: PrometheusCollectorRegistry(), readiness: ReadinessChecks(interval: .zero),
            logger: Logger(label: "test.admin"))
        try await Application(router: api.makeRouter()).test(.router) { testClient in
            let client = AdminClient(client: testClient, token: secret.token)
            #expect(try await client.get("/api/v1/clients").status == 200)

            try await NIOThreadPool.singleton.runIfActive { try embedded.stop() }
            for reply in [
                try await client.get("/api/v1/clients"),
                try await client.post("/api/v1/clients", #"{"name":"Acme"}"#),
                try await client.get("/api/v1/links"),
            ] {
                #expect(reply.status == 503)
                #expect(reply.code == "database_unavailable")
                #expect(reply.headers[.retryAfter] == "5")
            }
            let readiness = try await client.get("/readyz", auth: .none)
            #expect(readiness.status == 503)
            #expect(readiness.json["database"] == "unreachable")

            _ = try await NIOThreadPool.singleton.runIfActive { try embedded.start() }
            #expect(try await client.get("/api/v1/clients").status == 200)
            #expect(try await client.post("/api/v1/clients", #"{"name":"Acme"}"#).status == 201)
            #expect(try await client.get("/readyz", auth: .none).status == 200)
        }
    }
}
