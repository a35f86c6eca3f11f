public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
public import ShortLinkCore
import Synchronization

/// The public edge as a `Service`: fills the link cache, listens, answers redirects until
/// graceful shutdown, then stops accepting, lets open connections finish, and hands every
/// captured click to the sink before returning.
///
/// The event loops are the caller's (one per core in `serve`, made and shut down by the
/// app's service assembly): the edge never creates or stops a group.
public final class EdgeServer: Service {
    private let configuration: EdgeConfiguration
    private let group: any EventLoopGroup
    private let links: any LinkSource
    private let clicks: any ClickSink
    private let logger: Logger
    private let boundPort = Mutex<Int?>(nil)
    private let listening = Latch()
    private let boundMetricsPort = Mutex<Int?>(nil)
    /// The edge's counters, for the admin `/metrics` and the edge's own metrics listener.
    public let metrics = EdgeMetrics()

    /// - Parameters:
    ///   - configuration: listener, limits and cache settings.
    ///   - eventLoopGroup: the loops that accept and serve connections, one ``LoopContext`` each;
    ///     owned by the caller, who shuts it down after ``run()`` returns. Default NIO's
    ///     shared `MultiThreadedEventLoopGroup.singleton` (one loop per core, never shut down).
    ///   - links: where links come from and how changes are announced.
    ///   - clicks: where captured clicks go.
    ///   - logger: the edge's logger (never given request contents).
    public init(
        configuration: EdgeConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        links: any LinkSource, clicks: any ClickSink, logger: Logger
    ) {
        self.configuration = configuration
        self.group = eventLoopGroup
        self.links = links
        self.clicks = clicks
        self.logger = logger
    }

    /// The port once listening (useful with port 0), else `nil`.
    public var port: Int? { boundPort.withLock { $0 } }

    /// The metrics listener's port once listening, else `nil` (also when there is none).
    public var metricsPort: Int? { boundMetricsPort.withLock { $0 } }

    /// Waits until the edge listens and returns its port.
    /// - Parameter timeout: how long to wait; default 60 s.
    public func waitUntilListening(timeout: Duration = .seconds(60)) async throws -> Int {
        if await listening.wait(until: ContinuousClock.now + timeout), let port { return port }
        try Task.checkCancellation()
        throw EdgeServerError.notListening(after: timeout)
    }

    public func run() async throws {
        do {
            try await serve(on: group)
        } catch {
            // Scrapes must not submit to loops the caller may shut down next.
            await metrics.detach()
            throw error
        }
    }

    private func serve(on group: any EventLoopGroup) async throws {
        let configuration = self.configuration
        let sink = clicks
        var contexts: [NIOLoopBound<LoopContext>] = []
        for loop in group.makeIterator() {
            contexts.append(
                try await loop.submit {
                    NIOLoopBound(LoopContext(eventLoop: loop, configuration: configuration, sink: sink), eventLoop: loop)
                }.get())
        }
        let cache = LinkCache(contexts: contexts)
        let sync = LinkCacheSync(
            source: links, cache: cache, resyncInterval: .milliseconds(Int64(configuration.resyncIntervalSeconds * 1000)),
            logger: logger)
        let counters = metrics.connections
        metrics.attach(contexts)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await sync.run() }
            try await sync.waitForFirstLoad(
                timeout: .milliseconds(Int64(configuration.initialLoadTimeoutSeconds * 1000)))

