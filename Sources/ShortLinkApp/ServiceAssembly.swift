public import AdminAPI
import BotDetection
public import ClickPipeline
import Foundation
import GeoIPLookup
public import LibPQ
public import Logging
public import NIOCore
public import NIOPosix
public import Prometheus
public import RedirectServer
public import ServiceLifecycle
import ShortLinkCore
public import Storage

/// The long-lived parts of one `serve` process, built from configuration, so that tests
/// build exactly what production runs (with port 0 and a throwaway database).
public struct ServiceAssembly: Sendable {
    /// The services, in start order (ServiceGroup stops them in reverse: the admin listener
    /// first, then the edge before the click pipeline, so the pipeline drains what the edge
    /// handed it last).
    public var services: [any Service]
    /// The edge, when the role includes it (tests read its port).
    public var edge: EdgeServer?
    /// The click pipeline, when the role includes the edge.
    public var clicks: ClickPipeline?
    /// The counter standing in for the pipeline when `clicks.store` is off (benchmarks).
    public var clickCounter: CountingClickSink?
    /// The admin listener, when the role includes it (tests read its port).
    public var admin: AdminServer?
    /// The edge's event loops (`edge.eventLoops` threads, default one per core), when the role
    /// includes the edge; shut down by ``shutdown()`` once the services have stopped.
    public var edgeEventLoops: MultiThreadedEventLoopGroup?
    /// The click path's own database pool (the writers and the rollup worker), whose threads
    /// and local backends run at the lowest CPU priority; shut down by ``shutdown()``.
    public var clickPool: PGPool
    /// The rollup groups the click writers sum in memory for the rollup worker
    /// (`rollups.inMemory`); `nil` when off.
    public var rollupGroups: RollupAccumulator?
    /// Every metric of this process, rendered as Prometheus text by the admin listener:
    /// components that record metrics get `PrometheusMetricsFactory(registry: metrics)`.
    public var metrics: PrometheusCollectorRegistry

    /// Builds the services for a role.
    /// - Parameters:
    ///   - configuration: the app configuration.
    ///   - role: which listeners to run.
    ///   - pool: the database pool (owned by the caller).
    ///   - databaseURL: the URL the cache's LISTEN connection uses.
    ///   - logger: the root logger.
    /// - Throws: ``AppError`` when the GeoIP database, the bot rules or the spool directory
    ///   cannot be used.
    public static func build(
        configuration: AppConfiguration, role: ServeRole, pool: PGPool, databaseURL: String, logger: Logger
    ) throws -> ServiceAssembly {
        let registry = PrometheusCollectorRegistry()
        // Writers plus the rollup worker, and one spare for the one-by-one isolation.
        let clickPool = PGPool(
            configuration: .init(
                url: pool.configuration.url, maxConnections: configuration.clicks.pipeline.writers + 2,
                connectTimeoutSeconds: pool.configuration.connectTimeoutSeconds, applicationName: "shortlinks-clicks"),
            logger: logger)
        var assembly = ServiceAssembly(
            services: [], edge: nil, clicks: nil, clickCounter: nil, admin: nil, edgeEventLoops: nil, clickPool: clickPool,
            rollupGroups: configuration.clicks.rollups.inMemory ? RollupAccumulator() : nil, metrics: registry)
        if role == .edge || role == .all {
            try assembly.addEdge(
                configuration: configuration, role: role, pool: pool, databaseURL: databaseURL, logger: logger)
        }
        if role == .admin || role == .all {
            assembly.addAdmin(configuration: configuration, pool: pool, logger: logger)
        }
        // Every role rolls up: the rollups are the database's, and instances over one
        // database take turns (see RollupWorker).
        assembly.services.insert(
            RollupWorker(
                configuration: configuration.clicks.rollups, store: assembly.clickStore(configuration),
                metricsFactory: PrometheusMetricsFactory(registry: registry), logger: Logger(label: "shortlinks.rollups")),
            at: 0)
        return assembly
    }

