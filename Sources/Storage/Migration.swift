/// One numbered SQL file from `Migrations/`, e.g. `0001_core_schema.sql`.
public struct Migration: Sendable, Hashable {
    /// The number before the first underscore.
    public var version: Int
    /// The file name without the `.sql` extension, e.g. `0001_core_schema`.
    public var name: String
    /// The SQL text, run as one script inside one transaction.
    public var sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// Where one migration stands in a database.
public struct MigrationStatus: Sendable, Hashable {
    /// The state of one migration.
    public enum State: Sendable, Hashable {
        /// Recorded in `schema_migrations` with the file's checksum.
        case applied(at: String)
        /// In the directory, not yet applied.
        case pending
        /// Applied, but the file changed since (refused by `migrate`).
        case modified
        /// Recorded in the database, but no such file in this build.
        case unknownToThisBuild
    }

    /// The migration number.
    public var version: Int
    /// The migration name.
    public var name: String
    /// Its state.
    public var state: State
}

/// Why migrations could not run.
public struct MigrationError: Error, CustomStringConvertible, Sendable {
    /// Stable classification.
    public enum Code: String, Sendable {
        /// The directory is missing or unreadable.
        case directoryUnreadable
        /// A file name does not follow `NNNN_name.sql`, or two files share a number.
        case badFileName
        /// An applied migration's file was edited.
        case modifiedAfterApply
        /// The database has migrations this build does not know.
        case unknownMigration
        /// A migration failed; the error names it, its transaction was rolled back.
        case failed
    }

    /// The classification.
    public var code: Code
    /// What happened and what to do.
    public var message: String

    public var description: String { message }
}
