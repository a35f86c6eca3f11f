public import AdminAPI
public import LibPQ
public import Logging
public import Prometheus
public import RedirectServer
public import ServiceLifecycle
import ShortLinkCore
import Storage

/// The long-lived parts of one `serve` process, built from configuration, so that tests
/// build exactly what production runs (with port 0 and a throwaway database).
public struct ServiceAssembly: Sendable {
    /// The services, in start order (ServiceGroup stops them in reverse).
    public var services: [any Service]
    /// The edge, when the role includes it (tests read its port).
    public var edge: EdgeServer?
    /// The admin listener, when the role includes it (tests read its port).
    public var admin: AdminServer?
    /// The clicks the edge captured, while the click pipeline is not part of the build.
    public var clickCounter: CountingClickSink?
    /// The process's one metrics registry: components that record metrics get
    /// `PrometheusMetricsFactory(registry: metrics)`, and the admin listener renders it at `/metrics`.
    public var metrics: PrometheusCollectorRegistry

    /// Builds the services for a role.
    /// - Parameters:
    ///   - configuration: the app configuration.
    ///   - role: which listeners to run.
    ///   - pool: the database pool (owned by the caller).
    ///   - databaseURL: the URL the cache's LISTEN connection uses.
    ///   - logger: the root logger.
    public static func build(
        configuration: AppConfiguration, role: ServeRole, pool: PGPool, databaseURL: String, logger: Logger
    ) -> ServiceAssembly {
        let metrics = PrometheusCollectorRegistry()
        var services: [any Service] = []
        var edge: EdgeServer?
        var counter: CountingClickSink?
        if role == .edge || role == .all {
            let sink = CountingClickSink()
            let source = PostgresLinkSource(pool: pool, listenerURL: databaseURL, logger: logger)
            let server = EdgeServer(
                configuration: configuration.edge, links: source, clicks: sink,
                logger: Logger(label: "shortlinks.edge"))
            services.append(server)
            edge = server
            counter = sink
        }
        var admin: AdminServer?
        if role == .admin || role == .all {
            let migrationsDirectory = configuration.migrationsDirectory
            let migrationsCurrent: @Sendable () async throws -> Bool = {
                let directory = try MigrationsLocator.resolve(configured: migrationsDirectory)
                let states = try await Migrator(pool: pool, directory: directory, logger: logger).status()
                return states.allSatisfy { state in
                    if case .applied = state.state { return true }
                    return false
                }
            }
            var cacheLoaded: (@Sendable () -> Bool)?
            if let edge { cacheLoaded = { edge.port != nil } }
            let readiness = ReadinessChecks(migrationsCurrent: migrationsCurrent, cacheLoaded: cacheLoaded)
            let server = AdminAPI(
                configuration: configuration.admin, pool: pool, metrics: metrics, readiness: readiness,
                logger: Logger(label: "shortlinks.admin")
            ).makeServer()
            services.append(server)
            admin = server
        }
        return ServiceAssembly(services: services, edge: edge, admin: admin, clickCounter: counter, metrics: metrics)
    }
}
