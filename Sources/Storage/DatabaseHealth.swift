public import LibPQ

/// Cheap questions about the database itself, for readiness probes.
public struct DatabaseHealth: Sendable {
    let pool: RepositoryPool

    /// Creates the probe.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = RepositoryPool(pool) }

    /// Runs `SELECT 1`; throws when the database cannot be reached.
    public func ping() async throws {
        _ = try await pool.query("SELECT 1")
    }

    /// Does what the API's writes do, in one transaction that is rolled back, on a new
    /// session: inserts a tag and updates it, which runs the PL/pgSQL `set_updated_at`
    /// trigger. A new backend is what notices a read-only database (`ALTER DATABASE … SET
    /// default_transaction_read_only`, a standby), a role without INSERT, or a server whose
    /// binaries were replaced so that `plpgsql.so` no longer loads; pooled sessions opened
    /// earlier may still work. Leaves nothing behind.
    /// - Throws: the ``StorageError`` of the step that failed.
    public func probeWritePath() async throws {
        let name = "readyz-probe-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try await pool.withFreshConnection { connection in
            // Bounded: a probe stuck behind a lock says as much as a failed one.
            try connection.executeScript("BEGIN; SET LOCAL statement_timeout = '5s'")
            defer { try? connection.executeScript("ROLLBACK") }
            let id = try connection.query("INSERT INTO tags (name) VALUES ($1) RETURNING id", [name])[0].decode(0, as: PGUUID.self)
            try connection.execute("UPDATE tags SET name = name WHERE id = $1", [id])
        }
    }

    /// What an operator should read about a failed probe: the cause in plain words, never
    /// a parameter value or a password (the driver's description is safe to show).
    /// - Parameters:
    ///   - error: what ``probeWritePath()`` or ``ping()`` threw.
    ///   - restartAdvice: how to restart this service's Postgres server, e.g.
    ///     `run shortlinks db stop && shortlinks db start`.
    public static func explain(_ error: any Error, restartAdvice: String) -> String {
        guard let error = (error as? StorageError)?.underlying ?? (error as? PGError) else {
            return "the database check failed: \(type(of: error))"
        }
        if error.isLibraryLoadFailure {
            return "new database sessions cannot load a Postgres library (\(error.message)); the Postgres binaries "
                + "were most likely upgraded under the running server. Restart the Postgres server: \(restartAdvice)"
        }
        switch error.sqlState {
        case "25006":
            return "the database accepts no writes (it is read-only: default_transaction_read_only is on, or it is a standby)"
        case "42501":
            return "the service's database role may not write (permission denied: \(error.message))"
        case "53100":
            return "the database server's disk is full"
        default:
            break
        }
        if error.isUnavailable { return "the database cannot be reached: \(error.description)" }
        return "a test write failed: \(error.description)"
    }
}
