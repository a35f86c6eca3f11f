import NIOCore

/// The edge's metrics listener: answers `GET /metrics` with the Prometheus text, anything
/// else with 404/405/400, one request per connection (then it closes).
final class MetricsHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private static let limits = RequestHeadLimits(maxRequestLineBytes: 1_024, maxHeaderBytes: 8_192, maxHeaderCount: 64)
    private let metrics: EdgeMetrics
    private var received = ByteBuffer()
    private var answered = false

    private var deadline: Scheduled<Void>?

    init(metrics: EdgeMetrics) {
        self.metrics = metrics
    }

    /// A scraper sends its request at once: a connection still silent after 10 s is closed.
    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: .seconds(10)) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        var bytes = unwrapInboundIn(data)
        received.writeBuffer(&bytes)
        let result = received.withUnsafeReadableBytes { RequestHeadParser.parse($0, limits: Self.limits) }
        switch result {
        case .incomplete:
            return
        case .invalid:
            answer(context: context, status: "400 Bad Request", body: "Bad Request\n")
        case .complete(let head):
            let isMetrics = received.withUnsafeReadableBytes { bytes in
                bytes[head.path].elementsEqual("/metrics".utf8)
            }
            guard isMetrics else { return answer(context: context, status: "404 Not Found", body: "Not Found\n") }
            guard head.method == .get else {
                return answer(context: context, status: "405 Method Not Allowed", body: "Method Not Allowed\n", allow: true)
            }
            answered = true
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            metrics.snapshot(on: context.eventLoop).whenComplete { result in
                let (handler, context) = bound.value
                switch result {
                case .success(let snapshot):
                    handler.answer(
                        context: context, status: "200 OK", body: snapshot.prometheusText,
                        contentType: "text/plain; version=0.0.4; charset=utf-8")
                case .failure:
                    handler.answer(context: context, status: "503 Service Unavailable", body: "Service Unavailable\n")
                }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func answer(
        context: ChannelHandlerContext, status: String, body: String,
        contentType: String = "text/plain; charset=utf-8", allow: Bool = false
    ) {
        answered = true
        let head =
            "HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n"
            + (allow ? "Allow: GET\r\n" : "") + "Connection: close\r\n\r\n"
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: head + body))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension MetricsHandler: Sendable {}
