public import ShortLinkCore

/// Everything the edge reads at start. Defaults are the documented ones in `Config/README.md`.
public struct EdgeConfiguration: Sendable {
    /// Listen host; default `0.0.0.0`.
    public var host: String
    /// Listen port; default 8080. 0 picks a free port (tests).
    public var port: Int
    /// Event loops (threads); `nil` (the default) means one per core.
    public var eventLoops: Int?
    /// Keep-alive connections with no complete request for this long are closed; default 60 s.
    public var idleTimeoutSeconds: Double
    /// Connections accepted beyond this many are closed at once; default 10,000.
    public var maxConnections: Int
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

    /// Creates a configuration; every parameter has the documented default.
    public init(
        host: String = "0.0.0.0", port: Int = 8080, eventLoops: Int? = nil,
        idleTimeoutSeconds: Double = 60, maxConnections: Int = 10_000, trustedProxies: [CIDR] = [],
        robotsTxt: String = "User-agent: *\nDisallow: /\n",
        maxRequestLineBytes: Int = 8_192, maxHeaderBytes: Int = 8_192, maxHeaderCount: Int = 64,
        resyncIntervalSeconds: Double = 300, initialLoadTimeoutSeconds: Double = 60,
        captureFlushMilliseconds: Int = 50, captureBatchSize: Int = 4_096, drainTimeoutSeconds: Double = 5
    ) {
        self.host = host
        self.port = port
        self.eventLoops = eventLoops.map { max(1, $0) }
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
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
    }

    var limits: RequestHeadLimits {
        RequestHeadLimits(
            maxRequestLineBytes: maxRequestLineBytes, maxHeaderBytes: maxHeaderBytes, maxHeaderCount: maxHeaderCount)
    }
}

