import LibPQ
import Logging
import NIOCore
import NIOPosix
import RedirectServer
import ShortLinkCore
import ShortLinkTesting
import Storage

/// A running edge on port 0 over a real database, with a recording sink.
final class RunningEdge: Sendable {
    let server: EdgeServer
    /// The edge's loops (`configuration.eventLoops`, default 2), shut down by `stop()`.
    let loops: MultiThreadedEventLoopGroup
    let sink = RecordingClickSink()
    let task: Task<Void, any Error>
    let port: Int

    init(url: String, pool: PGPool, configuration: EdgeConfiguration = .init(host: "127.0.0.1", port: 0, eventLoops: 2))
        async throws
    {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let source = PostgresLinkSource(pool: pool, listenerURL: url, logger: Logger(label: "test.links"))
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: configuration.eventLoops ?? 2)
        self.loops = loops
        let server = EdgeServer(
            configuration: configuration, eventLoopGroup: loops, links: source, clicks: sink,
            logger: Logger(label: "test.edge"))
        self.server = server
        let task = Task { try await server.run() }
        self.task = task
        do {
            port = try await server.waitUntilListening(timeout: .seconds(30))
        } catch {
            task.cancel()
            _ = try? await task.value
            try? await loops.shutdownGracefully()
            throw error
        }
    }

    func get(_ path: String, headers: [String] = []) throws -> LoopbackHTTP.Response {
        try LoopbackHTTP.request(port: port, path: path, headers: headers)
    }

    /// `get` on a thread-pool thread, so polling never blocks the cooperative threads the
    /// edge's own cache worker runs on.
    func fetch(_ path: String) async throws -> LoopbackHTTP.Response {
        let port = self.port
        return try await NIOThreadPool.singleton.runIfActive { try LoopbackHTTP.request(port: port, path: path) }
    }

    /// Polls until `condition` holds for a response to `path`; returns the time it took.
    func waitFor(
        _ path: String, timeout: Duration = .seconds(5), _ condition: (LoopbackHTTP.Response) -> Bool
    ) async throws -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if let response = try? await fetch(path), condition(response) { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
        try? await loops.shutdownGracefully()
    }
}

/// Inserts the owner rows a link needs and returns (userID, clientID).
func makeOwner(_ pool: PGPool) async throws -> (String, String) {
    let user = try await pool.query(
        "INSERT INTO users (email, name) VALUES ('edge-' || gen_random_uuid() || '@example.test', 'Edge') RETURNING id::text")
    let client = try await pool.query("INSERT INTO clients (name) VALUES ('client-' || gen_random_uuid()) RETURNING id::text")
    return (try user[0].decode(0, as: String.self), try client[0].decode(0, as: String.self))
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
}
