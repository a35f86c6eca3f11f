public import LibPQ

/// Cheap questions about the database itself, for readiness probes.
public struct DatabaseHealth: Sendable {
    let pool: PGPool

    /// Creates the probe.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = pool }

    /// Runs `SELECT 1`; throws when the database cannot be reached.
    public func ping() async throws {
        _ = try await pool.query("SELECT 1")
    }
}
