import LibPQ
import Logging
import ShortLinkTesting
import Testing

@testable import AdminAPI

/// `/readyz` checks that the database takes a write from a new session, not only that it
/// answers `SELECT 1`: a read-only database, or one whose new sessions cannot run PL/pgSQL
/// (binaries upgraded under the server), is not ready; it is ready again after the repair.
@Suite(.teardown) struct ReadinessWritePathTests {
    /// Checks on every request (no cache), so each request shows the database as it is now.
    static let uncached = ReadinessChecks(interval: .zero)

    /// A session opened before the database is made read-only (it stays writable), for the
    /// statements that break and repair it.
    static func adminPool(_ harness: AdminHarness) async throws -> PGPool {
        let pool = PGPool(configuration: .init(url: harness.db.url, maxConnections: 1), logger: Logger(label: "test"))
        try await pool.execute("SELECT 1")
        return pool
    }

    @Test func readyz_whenNewSessionsAreReadOnly_is503NamingTheWriteCheck_andReadyAfterTheRepair() async throws {
        let harness = try await AdminHarness.make(readiness: Self.uncached)
        let admin = try await Self.adminPool(harness)
        onTeardown { await admin.shutdown() }
        try await harness.run { client in
            #expect(try await client.get("/readyz", auth: .none).status == 200)
            // The name is generated hex, never input.
            try await admin.execute("ALTER DATABASE \(harness.db.name) SET default_transaction_read_only = on")

            let broken = try await client.get("/readyz", auth: .none)
            #expect(broken.status == 503)
            #expect(broken.json["status"] == "not_ready")
            #expect(broken.json["database"] == "ok")
            #expect(broken.json["writePath"] == "failing")
            let failed = broken.json["failed"]?.arrayValue ?? []
            #expect(failed.compactMap { $0["check"]?.stringValue } == ["writePath"])
            #expect(failed.first?["reason"]?.stringValue?.contains("read-only") == true)

            try await admin.execute("ALTER DATABASE \(harness.db.name) RESET default_transaction_read_only")
            let repaired = try await client.get("/readyz", auth: .none)
            #expect(repaired.status == 200)
            #expect(repaired.json["writePath"] == "ok")
            #expect(repaired.json["failed"] == nil)
            // The probe leaves nothing behind.
            #expect(try await admin.query("SELECT count(*) FROM tags")[0].decode(0, as: Int.self) == 0)
        }
    }

    @Test func readyz_whenTheTriggerFunctionFailsLikeAnUnloadablePlpgsql_namesTheCauseAndTheRestart() async throws {
        let harness = try await AdminHarness.make(readiness: Self.uncached)
        let admin = try await Self.adminPool(harness)
        onTeardown { await admin.shutdown() }
        let original = try await admin.query("SELECT pg_get_functiondef('set_updated_at()'::regprocedure)")[0].decode(0, as: String.self)
        try await harness.run { client in
            // What a backend reports when the plpgsql.so on disk is newer than the running server.
            try await admin.withConnection { connection in
                try connection.executeScript(
                    #"""
                    CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        RAISE EXCEPTION USING ERRCODE = 'XX000',
                            MESSAGE = 'could not load library "/usr/lib/postgresql/15/lib/plpgsql.so": /usr/lib/postgresql/15/lib/plpgsql.so: undefined symbol: pg_encoding_max_length_ext';
                    END $$
                    """#)
            }
            let broken = try await client.get("/readyz", auth: .none)
            #expect(broken.status == 503)
            #expect(broken.json["writePath"] == "failing")
            let reason = broken.json["failed"]?.arrayValue?.first?["reason"]?.stringValue ?? ""
            #expect(reason.contains("cannot load a Postgres library"))
            #expect(reason.contains("shortlinks db stop && shortlinks db start"))

            try await admin.withConnection { try $0.executeScript(original) }
            #expect(try await client.get("/readyz", auth: .none).status == 200)
        }
    }

    @Test func readyz_answersTheLastResult_untilTheNextEvaluation() async throws {
        let harness = try await AdminHarness.make(readiness: ReadinessChecks(interval: .seconds(3600)))
        let admin = try await Self.adminPool(harness)
        onTeardown { await admin.shutdown() }
        try await harness.run { client in
            #expect(try await client.get("/readyz", auth: .none).status == 200)
            try await admin.execute("ALTER DATABASE \(harness.db.name) SET default_transaction_read_only = on")
            // Requests read the cached report: no database work per request.
            #expect(try await client.get("/readyz", auth: .none).status == 200)
            // The background evaluation (here: run by hand) sees the change.
            let report = await harness.api.readinessMonitor.refresh()
            #expect(report.outcome("writePath")?.state == "failing")
            #expect(try await client.get("/readyz", auth: .none).status == 503)
            try await admin.execute("ALTER DATABASE \(harness.db.name) RESET default_transaction_read_only")
        }
    }
}
