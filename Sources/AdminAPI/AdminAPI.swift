import Foundation
public import Hummingbird
public import Logging
public import Prometheus
public import Storage

/// The staff API: its routes over the database (``Storage/Database``), rendering the process's Prometheus
/// registry at `/metrics`. Build it once, then ``makeRouter()`` (tests) or ``makeServer()``.
public struct AdminAPI: Sendable {
    /// The settings it runs with.
    public let configuration: AdminConfiguration
    let database: Database
    /// The registry `/metrics` renders; the API adds its request series to it.
    public let metrics: PrometheusCollectorRegistry
    let readiness: ReadinessChecks
    /// Runs the readiness checks `/readyz` answers with; add it to the ServiceGroup so that
    /// they run in the background.
    public let readinessMonitor: ReadinessMonitor
    /// Prometheus text appended to `/metrics` (the edge's per-loop series); default none.
    let additionalMetrics: (@Sendable () async -> String)?
    let logger: Logger
    let links: LinkService
    let authenticator: Authenticator
    let avatarRules = TargetURLRules(selfHosts: .none)
    let openAPIDocument: [UInt8]
    /// One per API value, so every router it makes shares the callers' buckets; `nil` when off.
    let rateLimiter: RateLimiter?

    /// Creates the API.
    /// - Parameters:
    ///   - configuration: listener, public base URL, auth.
    ///   - database: the repositories and probes (its pool is owned by the caller).
    ///   - metrics: the process's registry (owned by the composition root, shared with the
    ///     components that record metrics).
    ///   - readiness: what `/readyz` checks besides the database; default nothing more.
    ///   - additionalMetrics: Prometheus text appended to `/metrics`; default none.
    ///   - logger: for errors and first OIDC logins.
    public init(
        configuration: AdminConfiguration, database: Database, metrics: PrometheusCollectorRegistry,
        readiness: ReadinessChecks = ReadinessChecks(), additionalMetrics: (@Sendable () async -> String)? = nil,
        logger: Logger
    ) {
        self.configuration = configuration
        self.database = database
        self.metrics = metrics
        self.readiness = readiness
        self.additionalMetrics = additionalMetrics
        self.logger = logger
        readinessMonitor = ReadinessMonitor(health: database.health, checks: readiness, logger: logger)
        links = LinkService(database: database, configuration: configuration)
        authenticator = Authenticator(
            tokens: database.tokens, users: database.users, auth: configuration.auth, logger: logger)
        rateLimiter = configuration.rateLimit.isEnabled ? RateLimiter(configuration: configuration.rateLimit) : nil
        openAPIDocument = OpenAPIDocument.served(Self.loadOpenAPIDocument(), publicURL: configuration.publicURL)
    }

    /// The committed OpenAPI 3.1 document (`Sources/AdminAPI/Resources/openapi.json`); the
    /// served one has `servers` set from ``AdminConfiguration/publicURL``.
    public static func loadOpenAPIDocument() -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return Array(#"{"openapi":"3.1.0","info":{"title":"missing","version":"0"},"paths":{}}"#.utf8) }
        return Array(data)
    }

    /// The router with every route and middleware.
    public func makeRouter() -> Router<AdminRequestContext> {
        let router = Router(context: AdminRequestContext.self)
        if !configuration.corsAllowedOrigins.isEmpty {
            // Outermost: preflights are answered before authentication, and problem
            // documents from the middleware below get the CORS headers too.
            router.add(middleware: CrossOriginMiddleware(allowedOrigins: configuration.corsAllowedOrigins))
        }
        router.add(middleware: ProblemMiddleware(logger: logger, metrics: AdminMetrics(registry: metrics)))
        router.add(middleware: DatabaseUnavailableMiddleware(logger: logger))
        MetaRoutes(api: self).registerPublic(on: router)
        router.add(middleware: AuthMiddleware(authenticator: authenticator, limiter: rateLimiter))
        MetaRoutes(api: self).register(on: router)
        UserRoutes(api: self).register(on: router)
        TokenRoutes(api: self).register(on: router)
        ClientRoutes(api: self).register(on: router)
        CampaignRoutes(api: self).register(on: router)
        LinkRoutes(api: self).register(on: router)
        TagRoutes(api: self).register(on: router)
        MetricsRoutes(api: self).register(on: router)
        ExportRoutes(api: self).register(on: router)
        return router
    }

    /// The listener as a `Service` for the process's ServiceGroup.
    public func makeServer() -> AdminServer {
        AdminServer(api: self)
    }
}
