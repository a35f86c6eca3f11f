import Logging
import NIOCore
import ShortLinkCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Closes accepted connections beyond the global cap or beyond the per-client cap, and
/// counts accept failures for want of file descriptors.
///
/// It sits on the server channel, so it runs once per accepted connection, never per
/// request, and on the server channel's loop only: the per-client counts need no lock
/// (a connection's close hops back to that loop to release its slot).
final class ConnectionLimiter: ChannelInboundHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let limit: Int
    private let perClientLimit: Int
    private let trustedProxies: [CIDR]
    private let counters: ConnectionCounters
    private let logger: Logger
    private var perClient: [IPAddress: Int] = [:]
    private var lastExhaustionLog: NIODeadline?

    /// - Parameters:
    ///   - limit: most open connections.
    ///   - perClientLimit: most open connections per IPv4 address or IPv6 /64; 0: no cap.
    ///   - trustedProxies: peers not counted per client.
    ///   - counters: where the counts go.
    ///   - logger: for accept failures (rate-limited).
    init(limit: Int, perClientLimit: Int, trustedProxies: [CIDR], counters: ConnectionCounters, logger: Logger) {
        self.limit = limit
        self.perClientLimit = perClientLimit
        self.trustedProxies = trustedProxies
        self.counters = counters
        self.logger = logger
    }

    /// The per-client key: the address itself for IPv4, its /64 for IPv6.
    static func clientKey(_ address: IPAddress) -> IPAddress {
        address.isIPv4 ? address : address.masked(toPrefix: 64)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = unwrapInboundIn(data)
        let (_, now) = counters.open.add(1, ordering: .relaxed)
        guard now <= limit else {
            counters.release()
            counters.refusedGlobalCap.add(1, ordering: .relaxed)
            child.close(promise: nil)
            return
        }
        var key: IPAddress?
        if perClientLimit > 0, let peer = child.remoteAddress.flatMap(RedirectHandler.address(of:)),
            !trustedProxies.contains(where: { $0.contains(peer) })
        {
            let client = Self.clientKey(peer)
            let held = perClient[client, default: 0]
            guard held < perClientLimit else {
                counters.release()
                counters.refusedPerClientCap.add(1, ordering: .relaxed)
                child.close(promise: nil)
                return
            }
            perClient[client] = held + 1
            key = client
        }
        counters.accepted.add(1, ordering: .relaxed)
        let counters = self.counters
        let loop = context.eventLoop
        let limiter = NIOLoopBound(self, eventLoop: loop)
        child.closeFuture.whenComplete { [key] _ in
            counters.release()
            if let key {
                loop.execute { limiter.value.release(key) }
            }
        }
        context.fireChannelRead(data)
    }

    private func release(_ key: IPAddress) {
        guard let held = perClient[key] else { return }
        if held <= 1 { perClient[key] = nil } else { perClient[key] = held - 1 }
    }

    /// Accept failures arrive here after the `AcceptBackoffHandler` in front has paused
    /// accepting; they are counted, logged at most every 10 s, and not passed on.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? IOError else {
            context.fireErrorCaught(error)
            return
        }
        let exhausted = [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(error.errnoCode)
        if exhausted { counters.refusedNoDescriptors.add(1, ordering: .relaxed) }
        let now = NIODeadline.now()
        if lastExhaustionLog.map({ now - $0 >= .seconds(10) }) ?? true {
            lastExhaustionLog = now
            logger.warning(
                exhausted ? "edge accept failed: out of file descriptors; pausing accepts briefly" : "edge accept failed",
                metadata: ["errno": "\(error.errnoCode)", "open": "\(counters.open.load(ordering: .relaxed))"])
        }
    }
}

@available(*, unavailable)
extension ConnectionLimiter: Sendable {}
