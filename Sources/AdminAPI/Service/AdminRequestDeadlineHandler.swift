import NIOCore
import NIOHTTP1

/// Closes admin connections that are too slow to send a request: the head must be complete
/// within the header timeout (from the connection's start, or from the first byte after the
/// previous response), the body within the body timeout after the head (408, then close).
/// The keep-alive idle time between requests is Hummingbird's `idleTimeout`.
///
/// It sits right after the HTTP/1 decoder; ``AdminReadActivityHandler`` in front of the
/// decoder tells it when bytes arrive.
final class AdminRequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    enum Phase {
        case awaitingHead, readingBody, responding, betweenRequests
    }

    private let headerTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private(set) var phase = Phase.awaitingHead
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    private var responseStarted = false
    private var inFlight = 0

    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        arm(headerTimeout, context: context) { $0.close(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    /// Bytes arrived (before decoding): after a response they start the next head's clock.
    func bytesArrived() {
        guard phase == .betweenRequests, let context else { return }
        phase = .awaitingHead
        arm(headerTimeout, context: context) { $0.close(context: context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            phase = .readingBody
            responseStarted = false
            inFlight += 1
            arm(bodyTimeout, context: context) { $0.bodyTimedOut(context: context) }
        case .body:
            break
        case .end:
            timer?.cancel()
            timer = nil
            phase = .responding
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head:
            responseStarted = true
        case .body:
            break
        case .end:
            inFlight -= 1
            if inFlight <= 0, phase == .responding { phase = .betweenRequests }
        }
        context.write(data, promise: promise)
    }

    private func arm(
        _ timeout: TimeAmount, context: ChannelHandlerContext, _ fire: @escaping (AdminRequestDeadlineHandler) -> Void
    ) {
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            timer = nil
            fire(self)
        }
    }

    private func close(context: ChannelHandlerContext) {
        context.close(promise: nil)
    }

    /// A body still arriving: 408 when nothing has been answered yet, then close.
    private func bodyTimedOut(context: ChannelHandlerContext) {
        guard !responseStarted else { return context.close(promise: nil) }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/problem+json")
        headers.add(name: "Connection", value: "close")
        let body =
            #"{"type":"urn:shortlinks:problem:request_timeout","title":"Request Timeout","status":408,"code":"request_timeout","detail":"the request body did not arrive in time"}"#
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .requestTimeout, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}

@available(*, unavailable)
extension AdminRequestDeadlineHandler: Sendable {}
