import NIOCore
import ShortLinkCore

/// The whole edge protocol on one connection: parse request heads straight from the
/// received bytes, answer each from the loop's link cache with pre-encoded bytes (copied
/// into the loop's output buffer, so no buffer shared between loops is retained), record
/// the click, write once per read and flush once per read cycle.
///
/// Pipelined requests are answered in order; a partial head waits in `stash` for more
/// bytes; a bad one gets 400/414/431 and the connection closes. While the socket cannot
/// take more output the handler stops asking for input, so a client that pipelines
/// without reading cannot grow our memory.
final class RedirectHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let loop: LoopContext
    private var peer: IPAddress?
    private var stash: ByteBuffer?
    private var closing = false
    private var wrote = false
    private var readHeldBack = false
    private var sawRequestSinceTick = false
    private var idleTicks = 0
    private var idleTimer: Scheduled<Void>?
    /// Armed while a request head is awaited: from the connection's start, and from the
    /// first byte of a later request; cancelled when the head is complete.
    private var headerTimer: Scheduled<Void>?
    /// Requests answered in this read cycle and when its first read began (latency).
    private var cycleRequests = 0
    private var cycleStart: Int64 = 0
    private var context: ChannelHandlerContext?

    /// Ticks per idle timeout: a connection closes between 1 and 1¼ timeouts after its last request.
    private static let ticksPerTimeout = 4

    init(loop: LoopContext) {
        self.loop = loop
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        loop.register(self)
        if context.channel.isActive { start(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        headerTimer?.cancel()
        loop.unregister(self)
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard idleTimer == nil else { return }
        peer = context.channel.remoteAddress.flatMap(Self.address(of:))
        scheduleIdleTick(context: context)
        armHeaderTimer(context: context)
        if loop.isDraining { drain() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = nil
        headerTimer?.cancel()
        headerTimer = nil
        loop.unregister(self)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        var buffer = unwrapInboundIn(data)
        if var stashed = stash {
            stash = nil
            stashed.writeBuffer(&buffer)
            process(context: context, buffer: &stashed)
        } else {
            process(context: context, buffer: &buffer)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if wrote {
            wrote = false
            context.flush()
        }
        observeCycle()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readHeldBack = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if readHeldBack, context.channel.isWritable {
            readHeldBack = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Resets and broken pipes end the connection; nothing to answer.
        context.close(promise: nil)
    }

    /// Closes the connection after what it has been sent (shutdown).
    func drain() {
        guard let context, !closing else { return }
        if stash == nil { closeAfterPendingWrites(context: context) }
    }

    /// Closes the connection at once, whatever it was doing (end of a drain).
    func closeNow() {
        context?.close(promise: nil)
    }

    // MARK: - Requests

    private func process(context: ChannelHandlerContext, buffer: inout ByteBuffer) {
        let now = Timestamp.now()
        if cycleRequests == 0 { cycleStart = now.microsecondsSinceEpoch }
        let answeredBefore = cycleRequests
        var consumed = 0
        var failure: RequestHeadError?
        // Unique again once the previous read's write has reached the socket: no allocation.
        loop.output.clear()
        buffer.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count, !closing {
                let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
                switch RequestHeadParser.parse(rest, limits: loop.limits) {
                case .complete(let head):
                    respond(context: context, head: head, bytes: rest, now: now)
                    offset += head.headLength
                case .incomplete:
                    consumed = offset
                    return
                case .invalid(let error):
                    failure = error
                    consumed = bytes.count
                    return
                }
            }
            consumed = offset
        }
        if cycleRequests != answeredBefore, let timer = headerTimer {
            timer.cancel()
            headerTimer = nil
        }
        if let failure {
            loop.metrics.count(EdgeCounter(failure))
            closing = true
            loop.output.writeImmutableBuffer(loop.responses.response(for: failure))
            writeOutput(context)
            closeAfterPendingWrites(context: context)
            return
        }
        writeOutput(context)
        if closing {
            closeAfterPendingWrites(context: context)
            // A closing channel may see no channelReadComplete: record its requests now.
            observeCycle()
            return
        }
        if consumed < buffer.readableBytes {
            buffer.moveReaderIndex(forwardBy: consumed)
            stash = buffer
            // The first bytes of the next head: it has headerTimeout to complete.
            if headerTimer == nil { armHeaderTimer(context: context) }
        } else if loop.isDraining {
            drain()
        }
    }

    @inline(__always)
    private func respond(context: ChannelHandlerContext, head: RequestHead, bytes: UnsafeRawBufferPointer, now: Timestamp) {
        sawRequestSinceTick = true
        cycleRequests &+= 1
        let mode: HTTPConnectionMode =
            head.keepAlive && !loop.isDraining ? (head.isHTTP11 ? .keepAlive : .keepAliveHTTP10) : .close
        if mode == .close { closing = true }
        let isHead = head.method == .head
        guard head.method != .other else {
            loop.metrics.count(.methodNotAllowed)
            return emit(loop.responses.methodNotAllowed.bytes(mode: mode, isHead: false))
        }
        var code = bytes[head.path]
        guard code.count >= 2, code[0] == UInt8(ascii: "/") else {
            loop.metrics.count(.notFound)
            return emit(loop.responses.notFound.bytes(mode: mode, isHead: isHead))
        }
        code = UnsafeRawBufferPointer(rebasing: code[1...])
        if code.count > 1, code[code.count - 1] == UInt8(ascii: "/") {
            code = UnsafeRawBufferPointer(rebasing: code[..<(code.count - 1)])
        }
        guard code.count <= ShortCode.maximumLength, code.allSatisfy(ShortCode.isCodeByte) else {
            if Self.equals(code, "robots.txt") {
                loop.metrics.count(.ok)
                return emit(loop.responses.robots.bytes(mode: mode, isHead: isHead))
            }
            loop.metrics.count(.notFound)
            return emit(loop.responses.notFound.bytes(mode: mode, isHead: isHead))
        }
        if code.count == 7, Self.equals(code, "healthz") {
            loop.metrics.count(.ok)
            return emit(loop.responses.health.bytes(mode: mode, isHead: isHead))
        }
        guard let entry = loop.lookup(code) else {
            loop.metrics.count(.cacheMiss)
            return emit(loop.responses.notFound.bytes(mode: mode, isHead: isHead))
        }
        guard entry.expiresAt > now.microsecondsSinceEpoch else {
            loop.metrics.count(.expired)
            return emit(loop.responses.gone.bytes(mode: mode, isHead: isHead))
        }
        loop.metrics.count(Self.counter(forCached: entry.response))
        if mode == .keepAlive, !entry.forwardQuery || (head.query?.count ?? 0) == 0 {
            loop.output.writeBytes(entry.response)
        } else {
            Self.appendResponse(entry, query: head.query.map { bytes[$0] }, mode: mode, to: &loop.output)
        }
        let fields: ClickRecord.Fields = head.captured.map { bytes[$0] }
        let client =
            loop.trustedProxies.isEmpty
            ? peer
            : ClientAddressResolver.resolve(
                peer: peer, trusted: loop.trustedProxies, forwardedFor: head.forwardedFor.map { bytes[$0] },
                forwarded: head.forwarded.map { bytes[$0] })
        loop.capture.record(
            linkID: entry.linkID, now: now, clientIP: client, method: isHead ? .head : .get, fields: fields)
    }

    /// Adds a fixed response to this read's output.
    @inline(__always)
    private func emit(_ response: ByteBuffer) {
        loop.output.writeImmutableBuffer(response)
    }

    /// Hands this read's responses to the channel as one buffer (flushed at read complete).
    @inline(__always)
    private func writeOutput(_ context: ChannelHandlerContext) {
        guard loop.output.readableBytes > 0 else { return }
        wrote = true
        context.write(wrapOutboundOut(loop.output), promise: nil)
    }

    /// Appends a response that differs from the cached bytes: a forwarded query string and/or
    /// a `Connection` header.
    static func appendResponse(
        _ entry: LinkEntry, query: UnsafeRawBufferPointer?, mode: HTTPConnectionMode, to out: inout ByteBuffer
    ) {
        let response = entry.response
        out.writeBytes(UnsafeRawBufferPointer(rebasing: response[..<entry.insertAt]))
        if entry.forwardQuery, let query, query.count > 0 {
            out.writeInteger(entry.targetHasQuery ? UInt8(ascii: "&") : UInt8(ascii: "?"))
            out.writeBytes(query)
        }
        let rest = UnsafeRawBufferPointer(rebasing: response[entry.insertAt...])
        let connection = mode.headerLine
        if connection.isEmpty {
            out.writeBytes(rest)
        } else {
            // Everything but the final CRLF, the Connection line, then the blank line.
            out.writeBytes(UnsafeRawBufferPointer(rebasing: rest[..<(rest.count - 2)]))
            out.writeString(connection)
            out.writeString("\r\n")
        }
    }

    /// The counter for a cached response, from its status code (bytes 9…11 of `HTTP/1.1 302 …`).
    @inline(__always)
    static func counter(forCached response: UnsafeRawBufferPointer) -> EdgeCounter {
        guard response.count >= 12 else { return .redirect302 }
        return switch UInt32(bigEndian: response.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) {
        case 0x2033_3031: .redirect301  // " 301"
        case 0x2033_3037: .redirect307
        case 0x2033_3038: .redirect308
        case 0x2034_3130: .expired  // " 410"
        case 0x2034_3034: .cacheMiss  // " 404"
        default: .redirect302
        }
    }

    private static func equals(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        bytes.count == text.utf8CodeUnitCount
            && bytes.elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Records the requests answered in this read cycle: one clock read, however many there were.
    private func observeCycle() {
        guard cycleRequests > 0 else { return }
        loop.metrics.observe(requests: cycleRequests, microseconds: Timestamp.now().microsecondsSinceEpoch - cycleStart)
        cycleRequests = 0
    }

    // MARK: - Connection lifetime

    /// Flushes what was written (this read's output included), then closes.
    private func closeAfterPendingWrites(context: ChannelHandlerContext) {
        closing = true
        wrote = false
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer())).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    private func scheduleIdleTick(context: ChannelHandlerContext) {
        let tick = TimeAmount.nanoseconds(max(1, loop.idleTimeout.nanoseconds / Int64(Self.ticksPerTimeout)))
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: tick) { [self] in
            guard let context = self.context, context.channel.isActive else { return }
            if sawRequestSinceTick {
                sawRequestSinceTick = false
                idleTicks = 0
            } else {
                idleTicks += 1
            }
            if idleTicks >= Self.ticksPerTimeout {
                loop.metrics.count(.idleTimeout)
                context.close(promise: nil)
            } else {
                scheduleIdleTick(context: context)
            }
        }
    }

    private func armHeaderTimer(context: ChannelHandlerContext) {
        headerTimer = context.eventLoop.assumeIsolated().scheduleTask(in: loop.headerTimeout) { [self] in
            headerTimer = nil
            guard let context = self.context, context.channel.isActive, !closing else { return }
            loop.metrics.count(.headerTimeout)
            closing = true
            context.close(promise: nil)
        }
    }

    /// The peer's address, read once per connection (its text form; not on the request path).
    static func address(of socketAddress: SocketAddress) -> IPAddress? {
        socketAddress.ipAddress.flatMap { IPAddress($0) }
    }
}

@available(*, unavailable)
extension RedirectHandler: Sendable {}