            let flushTimers = contexts.map { context in
                let period = TimeAmount.milliseconds(Int64(configuration.captureFlushMilliseconds))
                return context.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
                    context.value.capture.flush()
                }
            }
            let server = try await bootstrap(group: group, contexts: contexts)
                .bind(host: configuration.host, port: configuration.port).get()
            let port = server.localAddress?.port ?? configuration.port
            boundPort.withLock { $0 = port }
            listening.open()
            logger.info(
                "edge listening",
                metadata: [
                    "address": "\(configuration.host):\(port)", "links": "\(cache.statistics.tableCount)",
                    "maxConnections": "\(configuration.maxConnections)",
                    "maxConnectionsPerClient": "\(configuration.maxConnectionsPerClient)",
                ])
            var metricsServer: (any Channel)?
            if let host = configuration.metricsHost {
                // Not fatal: redirects matter more than their metrics (9090 may be taken by
                // a Prometheus on the same host).
                do {
                    let channel = try await metricsBootstrap(group: group).bind(host: host, port: configuration.metricsPort).get()
                    let metricsPort = channel.localAddress?.port ?? configuration.metricsPort
                    boundMetricsPort.withLock { $0 = metricsPort }
                    logger.info("edge metrics listening", metadata: ["metrics": "\(host):\(metricsPort)"])
                    metricsServer = channel
                } catch {
                    logger.error(
                        "edge metrics listener could not listen; set edge.metricsAddr (SHORTLINKS_EDGE_METRICS_ADDR) or 'off'",
                        metadata: ["metrics": "\(host):\(configuration.metricsPort)", "error": "\(error)"])
                }
            }

            try? await gracefulShutdown()

            // Stop accepting, then let connections finish what they were sent.
            logger.info("edge draining", metadata: ["connections": "\(counters.open.load(ordering: .relaxed))"])
            try? await server.close()
            try? await metricsServer?.close()
            for context in contexts {
                context.eventLoop.execute { context.value.beginDraining() }
            }
            // Woken by the last connection closing, or by the deadline; cancellation (not a
            // graceful shutdown) skips the wait: loops close what is left.
            let drainTimeout = Duration.milliseconds(Int64(configuration.drainTimeoutSeconds * 1000))
            await withTaskGroup(of: Void.self) { wait in
                wait.addTask { await counters.waitUntilNoneOpen() }
                wait.addTask { try? await Task.sleep(for: drainTimeout) }
                await wait.next()
                wait.cancelAll()
            }
            // The loops are the caller's and outlive this run: close what is still open.
            for context in contexts {
                try? await context.eventLoop.submit { context.value.closeAll() }.get()
            }
            for timer in flushTimers { timer.cancel() }
            // Whatever the loops captured goes to the sink before we return.
            for context in contexts {
                try? await context.eventLoop.submit { context.value.capture.close() }.get()
            }
            await metrics.detach()
            tasks.cancelAll()
            logger.info("edge stopped")
        }
    }

    /// How long accepting pauses after `accept` failed (out of file descriptors): the
    /// kernel keeps new connections in the backlog meanwhile. NIO's default is 1 s.
    static let acceptBackoff = TimeAmount.milliseconds(100)

    private func bootstrap(
        group: any EventLoopGroup, contexts: [NIOLoopBound<LoopContext>]
    ) async throws -> ServerBootstrap {
        let configuration = self.configuration
        let counters = metrics.connections
        let logger = self.logger
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4_096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.addAcceptHandlers(
                        to: channel.pipeline.syncOperations, configuration: configuration, counters: counters, logger: logger)
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: false)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let context = contexts.first(where: { $0.eventLoop === channel.eventLoop }) else {
                        throw ChannelError.ioOnClosedChannel
                    }
                    try channel.pipeline.syncOperations.addHandler(RedirectHandler(loop: context.value))
                }
            }
    }

    /// The server channel's handlers: accept backoff, then the connection caps.
    ///
    /// The future-based bind adds no `AcceptBackoffHandler` (only NIO's async bind does):
    /// without one, an `accept` failing for want of descriptors is retried at once, in a
    /// busy loop on the accepting event loop.
    static func addAcceptHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations, configuration: EdgeConfiguration, counters: ConnectionCounters,
        logger: Logger
    ) throws {
        try pipeline.addHandler(AcceptBackoffHandler(shouldForwardIOErrorCaught: true) { _ in Self.acceptBackoff })
        try pipeline.addHandler(
            ConnectionLimiter(
                limit: configuration.maxConnections, perClientLimit: configuration.maxConnectionsPerClient,
                trustedProxies: configuration.trustedProxies, counters: counters, logger: logger))
    }

    private func metricsBootstrap(group: any EventLoopGroup) -> ServerBootstrap {
        let metrics = self.metrics
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        AcceptBackoffHandler(shouldForwardIOErrorCaught: false) { _ in Self.acceptBackoff })
                }
            }
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(MetricsHandler(metrics: metrics))
                }
            }
    }
}
