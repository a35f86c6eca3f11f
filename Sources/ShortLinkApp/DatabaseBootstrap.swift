public import EmbeddedPostgres
public import LibPQ
public import Logging
import NIOPosix
public import Storage

/// Resolves the database URL (starting the embedded cluster when no `DATABASE_URL` is
/// set), opens the pool, and applies migrations.
public struct DatabaseBootstrap: Sendable {
    /// The configuration it works from.
    public let configuration: AppConfiguration
    let logger: Logger

    /// Creates the bootstrap.
    /// - Parameters:
    ///   - configuration: the app configuration.
    ///   - logger: for progress messages.
    public init(configuration: AppConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Settings of the embedded cluster for sustained click ingest (issue 16): checkpoints far
    /// enough apart that the randomly placed (link_id, "timestamp") index pages are not
    /// written whole to the WAL again every few minutes, and buffers that hold the hot
    /// indexes. Applied at the cluster's next start.
    static let embeddedSettings = ["max_wal_size": "8GB", "checkpoint_timeout": "30min", "shared_buffers": "1GB"]

    /// The embedded cluster described by the configuration.
    public var embedded: EmbeddedPostgres {
        EmbeddedPostgres(
            configuration: .init(
                dataDirectory: configuration.embedded.dataDirectory, databaseName: configuration.embedded.databaseName,
                settings: Self.embeddedSettings))
    }

    /// The URL to connect to: `DATABASE_URL`, or the embedded cluster's (started if needed,
    /// which is idempotent).
    public func databaseURL() async throws -> String {
        if let url = configuration.database.url { return url }
        let embedded = embedded
        let outcome = try await NIOThreadPool.singleton.runIfActive { try embedded.start() }
        logger.info("embedded postgres ready", metadata: ["outcome": "\(outcome)", "dataDirectory": "\(configuration.embedded.dataDirectory)"])
        return embedded.connectionURL
    }

    /// Opens a pool on the resolved URL.
    public func makePool() async throws -> PGPool {
        makePool(url: try await databaseURL())
    }

    /// Opens a pool on an already resolved URL.
    /// - Parameter url: from ``databaseURL()``.
    public func makePool(url: String) -> PGPool {
        PGPool(
            configuration: .init(
                url: url, maxConnections: configuration.database.maxConnections,
                connectTimeoutSeconds: configuration.database.connectTimeoutSeconds),
            logger: logger)
    }

    /// The migrator for the configured (or discovered) `Migrations/` folder.
    /// - Parameter pool: the database.
    public func migrator(pool: PGPool) throws -> Migrator {
        try Migrator(pool: pool, directory: try MigrationsLocator.resolve(configured: configuration.migrationsDirectory), logger: logger)
    }
}
