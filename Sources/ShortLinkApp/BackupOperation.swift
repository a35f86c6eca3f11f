import Foundation
public import LibPQ
import NIOPosix
import Storage

/// `shortlinks backup -o FILE` and `shortlinks restore FILE`: the whole database (links, tags,
/// clicks, rollups, users, tokens, migration history) as one `pg_dump` custom-format archive,
/// and back.
///
/// The password never reaches a command line, a log or a message: the child programs get the
/// connection string without it and the password in `PGPASSWORD`, and their error output is
/// redacted before it is shown. They run on the thread pool, never on an event loop.
///
/// A backup is written to `FILE.partial` and renamed when `pg_dump` succeeded, so `FILE` is
/// always a complete archive. A restore refuses a database that already holds users, clients,
/// links or tags unless forced. It replays the archive (`pg_restore --no-owner --no-acl` into
/// `psql`) after emptying schema `public`, all in one transaction that is committed only when
/// `pg_restore` read the whole archive and every statement succeeded: a failed restore leaves
/// the target as it was.
public struct BackupOperation: Sendable {
    let url: String
    let pool: PGPool

    /// Tables whose rows make a database "not empty" for a restore.
    static let dataTables: [DatabaseInventory.Table] = [.users, .clients, .links, .tags]

    /// - Parameters:
    ///   - url: the database's connection URL (it may hold a password).
    ///   - pool: a pool on the same database.
    public init(url: String, pool: PGPool) {
        self.url = url
        self.pool = pool
    }

    /// Runs `body` with the operation on the configured database (`DATABASE_URL`, or the
    /// embedded cluster, started if needed), closing the pool afterwards.
    /// - Parameters:
    ///   - bootstrap: resolves the database.
    ///   - body: the backup or restore.
    public static func withDatabase<T>(
        _ bootstrap: DatabaseBootstrap, _ body: (BackupOperation) async throws -> T
    ) async throws -> T {
        let url = try await bootstrap.databaseURL()
        let pool = bootstrap.makePool(url: url)
        do {
            let value = try await body(BackupOperation(url: url, pool: pool))
            await pool.shutdown()
            return value
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    /// Writes the archive.
    /// - Parameter file: where; an existing file is replaced only once the new archive is complete.
    /// - Returns: lines for stdout.
    public func backup(to file: String) async throws -> [String] {
        let tools = try PostgresClientTools.locate(serverMajor: try await serverMajor())
        let partial = file + ".partial"
        let secret = ConnectionSecret(splitting: url)
        let result = try await NIOThreadPool.singleton.runIfActive {
            try ToolProcess.run(
                tools.pgDump, ["--format=custom", "--file=\(partial)", "--dbname=\(secret.connection)"],
                environment: Self.environment(secret))
        }
        guard result.status == 0 else {
            try? FileManager.default.removeItem(atPath: partial)
            throw AppError(
                code: .databaseUnavailable, message: "pg_dump failed (status \(result.status)): \(Self.tail(secret.redacting(result.standardError)))")
        }
        try await NIOThreadPool.singleton.runIfActive {
            if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
            try FileManager.default.moveItem(atPath: partial, toPath: file)
        }
        let counts = try await self.counts()
        return ["backed up \(counts) to \(file) (pg_dump custom format; restore with: shortlinks restore \(file))"]
    }

    /// Restores an archive made by ``backup(to:)``.
    /// - Parameters:
    ///   - file: the archive.
    ///   - force: restore even when the database already holds data (what the archive holds replaces it).
    /// - Returns: lines for stdout.
    public func restore(from file: String, force: Bool) async throws -> [String] {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw AppError(code: .invalidInput, message: "cannot read \(file)")
        }
        let existing = try await existingData()
        if !existing.isEmpty, !force {
            throw AppError(
                code: .invalidInput,
                message:
                    "the target database is not empty (\(existing.joined(separator: ", "))); restore replaces its contents with the archive's: pass --force to do that, or restore into an empty database"
            )
        }
        let tools = try PostgresClientTools.locate(serverMajor: try await serverMajor())
        let secret = ConnectionSecret(splitting: url)
        let (restore, psql) = try await NIOThreadPool.singleton.runIfActive {
            try ToolProcess.pipe(
                producer: (tools.pgRestore, ["--no-owner", "--no-acl", "--file=-", file]),
                into: (tools.psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "--dbname=\(secret.connection)", "--file=-"]),
                environment: Self.environment(secret),
                prologue: Self.prologue, epilogue: "COMMIT;\n")
        }
        guard restore.status == 0 else {
            throw AppError(
                code: .invalidInput,
                message:
                    "pg_restore could not read \(file) (status \(restore.status)); the database is unchanged: \(Self.tail(secret.redacting(restore.standardError)))"
            )
        }
        guard psql.status == 0 else {
            throw AppError(
                code: .databaseUnavailable,
                message:
                    "restoring failed (psql status \(psql.status)); the database is unchanged: \(Self.tail(secret.redacting(psql.standardError)))")
        }
        let counts = try await self.counts()
        return [
            "restored \(counts) from \(file)",
            "restart running `shortlinks serve` instances so their link caches reload; serve applies newer migrations at start",
        ]
    }

    /// What runs before the archive's script, in the same transaction: the schema the service
    /// lives in is emptied (tables, functions, the `hll` extension), so the archive's objects
    /// never meet existing ones (`pg_restore --clean` cannot drop the constraints of click
    /// partitions), and nothing of it is lost unless the whole restore commits.
    static let prologue = """
        BEGIN;
        SET LOCAL client_min_messages = warning;
        DROP SCHEMA IF EXISTS public CASCADE;
        CREATE SCHEMA public;

        """

    /// The child's environment: ours, minus variables that would point it elsewhere or
    /// carry the URL, plus the password.
    static func environment(_ secret: ConnectionSecret) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter {
            !["DATABASE_URL", "PGPASSWORD", "PGDATABASE", "PGSERVICE", "PGHOST", "PGPORT", "PGUSER", "PGHOSTADDR"].contains($0.key)
        }
        if let password = secret.password { environment["PGPASSWORD"] = password }
        return environment
    }

    /// The last lines of a tool's error output.
    static func tail(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).suffix(5)
        return lines.isEmpty ? "(no output)" : lines.joined(separator: " | ")
    }

    private func serverMajor() async throws -> Int? {
        try await DatabaseInventory(pool: pool).serverMajorVersion()
    }

    /// `N users`, `N links`… for the data tables that have rows.
    private func existingData() async throws -> [String] {
        let inventory = DatabaseInventory(pool: pool)
        var found: [String] = []
        for table in Self.dataTables {
            if let count = try await inventory.rowCount(table), count > 0 { found.append("\(count) \(table.rawValue)") }
        }
        return found
    }

    private func counts() async throws -> String {
        let inventory = DatabaseInventory(pool: pool)
        var parts: [String] = []
        for table: DatabaseInventory.Table in [.links, .tags, .clicks] {
            parts.append("\(try await inventory.rowCount(table) ?? 0) \(table.rawValue)")
        }
        return parts.joined(separator: ", ")
    }
}
