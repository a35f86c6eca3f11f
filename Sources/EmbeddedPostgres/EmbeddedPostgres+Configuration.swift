import Foundation
import Glibc

extension EmbeddedPostgres {
    /// Where a cluster lives and how its server is set up.
    public struct Configuration: Sendable {
        /// The data directory (`PGDATA`) as the user names it: absolute, or relative to the
        /// current directory at the time the ``EmbeddedPostgres`` is created, e.g. `".data/postgres"`.
        ///
        /// When the process is root, the server runs as the `postgres` user, who owns the
        /// directory. If that user cannot traverse a directory above it (anything under
        /// `/root`, a 0700 directory…), the cluster is kept in
        /// `/var/lib/shortlinks/<16 hex digits of FNV-1a 64 of the absolute path>/postgres`
        /// and this path becomes a symlink to it.
        public var dataDirectory: String

        /// The database created after `initdb` when missing; default `"shortlinks"`.
        /// Must match `[a-z_][a-z0-9_]*` (at most 63 characters).
        public var databaseName: String

        /// The server port; default `5432`. The server listens on no TCP port at all
        /// (`listen_addresses = ''`): the port only names the socket file `.s.PGSQL.<port>`.
        public var port: Int

        /// Extra `postgresql.conf` settings such as `["fsync": "off"]`; default `[:]`.
        /// `listen_addresses`, `port` and `unix_socket_directories` are always set by this
        /// module and cannot be overridden here.
        public var settings: [String: String]

        /// The directory holding `initdb`, `pg_ctl` and `postgres`; default `nil`, which
        /// discovers it with ``EmbeddedPostgres/locateBinaries(override:)``.
        public var binDirectory: String?

        /// How long `start()` waits for the server to accept connections; default `60`.
        public var startTimeoutSeconds: Int

        /// A scratch directory created by ``throwaway(databaseName:port:settings:binDirectory:startTimeoutSeconds:)``,
        /// removed with the cluster by ``EmbeddedPostgres/destroy()``.
        var scratchDirectory: String?

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - dataDirectory: The data directory, absolute or relative to the current directory.
        ///   - databaseName: The database to create when missing; default `"shortlinks"`.
        ///   - port: The port naming the socket file; default `5432`.
        ///   - settings: Extra `postgresql.conf` settings; default `[:]`.
        ///   - binDirectory: The PostgreSQL bin directory; default `nil` (discover).
        ///   - startTimeoutSeconds: Seconds to wait for the server to start; default `60`.
        public init(
            dataDirectory: String,
            databaseName: String = "shortlinks",
            port: Int = 5432,
            settings: [String: String] = [:],
            binDirectory: String? = nil,
            startTimeoutSeconds: Int = 60
        ) {
            self.dataDirectory = dataDirectory
            self.databaseName = databaseName
            self.port = port
            self.settings = settings
            self.binDirectory = binDirectory
            self.startTimeoutSeconds = startTimeoutSeconds
        }

        /// The settings ``throwaway(databaseName:port:settings:binDirectory:startTimeoutSeconds:)``
        /// adds: durability off, for speed, since the data is thrown away anyway.
        public static let throwawaySettings: [String: String] = [
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
        ]

        /// A configuration for a disposable cluster, typically one per test run: a fresh
        /// directory made with `mkdtemp` under `/tmp` (prefix `shortlinks-pg-`, mode 0755 so
        /// the `postgres` user can traverse it) holding the data directory `postgres`, with
        /// ``throwawaySettings``. ``EmbeddedPostgres/destroy()`` removes the whole directory.
        ///
        /// - Parameters:
        ///   - databaseName: The database to create; default `"shortlinks"`.
        ///   - port: The port naming the socket file; default `5432` (the cluster has its own
        ///     socket directory, so this never clashes with another server).
        ///   - settings: Extra settings, applied over ``throwawaySettings``; default `[:]`.
        ///   - binDirectory: The PostgreSQL bin directory; default `nil` (discover).
        ///   - startTimeoutSeconds: Seconds to wait for the server to start; default `60`.
        /// - Throws: ``EmbeddedPostgresError/Code/dataDirectoryUnusable`` when the temporary
        ///   directory cannot be created.
        public static func throwaway(
            databaseName: String = "shortlinks",
            port: Int = 5432,
            settings: [String: String] = [:],
            binDirectory: String? = nil,
            startTimeoutSeconds: Int = 60
        ) throws -> Configuration {
            var template = Array("/tmp/shortlinks-pg-XXXXXX".utf8CString)
            let created = template.withUnsafeMutableBufferPointer { buffer -> String? in
                guard let pointer = mkdtemp(buffer.baseAddress!) else { return nil }
                return String(cString: pointer)
            }
            guard let directory = created else {
                throw EmbeddedPostgresError(
                    code: .dataDirectoryUnusable,
                    message: "Could not create a temporary directory under /tmp: \(FileSystem.lastError()).")
            }
            try FileSystem.setMode(directory, 0o755)
            var configuration = Configuration(
                dataDirectory: directory + "/postgres",
                databaseName: databaseName,
                port: port,
                settings: throwawaySettings.merging(settings) { _, custom in custom },
                binDirectory: binDirectory,
                startTimeoutSeconds: startTimeoutSeconds)
            configuration.scratchDirectory = directory
            return configuration
        }

        /// Checks the values that end up in file names, SQL and `postgresql.conf`.
        ///
        /// - Throws: ``EmbeddedPostgresError/Code/invalidConfiguration`` naming the bad value.
        func validate() throws {
            func invalid(_ message: String) -> EmbeddedPostgresError {
                EmbeddedPostgresError(code: .invalidConfiguration, message: message)
            }
            if dataDirectory.isEmpty {
                throw invalid("The data directory path is empty.")
            }
            if !Self.isValidDatabaseName(databaseName) {
                throw invalid(
                    """
                    Invalid database name "\(databaseName)": use lowercase letters, digits and \
                    underscores, starting with a letter or underscore, at most 63 characters.
                    """)
            }
            if !(1...65_535).contains(port) {
                throw invalid("Invalid port \(port): it must be between 1 and 65535.")
            }
            if startTimeoutSeconds < 1 {
                throw invalid("Invalid start timeout \(startTimeoutSeconds): it must be at least 1 second.")
            }
            for name in settings.keys.sorted() where !Self.isValidSettingName(name) {
                throw invalid("Invalid setting name \"\(name)\": use letters, digits, underscores and dots.")
            }
        }

        /// Whether `name` matches `[a-z_][a-z0-9_]*` and fits PostgreSQL's 63-byte limit.
        static func isValidDatabaseName(_ name: String) -> Bool {
            guard let first = name.unicodeScalars.first, name.utf8.count <= 63 else { return false }
            let lower = "abcdefghijklmnopqrstuvwxyz_".unicodeScalars
            let digits = "0123456789".unicodeScalars
            return lower.contains(first)
                && name.unicodeScalars.allSatisfy { lower.contains($0) || digits.contains($0) }
        }

        /// Whether `name` looks like a `postgresql.conf` parameter (`[A-Za-z_][A-Za-z0-9_.]*`).
        static func isValidSettingName(_ name: String) -> Bool {
            guard let first = name.unicodeScalars.first else { return false }
            let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_".unicodeScalars
            let rest = "0123456789.".unicodeScalars
            return letters.contains(first)
                && name.unicodeScalars.allSatisfy { letters.contains($0) || rest.contains($0) }
        }
    }
}
