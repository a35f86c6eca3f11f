import NIOCore

/// Reads a connection's bytes into answers for its worker.
final class ResponseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let worker: ConnectionWorker
    private var parser: ResponseParser
    private var pending: ByteBuffer?

    init(worker: ConnectionWorker, parser: ResponseParser) {
        self.worker = worker
        self.parser = parser
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if pending != nil {
            pending!.writeBuffer(&incoming)
        } else {
            pending = incoming
        }
        do {
            while pending!.readableBytes > 0,
                let response = try parser.next(&pending!, requestWasHead: worker.expectsHeadAnswer)
            {
                worker.received(response)
            }
        } catch {
            pending = nil
            worker.protocolError()
            return
        }
        if pending!.readableBytes == 0 {
            pending = nil
        } else {
            pending!.discardReadBytes()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        worker.channelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension ResponseHandler: Sendable {}
