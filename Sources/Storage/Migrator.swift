import Foundation
public import LibPQ
public import Logging

/// Applies `Migrations/NNNN_name.sql` in order, each in its own transaction, and records
/// each in `schema_migrations` with a SHA-256 checksum of its text (computed by Postgres).
///
/// Running it twice is a no-op. A file edited after it was applied is refused before
/// anything runs. Concurrent runs are serialised with an advisory lock.
public struct Migrator: Sendable {
    /// The migrations found in the directory, ordered by version.
    public let migrations: [Migration]
    private let pool: PGPool
    private let logger: Logger

    /// Lock key for `pg_advisory_lock`, constant so every instance agrees.
    static let advisoryLockKey = 0x5348_4f52_544c_4e4b

    /// Loads the migrations from a directory.
    /// - Parameters:
    ///   - pool: the database.
    ///   - directory: the folder holding `NNNN_name.sql` files.
    ///   - logger: reports each applied migration.
    public init(pool: PGPool, directory: String, logger: Logger) throws {
        self.migrations = try Self.load(directory: directory)
        self.pool = pool
        self.logger = logger
    }

    /// Creates a migrator from migrations in memory (for tests).
    /// - Parameters:
    ///   - pool: the database.
    ///   - migrations: the migrations, any order.
    ///   - logger: reports each applied migration.
    public init(pool: PGPool, migrations: [Migration], logger: Logger) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.pool = pool
        self.logger = logger
    }

    /// Reads `NNNN_name.sql` files, refusing other `.sql` names and duplicate numbers.
    /// - Parameter directory: the folder.
    public static func load(directory: String) throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MigrationError(code: .directoryUnreadable, message: "cannot read migrations directory \(directory): \(error.localizedDescription)")
        }
        var result: [Migration] = []
        for file in names.sorted() where file.hasSuffix(".sql") {
            let base = String(file.dropLast(4))
            let parts = base.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]), !parts[1].isEmpty else {
                throw MigrationError(code: .badFileName, message: "migration file \(file) must be named NNNN_name.sql")
            }
            if let clash = result.first(where: { $0.version == version }) {
                throw MigrationError(code: .badFileName, message: "migrations \(clash.name).sql and \(file) share the number \(parts[0])")
            }
            let path = (directory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MigrationError(code: .directoryUnreadable, message: "cannot read \(path)")
            }
            result.append(Migration(version: version, name: base, sql: String(decoding: data, as: UTF8.self)))
        }
        return result.sorted { $0.version < $1.version }
    }

    /// Applied, pending, modified and unknown migrations, ordered by version.
    public func status() async throws -> [MigrationStatus] {
        let migrations = migrations
        return try await pool.withConnection { connection in
            try Self.ensureTable(connection)
            return try Self.status(connection, migrations: migrations)
        }
    }

    /// Applies every pending migration, in order, each in its own transaction.
    /// - Returns: the migrations applied by this call (empty when up to date).
    @discardableResult
    public func migrate() async throws -> [Migration] {
        let migrations = migrations
        let logger = logger
        return try await pool.withConnection { connection in
            try Self.ensureTable(connection)
            try connection.query("SELECT pg_advisory_lock($1::bigint)", [Self.advisoryLockKey])
            defer { _ = try? connection.query("SELECT pg_advisory_unlock($1::bigint)", [Self.advisoryLockKey]) }

            let states = try Self.status(connection, migrations: migrations)
            if let modified = states.first(where: { $0.state == .modified }) {
                throw MigrationError(
                    code: .modifiedAfterApply,
                    message: "migration \(modified.name).sql was edited after it was applied (its checksum no longer matches schema_migrations). "
                        + "Applied migrations must not change: restore the file and add a new migration instead.")
            }
            if let unknown = states.first(where: { $0.state == .unknownToThisBuild }) {
                throw MigrationError(
                    code: .unknownMigration,
                    message:
                        "the database has migration \(unknown.name), which this build does not know; refusing to run an older build's migrations against it"
                )
            }
            var applied: [Migration] = []
            for migration in migrations where states.contains(where: { $0.version == migration.version && $0.state == .pending }) {
                do {
                    try connection.transaction { connection in
                        try connection.executeScript(migration.sql)
                        try connection.execute(
                            """
                            INSERT INTO schema_migrations (version, name, checksum)
                            VALUES ($1, $2, encode(sha256(convert_to($3, 'UTF8')), 'hex'))
                            """, [migration.version, migration.name, migration.sql])
                    }
                } catch {
                    throw MigrationError(code: .failed, message: "migration \(migration.name).sql failed and was rolled back: \(error)")
                }
                logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
                applied.append(migration)
            }
            return applied
        }
    }

    private static func ensureTable(_ connection: PGConnection) throws {
        try connection.executeScript(
            """
            SET client_min_messages = warning;
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            RESET client_min_messages;
            """)
    }

    private static func status(_ connection: PGConnection, migrations: [Migration]) throws -> [MigrationStatus] {
        let rows = try connection.query(
            "SELECT version, name, checksum, to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS applied_at FROM schema_migrations ORDER BY version"
        )
        var recorded: [Int: (name: String, checksum: String, appliedAt: String)] = [:]
        for row in rows {
            recorded[try row.decode("version", as: Int.self)] = (
                try row.decode("name"), try row.decode("checksum"), try row.decode("applied_at")
            )
        }
        var result: [MigrationStatus] = []
        for migration in migrations {
            guard let record = recorded.removeValue(forKey: migration.version) else {
                result.append(MigrationStatus(version: migration.version, name: migration.name, state: .pending))
                continue
            }
            let checksum = try connection.query(
                "SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", [migration.sql])[0].decode(0, as: String.self)
            let state: MigrationStatus.State = checksum == record.checksum ? .applied(at: record.appliedAt) : .modified
            result.append(MigrationStatus(version: migration.version, name: migration.name, state: state))
        }
        for (version, record) in recorded {
            result.append(MigrationStatus(version: version, name: record.name, state: .unknownToThisBuild))
        }
        return result.sorted { $0.version < $1.version }
    }
}
