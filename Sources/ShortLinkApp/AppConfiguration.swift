public import AdminAPI
import ClickPipeline
import Configuration
import Foundation
public import RedirectServer
import ShortLinkCore
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
    /// The public redirect listener.
    public var edge: EdgeConfiguration
    /// Click capture, enrichment and storage.
    public var clicks: ClickSettings
    /// The staff listener and its API (auth, public base URL, code length).
    public var admin: AdminConfiguration

    /// Creates a configuration from explicit values (tests, tools).
    public init(
        database: Database, embedded: Embedded, migrationsDirectory: String? = nil,
        edge: EdgeConfiguration = EdgeConfiguration(), clicks: ClickSettings = ClickSettings(geoIPEnabled: false),
        admin: AdminConfiguration = AdminConfiguration()
    ) {
        self.database = database
        self.embedded = embedded
        self.migrationsDirectory = migrationsDirectory
        self.edge = edge
        self.clicks = clicks
        self.admin = admin
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
        let edge = try edgeConfiguration(reader)
        let maxConnections = reader.int(forKey: "database.maxConnections", default: 8)
        return AppConfiguration(
            database: Database(
                url: url,
                maxConnections: maxConnections,
                connectTimeoutSeconds: reader.int(forKey: "database.connectTimeoutSeconds", default: 5)),
            embedded: Embedded(
                dataDirectory: reader.string(forKey: "embedded.dataDirectory", default: ".data/postgres"),
                databaseName: reader.string(forKey: "embedded.databaseName", default: "shortlinks")),
            migrationsDirectory: reader.string(forKey: "migrations.directory"),
            edge: edge,
            clicks: try clickSettings(reader, databaseConnections: maxConnections), admin: try adminConfiguration(reader, edgeHost: edge.host))
    }

    private static func clickSettings(_ reader: ConfigReader, databaseConnections maxConnections: Int) throws -> ClickSettings {
        let defaults = ClickSettings()
        let pipelineDefaults = ClickPipelineConfiguration()
        // retention.rawClicksMonths is the documented key; clicks.retentionMonths is its
        // earlier name, still read when the new one is not set.
        let retention = reader.int(forKey: "retention.rawClicksMonths") ?? reader.int(forKey: "clicks.retentionMonths", default: 0)
        guard retention >= 0 else {
            throw AppError(code: .invalidConfiguration, message: "retention.rawClicksMonths must be 0 (keep all) or a number of months")
        }
        let maxClicks = reader.int(forKey: "clicks.maxClicksPerWrite", default: pipelineDefaults.maxClicksPerWrite)
        let memoryBound = reader.int(forKey: "clicks.memoryBoundBytes", default: pipelineDefaults.memoryBoundBytes)
        for (name, value) in [("clicks.maxClicksPerWrite", maxClicks), ("clicks.memoryBoundBytes", memoryBound)] where value <= 0 {
            throw AppError(code: .invalidConfiguration, message: "\(name) must be greater than zero")
        }
        let catchUp = reader.int(forKey: "clicks.catchUpClicksPerWrite") ?? max(pipelineDefaults.catchUpClicksPerWrite, maxClicks)
        guard catchUp >= maxClicks else {
            throw AppError(code: .invalidConfiguration, message: "clicks.catchUpClicksPerWrite must be at least clicks.maxClicksPerWrite")
        }
        let yielding = WriteYielding(
            enabled: reader.bool(forKey: "clicks.yieldToEdge", default: pipelineDefaults.yielding.enabled),
            pressureThreshold: reader.double(forKey: "clicks.yieldPressure", default: pipelineDefaults.yielding.pressureThreshold),
            maxDeferSeconds: reader.double(forKey: "clicks.maxDeferSeconds", default: pipelineDefaults.yielding.maxDeferSeconds))
        guard yielding.pressureThreshold > 0, yielding.pressureThreshold <= 1 else {
            throw AppError(code: .invalidConfiguration, message: "clicks.yieldPressure must be a share above 0 and at most 1")
        }
        guard yielding.maxDeferSeconds >= 0 else {
            throw AppError(code: .invalidConfiguration, message: "clicks.maxDeferSeconds must not be negative")
        }
        let writers = reader.int(forKey: "clicks.writers", default: pipelineDefaults.writers)
        guard (1...64).contains(writers), writers < maxConnections else {
            throw AppError(
                code: .invalidConfiguration,
                message: "clicks.writers must be between 1 and 64 and below database.maxConnections (\(maxConnections)), which the link cache shares")
        }
        let pipeline = ClickPipelineConfiguration(
            maxClicksPerWrite: maxClicks,
            catchUpClicksPerWrite: catchUp,
            yielding: yielding,
            writers: writers,
            memoryBoundBytes: memoryBound,
            drainTimeoutSeconds: reader.double(
                forKey: "clicks.drainTimeoutSeconds", default: pipelineDefaults.drainTimeoutSeconds),
            retentionMonths: retention > 0 ? retention : nil)
        let geoPath = reader.string(forKey: "geoip.db").flatMap { $0.isEmpty ? nil : $0 }
        let ipLists = try ClickSettings.parseIPLists(
            reader.stringArray(forKey: "bots.ipLists", default: []).flatMap { $0.split(separator: ";").map(String.init) })
        let settings = ClickSettings(
            store: reader.bool(forKey: "clicks.store", default: defaults.store),
            spoolDirectory: reader.string(forKey: "clicks.spoolDir", default: defaults.spoolDirectory),
            journal: reader.bool(forKey: "clicks.journal", default: defaults.journal),
            journalSegmentBytes: reader.int(forKey: "clicks.journalSegmentBytes", default: defaults.journalSegmentBytes),
            journalMaxBytes: reader.int(forKey: "clicks.journalMaxBytes", default: defaults.journalMaxBytes),
            anonymizeIP: reader.bool(forKey: "clicks.anonymizeIP", default: defaults.anonymizeIP),
            pipeline: pipeline,
            geoIPDatabase: geoPath,
            geoIPEnabled: reader.bool(forKey: "geoip.enabled", default: defaults.geoIPEnabled),
            geoIPCheckSeconds: reader.double(forKey: "geoip.checkSeconds", default: defaults.geoIPCheckSeconds),
            botRulesFile: reader.string(forKey: "bots.rulesFile").flatMap { $0.isEmpty ? nil : $0 },
            botIPLists: ipLists,
            unhealthyAfterSeconds: reader.double(forKey: "clicks.unhealthyAfterSeconds", default: defaults.unhealthyAfterSeconds),
            journalMinFreeBytes: reader.int(forKey: "clicks.journalMinFreeBytes", default: defaults.journalMinFreeBytes),
            rollups: RollupWorkerConfiguration(
                intervalSeconds: reader.double(forKey: "rollups.intervalSeconds", default: defaults.rollups.intervalSeconds),
                maxClicksPerCycle: reader.int(forKey: "rollups.maxClicksPerCycle", default: defaults.rollups.maxClicksPerCycle),
                inMemory: reader.bool(forKey: "rollups.inMemory", default: defaults.rollups.inMemory),
                ownerLeaseSeconds: reader.double(forKey: "rollups.ownerLeaseSeconds")))
        for (name, value) in [
            ("clicks.maxClicksPerWrite", Double(settings.pipeline.maxClicksPerWrite)),
            ("clicks.memoryBoundBytes", Double(settings.pipeline.memoryBoundBytes)),
            ("clicks.journalSegmentBytes", Double(settings.journalSegmentBytes)),
            ("clicks.journalMaxBytes", Double(settings.journalMaxBytes)),
            ("geoip.checkSeconds", settings.geoIPCheckSeconds),
            ("clicks.unhealthyAfterSeconds", settings.unhealthyAfterSeconds),
            ("rollups.intervalSeconds", settings.rollups.intervalSeconds),
            ("rollups.maxClicksPerCycle", Double(settings.rollups.maxClicksPerCycle)),
            ("rollups.ownerLeaseSeconds", settings.rollups.ownerLeaseSeconds),
        ] where !(value > 0) {
            throw AppError(code: .invalidConfiguration, message: "\(name) must be greater than zero")
        }
        guard settings.rollups.intervalSeconds <= 3600 else {
            throw AppError(code: .invalidConfiguration, message: "rollups.intervalSeconds must be at most 3600 (metrics would lag that long)")
        }
        guard settings.rollups.ownerLeaseSeconds >= 2 * settings.rollups.intervalSeconds else {
            throw AppError(
                code: .invalidConfiguration,
                message:
                    "rollups.ownerLeaseSeconds must be at least twice rollups.intervalSeconds (or live processes' batches are rolled up from raw rows)"
            )
        }
        guard settings.journalMinFreeBytes >= 0 else {
            throw AppError(code: .invalidConfiguration, message: "clicks.journalMinFreeBytes must not be negative")
        }
        guard settings.pipeline.drainTimeoutSeconds >= 0 else {
            throw AppError(code: .invalidConfiguration, message: "clicks.drainTimeoutSeconds must not be negative")
        }
        return settings
    }

    static func list(_ reader: ConfigReader, _ key: String, default fallback: [String] = []) -> [String] {
        reader.stringArray(forKey: ConfigKey(key), default: fallback)
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    private static func adminConfiguration(_ reader: ConfigReader, edgeHost: String) throws -> AdminConfiguration {
        let defaults = AdminConfiguration()
        let (host, port) = try hostAndPort(
            reader.string(forKey: "admin.addr", default: "\(defaults.host):\(defaults.port)"), key: "SHORTLINKS_ADMIN_ADDR")
        let baseURL = reader.string(forKey: "publicBaseUrl", default: defaults.publicBaseURL)
        let base = AdminConfiguration(publicBaseURL: baseURL)
        guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://"), base.publicHost != nil else {
            throw AppError(
                code: .invalidConfiguration,
                message: "SHORTLINKS_PUBLIC_BASE_URL: '\(baseURL)' is not an http(s) URL with a host (e.g. https://sho.rt)")
        }
        let codeLength = reader.int(forKey: "links.codeLength", default: defaults.codeLength)
        guard (4...64).contains(codeLength) else {
            throw AppError(code: .invalidConfiguration, message: "links.codeLength must be between 4 and 64")
        }
        var oidc: OIDCConfiguration?
        let jwksFile = reader.string(forKey: "auth.oidc.jwksFile").flatMap { $0.isEmpty ? nil : $0 }
        let jwksURL = reader.string(forKey: "auth.oidc.jwksUrl").flatMap { $0.isEmpty ? nil : $0 }
        let audiences = list(reader, "auth.oidc.audiences")
        if jwksFile != nil || jwksURL != nil {
            guard !audiences.isEmpty else {
                throw AppError(
                    code: .invalidConfiguration,
                    message:
                        "auth.oidc.audiences (SHORTLINKS_AUTH_OIDC_AUDIENCES) is required with a JWKS: the OAuth client id(s) ID tokens are issued for"
                )
            }
            oidc = OIDCConfiguration(
                issuers: list(reader, "auth.oidc.issuers", default: ["https://accounts.google.com", "accounts.google.com"]),
                audiences: audiences,
                keys: jwksFile.map(OIDCConfiguration.KeySource.file) ?? .url(jwksURL!),
                refreshSeconds: reader.double(forKey: "auth.oidc.refreshSeconds", default: 3600),
                leewaySeconds: reader.double(forKey: "auth.oidc.leewaySeconds", default: 60))
        }
        var admin = AdminConfiguration(
            host: host, port: port, publicBaseURL: baseURL, codeLength: codeLength,
            maxBodyBytes: reader.int(forKey: "admin.maxBodyBytes", default: defaults.maxBodyBytes),
            maxBulkLinks: reader.int(forKey: "admin.maxBulkLinks", default: defaults.maxBulkLinks),
            auth: AuthConfiguration(allowedDomains: list(reader, "auth.allowedDomains"), oidc: oidc))
        admin.headerTimeoutSeconds = reader.double(forKey: "admin.headerTimeoutSeconds", default: defaults.headerTimeoutSeconds)
        admin.bodyTimeoutSeconds = reader.double(forKey: "admin.bodyTimeoutSeconds", default: defaults.bodyTimeoutSeconds)
        admin.idleTimeoutSeconds = reader.double(forKey: "admin.idleTimeoutSeconds", default: defaults.idleTimeoutSeconds)
        admin.maxConnections = reader.int(forKey: "admin.maxConnections", default: defaults.maxConnections)
        for (name, value) in [
            ("admin.headerTimeoutSeconds", admin.headerTimeoutSeconds), ("admin.bodyTimeoutSeconds", admin.bodyTimeoutSeconds),
            ("admin.idleTimeoutSeconds", admin.idleTimeoutSeconds), ("admin.maxConnections", Double(admin.maxConnections)),
        ] where !(value > 0) {
            throw AppError(code: .invalidConfiguration, message: "\(name) must be greater than zero")
        }
        try readAdminAccess(reader, into: &admin)
        admin.edgeListenHost = edgeHost
        admin.maxTagsPerLink = reader.int(forKey: "admin.maxTagsPerLink", default: defaults.maxTagsPerLink)
        guard admin.maxTagsPerLink >= 1 else {
            throw AppError(code: .invalidConfiguration, message: "admin.maxTagsPerLink must be at least 1")
        }
        return admin
    }

    private static func edgeConfiguration(_ reader: ConfigReader) throws -> EdgeConfiguration {
        let defaults = EdgeConfiguration()
        let address = reader.string(forKey: "edge.addr", default: "\(defaults.host):\(defaults.port)")
        let (host, port) = try hostAndPort(address, key: "SHORTLINKS_EDGE_ADDR")
        let proxyTexts = reader.stringArray(forKey: "trustedProxies", default: [])
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var proxies: [CIDR] = []
        for text in proxyTexts {
            guard let cidr = CIDR(text) else {
                throw AppError(
                    code: .invalidConfiguration,
                    message: "SHORTLINKS_TRUSTED_PROXIES: '\(text)' is not an address or CIDR block (e.g. 10.0.0.0/8)")
            }
            proxies.append(cidr)
        }
        let loops = reader.int(forKey: "edge.eventLoops", default: 0)
        // The metrics listener runs for `serve --role edge` only (ServiceAssembly); "" or "off" disables it.
        let metricsText = reader.string(forKey: "edge.metricsAddr", default: "127.0.0.1:9090")
        let metrics: (String, Int)? =
            ["", "off"].contains(metricsText) ? nil : try hostAndPort(metricsText, key: "SHORTLINKS_EDGE_METRICS_ADDR")
        var configuration = EdgeConfiguration(
            host: host, port: port, eventLoops: loops > 0 ? loops : nil,
            idleTimeoutSeconds: reader.double(forKey: "edge.idleTimeoutSeconds", default: defaults.idleTimeoutSeconds),
            maxConnections: reader.int(forKey: "edge.maxConnections", default: defaults.maxConnections),
            maxConnectionsPerClient: reader.int(
                forKey: "edge.maxConnectionsPerClient", default: defaults.maxConnectionsPerClient),
            headerTimeoutSeconds: reader.double(forKey: "edge.headerTimeoutSeconds", default: defaults.headerTimeoutSeconds),
            trustedProxies: proxies,
            robotsTxt: reader.string(forKey: "edge.robotsTxt", default: defaults.robotsTxt),
            maxRequestLineBytes: reader.int(forKey: "edge.maxRequestLineBytes", default: defaults.maxRequestLineBytes),
            maxHeaderBytes: reader.int(forKey: "edge.maxHeaderBytes", default: defaults.maxHeaderBytes),
            maxHeaderCount: reader.int(forKey: "edge.maxHeaderCount", default: defaults.maxHeaderCount),
            resyncIntervalSeconds: reader.double(
                forKey: "edge.resyncIntervalSeconds", default: defaults.resyncIntervalSeconds),
            captureFlushMilliseconds: reader.int(
                forKey: "edge.captureFlushMilliseconds", default: defaults.captureFlushMilliseconds))
        configuration.metricsHost = metrics?.0
        configuration.metricsPort = metrics?.1 ?? defaults.metricsPort
        guard configuration.maxConnectionsPerClient >= 0 else {
            throw AppError(code: .invalidConfiguration, message: "edge.maxConnectionsPerClient must be 0 (no cap) or more")
        }
        for (name, value) in [
            ("edge.idleTimeoutSeconds", configuration.idleTimeoutSeconds),
            ("edge.headerTimeoutSeconds", configuration.headerTimeoutSeconds),
            ("edge.resyncIntervalSeconds", configuration.resyncIntervalSeconds),
            ("edge.maxConnections", Double(configuration.maxConnections)),
            ("edge.maxHeaderBytes", Double(configuration.maxHeaderBytes)),
            ("edge.captureFlushMilliseconds", Double(configuration.captureFlushMilliseconds)),
        ] where !(value > 0) {
            throw AppError(code: .invalidConfiguration, message: "\(name) must be greater than zero")
        }
        return configuration
    }

    /// Splits `host:port`, `[v6]:port` or `:port` (all interfaces).
    static func hostAndPort(_ text: String, key: String) throws -> (String, Int) {
        let invalid = AppError(code: .invalidConfiguration, message: "\(key): '\(text)' is not host:port (e.g. 0.0.0.0:8080)")
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else { throw invalid }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        return (host, port)
    }
}
