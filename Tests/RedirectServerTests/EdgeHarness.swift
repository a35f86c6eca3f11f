import NIOCore
import NIOEmbedded
import ShortLinkCore
import ShortLinkTesting

@testable import RedirectServer

/// One RedirectHandler on an EmbeddedChannel with a table of links and a recording sink.
final class EdgeHarness {
    let loop = EmbeddedEventLoop()
    let sink = RecordingClickSink()
    let context: LoopContext
    let channel: EmbeddedChannel

    init(
        links: [LinkTarget], configuration: EdgeConfiguration = EdgeConfiguration(),
        peer: String = "198.51.100.20"
    ) throws {
        context = LoopContext(eventLoop: loop, configuration: configuration, sink: sink)
        var builder = LinkTableBuilder()
        for link in links { builder.add(link) }
        context.replace(table: builder.build())
        channel = EmbeddedChannel(handler: RedirectHandler(loop: context), loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: peer, port: 40_000)).wait()
    }

    /// Sends bytes as one read and returns everything written back, concatenated.
    func send(_ request: String) throws -> String {
        try channel.writeInbound(ByteBuffer(string: request))
        return try drain()
    }

    /// Everything written so far and not yet read.
    func drain() throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += String(buffer: buffer)
        }
        return text
    }

    /// The clicks captured so far (flushes the loop's capture buffer first).
    func clicks() throws -> [ClickEvent] {
        context.capture.flush()
        return try sink.events()
    }

    var isOpen: Bool { channel.isActive }

    deinit {
        _ = try? channel.finish()
    }
}

func httpRequest(
    _ path: String, method: String = "GET", version: String = "HTTP/1.1", headers: [String] = []
) -> String {
    var text = "\(method) \(path) \(version)\r\nHost: go.example\r\n"
    for header in headers { text += header + "\r\n" }
    return text + "\r\n"
}

func link(
    _ code: String, _ url: String, status: RedirectStatus = .found, forwardQuery: Bool = false,
    expiresAt: Timestamp? = nil, id: EntityID = .random()
) -> LinkTarget {
    LinkTarget(id: id, code: code, url: url, status: status, forwardQuery: forwardQuery, expiresAt: expiresAt)
}