    /// Releases what the assembly made besides the services: the edge's event loops. Call it
    /// after the service group has returned (the edge no longer uses them).
    public func shutdown() async {
        try? await edgeEventLoops?.shutdownGracefully()
        await clickPool.shutdown()
    }

    private mutating func addEdge(
        configuration: AppConfiguration, role: ServeRole, pool: PGPool, databaseURL: String, logger: Logger
    ) throws {
        let sink: any ClickSink
        if configuration.clicks.store {
            let pipeline = try makePipeline(configuration: configuration, pool: pool, logger: logger)
            services.append(pipeline)
            clicks = pipeline
            sink = pipeline
        } else {
            let counter = CountingClickSink()
            clickCounter = counter
            sink = counter
        }
        // The edge's own metrics listener only without the admin listener (whose /metrics has them).
        var edgeConfiguration = configuration.edge
        if role != .edge { edgeConfiguration.metricsHost = nil }
        // After the pipeline, so the group stops the edge first and the pipeline drains last.
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: edgeConfiguration.eventLoops ?? NIOCore.System.coreCount)
        edgeEventLoops = loops
        let server = EdgeServer(
            configuration: edgeConfiguration, eventLoopGroup: loops,
            links: PostgresLinkSource(pool: pool, listenerURL: databaseURL, logger: logger), clicks: sink,
            logger: Logger(label: "shortlinks.edge"))
        services.append(server)
        edge = server
    }

    /// The click path's store: the writers' and the rollup worker's share the in-memory groups.
    private func clickStore(_ configuration: AppConfiguration) -> PostgresClickStore {
        PostgresClickStore(
            pool: clickPool, background: true, accumulator: rollupGroups,
            ownerLeaseSeconds: configuration.clicks.rollups.ownerLeaseSeconds)
    }

    private mutating func makePipeline(configuration: AppConfiguration, pool: PGPool, logger: Logger) throws -> ClickPipeline {
        let settings = configuration.clicks
        let geo = try ClickComponents.geoLocator(settings, logger: logger)
        if let reloadable = geo as? GeoIPLookup {
            services.append(GeoIPReloader(lookup: reloadable, checkInterval: settings.geoIPCheckSeconds, logger: logger))
        }
        let loops = configuration.edge.eventLoops ?? NIOCore.System.coreCount
        return ClickPipeline(
            configuration: settings.pipeline, store: clickStore(configuration),
            enricher: ClickEnricher(
                classifier: BotClassifier(rules: try ClickComponents.botRules(settings), ipLists: settings.botIPLists),
                parser: UserAgentParser(), geo: geo, anonymizeAddresses: settings.anonymizeIP),
            journal: try ClickComponents.journal(settings, eventLoops: loops),
            metricsFactory: PrometheusMetricsFactory(registry: metrics),
            logger: Logger(label: "shortlinks.clicks"))
    }

    private mutating func addAdmin(configuration: AppConfiguration, pool: PGPool, logger: Logger) {
        let migrationsDirectory = configuration.migrationsDirectory
        let migrationsCurrent: @Sendable () async throws -> Bool = {
            let directory = try MigrationsLocator.resolve(configured: migrationsDirectory)
            let states = try await Migrator(pool: pool, directory: directory, logger: logger).status()
            return states.allSatisfy { state in
                if case .applied = state.state { return true }
                return false
            }
        }
        var edgeMetrics: (@Sendable () async -> String)?
        if let edge { edgeMetrics = { await edge.metrics.prometheusText() } }
        let api = AdminAPI(
            configuration: configuration.admin, database: Database(pool: pool), metrics: metrics,
            readiness: ReadinessAssembly.checks(
                configuration: configuration, migrationsCurrent: migrationsCurrent, edge: edge, clicks: clicks),
            additionalMetrics: edgeMetrics,
            logger: Logger(label: "shortlinks.admin"))
        // The readiness checks run in the background; /readyz answers with the last result.
        services.append(api.readinessMonitor)
        let server = api.makeServer()
        services.append(server)
        admin = server
    }
}
