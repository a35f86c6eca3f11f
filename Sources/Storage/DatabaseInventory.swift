public import LibPQ

/// What a backup or restore asks of the database before it runs `pg_dump`/`pg_restore`:
/// the server's major version and how many rows the main tables hold.
public struct DatabaseInventory: Sendable {
    let pool: RepositoryPool

    /// The tables that can be counted (fixed names: never input).
    public enum Table: String, Sendable, CaseIterable {
        case users, clients, links, tags, clicks
    }

    /// Creates the inventory.
    /// - Parameter pool: the database (migrated or not).
    public init(pool: PGPool) { self.pool = RepositoryPool(pool) }

    /// The server's major version, e.g. 15.
    public func serverMajorVersion() async throws -> Int {
        try await pool.query("SELECT current_setting('server_version_num')::integer")[0].decode(0, as: Int.self) / 10_000
    }

    /// The table's rows, or `nil` when it does not exist (a database never migrated).
    /// - Parameter table: which.
    public func rowCount(_ table: Table) async throws -> Int? {
        let present = try await pool.query("SELECT to_regclass($1) IS NOT NULL", [table.rawValue])[0].decode(0, as: Bool.self)
        guard present else { return nil }
        return try await pool.query("SELECT count(*) FROM \(table.rawValue)")[0].decode(0, as: Int.self)
    }
}
