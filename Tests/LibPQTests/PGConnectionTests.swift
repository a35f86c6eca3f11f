import LibPQ
import ShortLinkTesting
import Testing

@Suite(.teardown) struct PGConnectionTests {
    @Test func transaction_whenBodyThrows_rollsBack() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        try await db.pool.execute("CREATE TABLE t (v int)")
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await db.pool.transaction { connection in
                try connection.execute("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        try await db.pool.transaction { connection in
            try connection.execute("INSERT INTO t VALUES (2)")
            // A failing nested transaction rolls back to its savepoint only.
            _ = try? connection.transaction { inner in
                try inner.execute("INSERT INTO t VALUES (3)")
                throw Boom()
            }
        }
        let values = try await db.pool.query("SELECT v FROM t ORDER BY v").map { try $0.decode(0, as: Int.self) }
        #expect(values == [2])
    }

    @Test func error_uniqueViolation_hasCodeAndNeverThePrameterValue() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        try await db.pool.execute("CREATE TABLE secrets (s text CONSTRAINT secrets_s_key UNIQUE)")
        let secret = "hunter2-very-secret"
        try await db.pool.execute("INSERT INTO secrets VALUES ($1)", [secret])
        do {
            try await db.pool.execute("INSERT INTO secrets VALUES ($1)", [secret])
            Issue.record("expected a unique violation")
        } catch let error as PGError {
            #expect(error.code == .uniqueViolation)
            #expect(error.sqlState == "23505")
            #expect(error.constraint == "secrets_s_key")
            #expect(!error.description.contains(secret))
            #expect(!"\(error)".contains(secret))
        }
    }

    @Test func error_dataException_redactsEchoedInput() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let secret = "not-a-uuid-secret-value"
        do {
            _ = try await db.pool.query("SELECT $1::uuid", [secret])
            Issue.record("expected a data exception")
        } catch let error as PGError {
            #expect(error.code == .dataException)
            #expect(!error.description.contains(secret))
        }
    }

    @Test func connect_whenServerAbsent_failsWithConnectionFailed() async throws {
        do {
            _ = try PGConnection(url: "postgresql:///x?host=/nonexistent-socket-dir&user=postgres&password=pa55word", connectTimeoutSeconds: 2)
            Issue.record("expected a connection failure")
        } catch let error as PGError {
            #expect(error.code == .connectionFailed)
            #expect(!error.description.contains("pa55word"))
        }
    }

    @Test func redactedURL_hidesPassword() {
        #expect(PGConnectionURL.redacted("postgres://app:s3cret@db:5432/x") == "postgres://app:***@db:5432/x")
        #expect(PGConnectionURL.redacted("postgresql:///x?host=/tmp&password=s3cret") == "postgresql:///x?host=/tmp&password=***")
        #expect(PGConnectionURL.redacted("host=db password=s3cret") == "host=db password=***")
    }
}
