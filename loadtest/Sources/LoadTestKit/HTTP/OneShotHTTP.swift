import NIOCore
import NIOPosix

/// One HTTP/1.1 request on a connection of its own (`Connection: close`), the whole answer
/// read until the server closes: enough for the few admin API calls of a run. (Foundation's
/// URLSession on Linux spent a core of CPU polling while it waited for slow bulk answers,
/// which took that core from the server being set up.)
enum OneShotHTTP {
    struct Response: Sendable {
        var status: Int
        var body: [UInt8]
    }

    static func send(
        _ method: String, _ path: String, base: BaseURL, headers: [(String, String)], body: [UInt8], group: any EventLoopGroup
    ) async throws -> Response {
        let promise = group.next().makePromise(of: [UInt8].self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(5))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(Collector(promise: promise))
                    }
                }
                .connect(host: base.host, port: base.port).get()
        } catch {
            promise.fail(error)
            throw error
        }
        var head = "\(method) \(base.pathPrefix)\(path) HTTP/1.1\r\nHost: \(base.hostHeader)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        var buffer = channel.allocator.buffer(capacity: head.utf8.count + body.count)
        buffer.writeString(head)
        buffer.writeBytes(body)
        channel.writeAndFlush(buffer, promise: nil)
        let bytes = try await promise.futureResult.get()
        return try parse(bytes)
    }

    /// Status and body of a complete answer (`Content-Length`, chunked, or until close).
    static func parse(_ bytes: [UInt8]) throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.firstRange(of: separator)?.lowerBound else { throw ResponseParser.Failure.malformed }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw ResponseParser.Failure.malformed
        }
        var contentLength: Int?
        var chunked = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            if name == "content-length" { contentLength = Int(value) }
            if name == "transfer-encoding", value.lowercased().contains("chunked") { chunked = true }
        }
        var body = Array(bytes[(end + 4)...])
        if chunked {
            body = try dechunk(body)
        } else if let contentLength {
            body = Array(body.prefix(contentLength))
        }
        return Response(status: status, body: body)
    }

    private static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = bytes[index...].firstRange(of: [13, 10])?.lowerBound else { throw ResponseParser.Failure.malformed }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingSpaces(), radix: 16) else { throw ResponseParser.Failure.malformed }
            index = lineEnd + 2
            if size == 0 { break }
            guard index + size <= bytes.count else { throw ResponseParser.Failure.malformed }
            output += bytes[index..<index + size]
            index += size + 2
        }
        return output
    }

    /// Gathers every byte until the connection closes.
    final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        private var bytes: [UInt8] = []
        private let promise: EventLoopPromise<[UInt8]>

        init(promise: EventLoopPromise<[UInt8]>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            bytes += buffer.readBytes(length: buffer.readableBytes) ?? []
        }

        func channelInactive(context: ChannelHandlerContext) { promise.succeed(bytes) }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension OneShotHTTP.Collector: Sendable {}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }
}
