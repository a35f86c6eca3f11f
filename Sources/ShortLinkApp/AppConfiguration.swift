import Configuration
import Foundation
import SystemPackage

/// Everything the service reads at start, resolved once and passed down at init.
///
/// Sources, highest priority first: environment variables (`DATABASE_URL`, and
/// `SHORTLINKS_<SECTION>_<KEY>` for every key below, e.g. `SHORTLINKS_DATABASE_MAX_CONNECTIONS`),
/// then `Config/shortlinks.json`, then the defaults documented here and in `Config/README.md`.
public struct AppConfiguration: Sendable {
    /// Database settings.
    public struct Database: Sendable {
        /// `DATABASE_URL`; `nil` means: use the embedded cluster.
        public var url: String?
        /// Pool size; default 8.
        public var maxConnections: Int
        /// libpq connect timeout in seconds; default 5.
        public var connectTimeoutSeconds: Int

        /// Creates database settings.
        public init(url: String?, maxConnections: Int = 8, connectTimeoutSeconds: Int = 5) {
            self.url = url
            self.maxConnections = maxConnections
            self.connectTimeoutSeconds = connectTimeoutSeconds
        }
    }

    /// The embedded Postgres used when no `DATABASE_URL` is set.
    public struct Embedded: Sendable {
        /// Cluster directory; default `.data/postgres` under the current directory.
        public var dataDirectory: String
        /// Database name; default `shortlinks`.
        public var databaseName: String

        /// Creates embedded-cluster settings.
        public init(dataDirectory: String = ".data/postgres", databaseName: String = "shortlinks") {
            self.dataDirectory = dataDirectory
            self.databaseName = databaseName
        }
    }

    /// Database settings.
    public var database: Database
    /// Embedded cluster settings.
    public var embedded: Embedded
    /// The folder of `NNNN_name.sql` files; default: found next to the working directory
    /// or the executable (see ``MigrationsLocator``).
    public var migrationsDirectory: String?

    /// Creates a configuration from explicit values (tests, tools).
    public init(database: Database, embedded: Embedded, migrationsDirectory: String? = nil) {
        self.database = database
        self.embedded = embedded
        self.migrationsDirectory = migrationsDirectory
    }

    /// Reads the configuration from the environment and the JSON file.
    /// - Parameters:
    ///   - environment: the variables to read; default the process environment.
    ///   - configFile: the JSON defaults; default `Config/shortlinks.json` (missing is fine).
    public static func load(
        environment: [String: String]? = nil,
        configFile: String = "Config/shortlinks.json"
    ) async throws -> AppConfiguration {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let env = EnvironmentVariablesProvider(
            environmentVariables: environment, secretsSpecifier: .specific(["DATABASE_URL"]))
        let file = try await FileProvider<JSONSnapshot>(filePath: FilePath(configFile), allowMissing: true)
        let reader = ConfigReader(providers: [env.prefixKeys(with: "shortlinks"), file])
        let plainEnv = ConfigReader(provider: env)
        let url = plainEnv.string(forKey: "database.url", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        return AppConfiguration(
            database: Database(
                url: url,
                maxConnections: reader.int(forKey: "database.maxConnections", default: 8),
                connectTimeoutSeconds: reader.int(forKey: "database.connectTimeoutSeconds", default: 5)),
            embedded: Embedded(
                dataDirectory: reader.string(forKey: "embedded.dataDirectory", default: ".data/postgres"),
                databaseName: reader.string(forKey: "embedded.databaseName", default: "shortlinks")),
            migrationsDirectory: reader.string(forKey: "migrations.directory"))
    }
}
