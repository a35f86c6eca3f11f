public import EmbeddedPostgres
import Foundation
public import LibPQ
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import Storage

/// The throwaway Postgres cluster of one test process: started on first use, migrated once
/// into a template database, and removed when the process exits. Each test gets its own
/// database cloned from the template, so tests run in parallel without sharing rows.
public enum TestPostgres {
    /// libpq's `connect_timeout` for the suite's pools, in seconds: a bound for a server that
    /// is gone, not a speed check. The whole suite starts at once on two cores, and a new
    /// session then waited more than the default 5 s for a CPU now and then.
    public static let connectTimeout = 30

    private static let state = NIOLockedValueBox<Task<Cluster, any Error>?>(nil)

    /// The running cluster (started on first call).
    public static func cluster() async throws -> Cluster {
        let task = state.withLockedValue { task in
            if let task { return task }
            let created = Task { try await Cluster.start() }
            task = created
            return created
        }
        return try await task.value
    }

    /// A fresh, migrated database of its own for one test.
    public static func database() async throws -> TestDatabase {
        try await cluster().makeDatabase()
    }

    /// The repository's `Migrations/` folder (found from this source file's path).
    public static var migrationsDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Migrations").path
    }

    /// A shared cluster and its migrated template.
    public struct Cluster: Sendable {
        /// The embedded cluster.
        public let embedded: EmbeddedPostgres
        static let templateName = "shortlinks_template"

        static func start() async throws -> Cluster {
            // Every test has its own database and pool, and the suites run in parallel in one
            // process: the default 100 connections is too few for all of them at once.
            let embedded = EmbeddedPostgres(configuration: try .throwaway(settings: ["max_connections": "400"]))
            // Lets scripts/test remove the cluster if this process dies without cleaning up.
            let parent = URL(fileURLWithPath: embedded.configuration.dataDirectory).deletingLastPathComponent().path
            try? String(getpid()).write(toFile: parent + "/owner.pid", atomically: true, encoding: .utf8)
            _ = try await NIOThreadPool.singleton.runIfActive { try embedded.start() }
            ClusterRegistry.register(embedded)
            let cluster = Cluster(embedded: embedded)
            // Build the template once: every test database is a copy of it.
            let admin = PGPool(
                configuration: .init(url: cluster.url(database: "postgres"), maxConnections: 1, connectTimeoutSeconds: TestPostgres.connectTimeout),
                logger: Logger(label: "test"))
            try await admin.execute("CREATE DATABASE \(templateName)")
            await admin.shutdown()
            let template = PGPool(
                configuration: .init(url: cluster.url(database: templateName), maxConnections: 1, connectTimeoutSeconds: TestPostgres.connectTimeout),
                logger: Logger(label: "test"))
            do {
                try await Migrator(pool: template, directory: migrationsDirectory, logger: Logger(label: "test")).migrate()
                await template.shutdown()
            } catch {
                await template.shutdown()
                throw error
            }
            return cluster
        }

        /// A libpq URL for one database of the cluster.
        /// - Parameter database: the database name.
        public func url(database: String) -> String {
            "postgresql:///\(database)?host=\(embedded.socketDirectory)&port=\(embedded.configuration.port)&user=postgres"
        }

        /// The path of the cluster's `psql` (the client beside the server programs it runs).
        public var psqlPath: String {
            get throws {
                try EmbeddedPostgres.locateBinaries(override: embedded.configuration.binDirectory) + "/psql"
            }
        }

        /// Creates a database cloned from the migrated template (or empty).
        /// - Parameter migrated: `false` for an empty database (migration tests).
        public func makeDatabase(migrated: Bool = true) async throws -> TestDatabase {
            let name = "t_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let admin = PGPool(
                configuration: .init(url: url(database: "postgres"), maxConnections: 1, connectTimeoutSeconds: TestPostgres.connectTimeout),
                logger: Logger(label: "test"))
            // Identifiers cannot be parameters; `name` is generated hex, never input.
            try await admin.execute(migrated ? "CREATE DATABASE \(name) TEMPLATE \(Self.templateName)" : "CREATE DATABASE \(name)")
            await admin.shutdown()
            return TestDatabase(name: name, url: url(database: name), cluster: self)
        }
    }
}

/// One test's database with a pool on it.
public final class TestDatabase: Sendable {
    /// Database name.
    public let name: String
    /// Connection URL.
    public let url: String
    /// A pool on the database (4 connections).
    public let pool: PGPool
    let cluster: TestPostgres.Cluster

    init(name: String, url: String, cluster: TestPostgres.Cluster) {
        self.name = name
        self.url = url
        self.cluster = cluster
        pool = PGPool(
            configuration: .init(url: url, maxConnections: 4, connectTimeoutSeconds: TestPostgres.connectTimeout), logger: Logger(label: "test"))
    }

    /// Closes the pool and drops the database.
    public func drop() async {
        await pool.shutdown()
        let admin = PGPool(
            configuration: .init(url: cluster.url(database: "postgres"), maxConnections: 1, connectTimeoutSeconds: TestPostgres.connectTimeout),
            logger: Logger(label: "test"))
        _ = try? await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        await admin.shutdown()
    }
}

/// Removes the process's throwaway clusters when it exits.
enum ClusterRegistry {
    private static let clusters = NIOLockedValueBox<[EmbeddedPostgres]>([])
    private static let installed = NIOLockedValueBox(false)

    static func register(_ embedded: EmbeddedPostgres) {
        clusters.withLockedValue { $0.append(embedded) }
        let first = installed.withLockedValue { installed in
            defer { installed = true }
            return !installed
        }
        if first {
            atexit { ClusterRegistry.destroyAll() }
        }
    }

    static func destroyAll() {
        for embedded in clusters.withLockedValue({ $0 }) {
            try? embedded.destroy()
        }
    }
}
