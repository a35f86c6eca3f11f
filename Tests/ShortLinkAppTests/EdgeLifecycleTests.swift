import Foundation
import LibPQ
import Logging
import NIOCore
import NIOPosix
import RedirectServer
import ServiceLifecycle
import ShortLinkCore
import ShortLinkTesting
import Spawn
import Storage
import Testing

/// Connection lifetime over loopback: idle timeout, the connection cap, graceful
/// shutdown (in process, and the real binary on SIGTERM).
@Suite(.teardown) struct EdgeLifecycleTests {
    @Test func idleConnection_isClosedAfterTheTimeout() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let edge = try await RunningEdge(
            url: db.url, pool: db.pool, configuration: EdgeConfiguration(eventLoops: 1, idleTimeoutSeconds: 0.4))
        onTeardown { await edge.stop() }
        let socket = try LoopbackSocket(port: edge.port)
        try socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try socket.receive().hasPrefix("HTTP/1.1 200 OK"))
        // Open and answering, then nothing: closed by the server (EOF) within ~0.5 s.
        let started = ContinuousClock.now
        #expect(try socket.receive(timeoutSeconds: 5) == "")
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(300))
        #expect(waited < .seconds(3))
    }

    @Test func connectionsBeyondTheCap_areClosedAtOnce() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let edge = try await RunningEdge(
            url: db.url, pool: db.pool, configuration: EdgeConfiguration(eventLoops: 1, maxConnections: 2))
        onTeardown { await edge.stop() }
        let first = try LoopbackSocket(port: edge.port)
        let second = try LoopbackSocket(port: edge.port)
        for socket in [first, second] {
            try socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try socket.receive().hasPrefix("HTTP/1.1 200"))
        }
        let third = try LoopbackSocket(port: edge.port)
        // The send may already fail (the server closed first); the receive must then see EOF
        // or a reset (""), not time out: a connection left open would throw here.
        try? third.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try third.receive(timeoutSeconds: 5) == "")
        // Closing one frees a slot once the server has seen the close: retry until a
        // deadline (each refused attempt is a round trip: closed by the server at once).
        first.close()
        let deadline = ContinuousClock.now + .seconds(5)
        var served = false
        while !served, ContinuousClock.now < deadline {
            served = (try? edge.get("/healthz").status) == 200
        }
        #expect(served)
    }

    @Test func gracefulShutdown_answersWhatWasSent_flushesClicks_andStopsListening() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let (user, client) = try await makeOwner(db.pool)
        try await db.pool.execute(
            "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ('bye', 'https://example.com/bye', $1::uuid, $2::uuid)",
            [user, client])
        let sink = RecordingClickSink()
        let source = PostgresLinkSourceFactory.make(db)
        // The caller's loops: the edge does not shut them down, we do, after it returned.
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = EdgeServer(
            configuration: EdgeConfiguration(host: "127.0.0.1", port: 0, captureFlushMilliseconds: 60_000),
            eventLoopGroup: loops, links: source, clicks: sink, logger: Logger(label: "test.edge"))
        let group = ServiceGroup(services: [server], logger: Logger(label: "test.group"))
        let running = Task { try await group.run() }
        let port = try await server.waitUntilListening()
        for _ in 0..<5 { #expect(try LoopbackHTTP.request(port: port, path: "/bye").status == 302) }
        // A keep-alive connection with half a request in flight when shutdown starts. The
        // half is sent behind a whole request in one segment: once that one is answered, the
        // server has read (and holds) the half.
        let pending = try LoopbackSocket(port: port)
        try pending.send("GET /bye HTTP/1.1\r\nHost: x\r\n\r\nGET /bye HTTP/1.1\r\nHost: x\r\n")
        #expect(try pending.receive().hasPrefix("HTTP/1.1 302 Found\r\n"))
        await group.triggerGracefulShutdown()
        try pending.send("User-Agent: late/1\r\n\r\n")
        let answer = try pending.receive()
        #expect(answer.hasPrefix("HTTP/1.1 302 Found\r\n"))
        // Answered, then closed by the server (with `Connection: close` when the drain
        // began before the request completed; either way the next read is EOF).
        #expect(try pending.receive() == "")
        try await running.value
        try await loops.shutdownGracefully()
        // The flush period was a minute: only the shutdown flush can have delivered these.
        #expect(sink.count == 7)
        #expect(try sink.events().contains { $0.userAgent == "late/1" })
        #expect(throws: (any Error).self) { try LoopbackHTTP.request(port: port, path: "/bye") }
    }

    @Test func servedBinary_onSIGTERM_exitsZero() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let served = try await ServedBinary.start(databaseURL: db.url, spool: temporarySpool())
        let port = served.port
        #expect(try await offload { try LoopbackHTTP.request(port: port, path: "/healthz") }.status == 200)
        try await served.stop(with: SIGTERM)
        #expect(served.termination == .exited(0))
    }
}

enum PostgresLinkSourceFactory {
    static func make(_ db: TestDatabase) -> any LinkSource {
        PostgresLinkSource(pool: db.pool, listenerURL: db.url, logger: Logger(label: "test.links"))
    }
}
