public import ShortLinkCore

/// Everything the edge reads at start. Defaults are the documented ones in `Config/README.md`.
public struct EdgeConfiguration: Sendable {
    /// Listen host; default `0.0.0.0`.
    public var host: String
    /// Listen port; default 8080. 0 picks a free port (tests).
    public var port: Int
    /// Event loops (threads) of the group `serve` makes for the edge; `nil` (the default)
    /// means one per core. Read by whoever creates the group (``EdgeServer`` serves on the
    /// group it is given).
    public var eventLoops: Int?
    /// Keep-alive connections with no complete request for this long are closed; default 60 s.
    public var idleTimeoutSeconds: Double
    /// Connections accepted beyond this many are closed at once; default 10,000.
    /// `serve` lowers it to what the process's file-descriptor limit allows.
    public var maxConnections: Int
    /// Connections from one client address (an IPv4 /32, an IPv6 /64) beyond this many are
    /// closed at once; default 256; 0 turns the per-client cap off. Counted by the socket
    /// peer at accept time; peers in ``trustedProxies`` are not counted (a proxy carries
    /// many clients; it limits them itself).
    public var maxConnectionsPerClient: Int
    /// A connection that has not sent a complete request head this long after it opened,
    /// or after the first byte of its next request, is closed; default 10 s.
    public var headerTimeoutSeconds: Double
    /// Peers whose `X-Forwarded-For` / `Forwarded` headers are believed; default none.
    public var trustedProxies: [CIDR]
    /// Body of `/robots.txt`; default disallows everything, so crawlers do not click links.
    public var robotsTxt: String
    /// Longest request line in bytes; default 8 KiB (longer: 414).
    public var maxRequestLineBytes: Int
    /// Longest header section in bytes; default 8 KiB (longer: 431).
    public var maxHeaderBytes: Int
    /// Most header lines; default 64 (more: 431).
    public var maxHeaderCount: Int
    /// Full cache resync period; default 300 s.
    public var resyncIntervalSeconds: Double
    /// How long `run()` waits for the first full load of the cache; default 60 s.
    public var initialLoadTimeoutSeconds: Double
    /// Captured clicks are handed to the sink at least this often; default 50 ms.
    public var captureFlushMilliseconds: Int
    /// …or when an event loop has captured this many; default 4,096.
    public var captureBatchSize: Int
    /// On shutdown, connections still open after this long are closed; default 5 s.
    public var drainTimeoutSeconds: Double
    /// Host of the edge's own metrics listener (`GET /metrics` only); default `nil`: none
    /// (`serve --role edge` sets `127.0.0.1`, the admin listener serves them otherwise).
    public var metricsHost: String?
    /// Port of the metrics listener; default 9090 (0 picks a free port, for tests).
    public var metricsPort: Int

    /// Creates a configuration; every parameter has the documented default.
    public init(
        host: String = "0.0.0.0", port: Int = 8080, eventLoops: Int? = nil,
        idleTimeoutSeconds: Double = 60, maxConnections: Int = 10_000, maxConnectionsPerClient: Int = 256,
        headerTimeoutSeconds: Double = 10, trustedProxies: [CIDR] = [],
        robotsTxt: String = "User-agent: *\nDisallow: /\n",
        maxRequestLineBytes: Int = 8_192, maxHeaderBytes: Int = 8_192, maxHeaderCount: Int = 64,
        resyncIntervalSeconds: Double = 300, initialLoadTimeoutSeconds: Double = 60,
        captureFlushMilliseconds: Int = 50, captureBatchSize: Int = 4_096, drainTimeoutSeconds: Double = 5,
        metricsHost: String? = nil, metricsPort: Int = 9090
    ) {
        self.host = host
        self.port = port
        self.eventLoops = eventLoops.map { max(1, $0) }
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
        self.maxConnectionsPerClient = maxConnectionsPerClient
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.trustedProxies = trustedProxies
        self.robotsTxt = robotsTxt
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.resyncIntervalSeconds = resyncIntervalSeconds
        self.initialLoadTimeoutSeconds = initialLoadTimeoutSeconds
        self.captureFlushMilliseconds = captureFlushMilliseconds
        self.captureBatchSize = captureBatchSize
        self.drainTimeoutSeconds = drainTimeoutSeconds
        self.metricsHost = metricsHost
        self.metricsPort = metricsPort
    }

    var limits: RequestHeadLimits {
        RequestHeadLimits(
            maxRequestLineBytes: maxRequestLineBytes, maxHeaderBytes: maxHeaderBytes, maxHeaderCount: maxHeaderCount)
    }
}
