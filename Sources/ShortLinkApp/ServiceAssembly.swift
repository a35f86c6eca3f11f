import BotDetection
public import ClickPipeline
import Foundation
import GeoIPLookup
public import LibPQ
public import Logging
import NIOCore
public import Prometheus
public import RedirectServer
public import ServiceLifecycle
import ShortLinkCore
import Storage

/// The long-lived parts of one `serve` process, built from configuration, so that tests
/// build exactly what production runs (with port 0 and a throwaway database).
public struct ServiceAssembly: Sendable {
    /// The services, in start order (ServiceGroup stops them in reverse: the edge before
    /// the click pipeline, so the pipeline drains what the edge handed it last).
    public var services: [any Service]
    /// The edge, when the role includes it (tests read its port).
    public var edge: EdgeServer?
    /// The click pipeline, when the role includes the edge.
    public var clicks: ClickPipeline?
    /// The counter standing in for the pipeline when `clicks.store` is off (benchmarks).
    public var clickCounter: CountingClickSink?
    /// Every metric of this process, rendered as Prometheus text by the admin listener.
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
        var services: [any Service] = []
        var edge: EdgeServer?
        var pipeline: ClickPipeline?
        if (role == .edge || role == .all), !configuration.clicks.store {
            let sink = CountingClickSink()
            let source = PostgresLinkSource(pool: pool, listenerURL: databaseURL, logger: logger)
            let server = EdgeServer(
                configuration: configuration.edge, links: source, clicks: sink, logger: Logger(label: "shortlinks.edge"))
            return ServiceAssembly(services: [server], edge: server, clicks: nil, clickCounter: sink, metrics: registry)
        }
        if role == .edge || role == .all {
            let settings = configuration.clicks
            let geo = try ClickComponents.geoLocator(settings, logger: logger)
            if let reloadable = geo as? GeoIPLookup {
                services.append(
                    GeoIPReloader(lookup: reloadable, checkInterval: settings.geoIPCheckSeconds, logger: logger))
            }
            let loops = configuration.edge.eventLoops ?? NIOCore.System.coreCount
            let journal = try ClickComponents.journal(settings, eventLoops: loops)
            let clicks = ClickPipeline(
                configuration: settings.pipeline, store: PostgresClickStore(pool: pool),
                enricher: ClickEnricher(
                    classifier: BotClassifier(rules: try ClickComponents.botRules(settings), ipLists: settings.botIPLists),
                    parser: UserAgentParser(), geo: geo, anonymizeAddresses: settings.anonymizeIP),
                journal: journal, metricsFactory: PrometheusMetricsFactory(registry: registry),
                logger: Logger(label: "shortlinks.clicks"))
            services.append(clicks)
            pipeline = clicks
            let source = PostgresLinkSource(pool: pool, listenerURL: databaseURL, logger: logger)
            let server = EdgeServer(
                configuration: configuration.edge, links: source, clicks: clicks,
                logger: Logger(label: "shortlinks.edge"))
            services.append(server)
            edge = server
        }
        return ServiceAssembly(services: services, edge: edge, clicks: pipeline, clickCounter: nil, metrics: registry)
    }
}
