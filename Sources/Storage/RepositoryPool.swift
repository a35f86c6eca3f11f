import LibPQ

/// The pool as the repositories use it: the same calls, but what they throw is a
/// ``StorageError`` (or an error of the caller's own), never a `PGError`. Statements inside
/// a `transaction` or `withConnection` body still see the driver's errors (a retry on a
/// duplicate code matches them); the translation happens once, where the result leaves.
struct RepositoryPool: Sendable {
    let pool: PGPool

    init(_ pool: PGPool) { self.pool = pool }

    func query(_ sql: String, _ parameters: [(any PGEncodable)?] = []) async throws -> PGRows {
        try await StorageError.translating { try await pool.query(sql, parameters) }
    }

    @discardableResult
    func execute(_ sql: String, _ parameters: [(any PGEncodable)?] = []) async throws -> Int {
        try await StorageError.translating { try await pool.execute(sql, parameters) }
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await StorageError.translating { try await pool.transaction(body) }
    }

    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await StorageError.translating { try await pool.withConnection(body) }
    }

    func withFreshConnection<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await StorageError.translating { try await pool.withFreshConnection(body) }
    }
}
