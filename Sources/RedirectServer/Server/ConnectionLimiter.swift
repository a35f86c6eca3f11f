import NIOCore
import Synchronization

/// Counts open edge connections across all loops and closes accepted ones beyond the cap.
///
/// It sits on the server channel, so it runs once per accepted connection, never per request.
final class ConnectionLimiter: ChannelInboundHandler, Sendable {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Connections open now.
    var openConnections: Int { open.load(ordering: .relaxed) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = unwrapInboundIn(data)
        let (_, now) = open.add(1, ordering: .relaxed)
        guard now <= limit else {
            open.subtract(1, ordering: .relaxed)
            child.close(promise: nil)
            return
        }
        child.closeFuture.whenComplete { [self] _ in
            open.subtract(1, ordering: .relaxed)
        }
        context.fireChannelRead(data)
    }
}
