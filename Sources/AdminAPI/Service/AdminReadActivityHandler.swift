import NIOCore

/// In front of the HTTP/1 decoder: tells the deadline handler that bytes arrived.
final class AdminReadActivityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let deadlines: AdminRequestDeadlineHandler

    init(deadlines: AdminRequestDeadlineHandler) {
        self.deadlines = deadlines
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        deadlines.bytesArrived()
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension AdminReadActivityHandler: Sendable {}
