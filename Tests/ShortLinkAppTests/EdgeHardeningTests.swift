import Foundation
import LibPQ
import RedirectServer
import ShortLinkTesting
import Spawn
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The per-client connection cap and the edge's metrics, over loopback.
@Suite(.teardown) struct EdgeHardeningTests {
    @Test func perClientCap_refusesTheFifthConnectionFromOneAddress_whileOthersAreServed() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let edge = try await RunningEdge(
            url: db.url, pool: db.pool, configuration: EdgeConfiguration(eventLoops: 2, maxConnectionsPerClient: 4))
        onTeardown { await edge.stop() }
        var held: [LoopbackSocket] = []
        for _ in 0..<4 {
            let socket = try LoopbackSocket(port: edge.port)
            try socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try socket.receive().hasPrefix("HTTP/1.1 200 OK"))
            held.append(socket)
        }
        // A fifth from 127.0.0.1: closed at accept, unanswered.
        let fifth = try LoopbackSocket(port: edge.port)
        try? fifth.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect((try? fifth.receive(timeoutSeconds: 5)) ?? "" == "")
        // Another address (all of 127/8 is loopback) is served meanwhile.
        let port = edge.port
        #expect(try await offload { try Self.request(from: "127.0.0.2", port: port) }.hasPrefix("HTTP/1.1 200 OK"))
        // One of the four closes: 127.0.0.1 gets its slot back (its release hops to the accepting loop).
        held[0].close()
        var served = false
        let deadline = ContinuousClock.now + .seconds(10)
        while !served, ContinuousClock.now < deadline {
            served = (try? await edge.fetch("/healthz").status) == 200
            if !served { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(served)
        // The fifth, and any poll that came before the release.
        let text = await edge.server.metrics.prometheusText()
        let refused = text.split(separator: "\n").first { $0.hasPrefix("shortlinks_edge_connections_refused_total{reason=\"per_client_cap\"}") }
        #expect((refused?.split(separator: " ").last).flatMap { Int($0) } ?? 0 >= 1)
        #expect(text.contains("shortlinks_edge_connections_refused_total{reason=\"global_cap\"} 0\n"))
    }

    @Test func metrics_countWhatWasServed_overTheMetricsListener() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let (user, client) = try await makeOwner(db.pool)
        try await db.pool.execute(
            """
            INSERT INTO links (short_code, original_url, user_id, client_id, expires_at) VALUES
              ('go', 'https://example.com/go', $1::uuid, $2::uuid, NULL),
              ('gone', 'https://example.com/gone', $1::uuid, $2::uuid, now() - interval '1 day')
            """, [user, client])
        let edge = try await RunningEdge(
            url: db.url, pool: db.pool, configuration: EdgeConfiguration(eventLoops: 2, metricsHost: "127.0.0.1", metricsPort: 0))
        onTeardown { await edge.stop() }
        for _ in 0..<5 { #expect(try await edge.fetch("/go").status == 302) }
        for _ in 0..<2 { #expect(try await edge.fetch("/missing").status == 404) }
        #expect(try await edge.fetch("/gone").status == 410)
        let port = edge.port
        let garbage = try await offload { () throws -> String in
            let socket = try LoopbackSocket(port: port)
            try socket.send("NOT HTTP AT ALL\r\n\r\n")
            return try socket.receive()
        }
        #expect(garbage.hasPrefix("HTTP/1.1 400 Bad Request"))
        let metricsPort = try #require(edge.server.metricsPort)
        let scrape = try await offload { try LoopbackHTTP.request(port: metricsPort, path: "/metrics") }
        #expect(scrape.status == 200)
        #expect(scrape.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        for line in [
            "shortlinks_edge_requests_total{status=\"302\"} 5",
            "shortlinks_edge_requests_total{status=\"404\"} 2",
            "shortlinks_edge_requests_total{status=\"410\"} 1",
            "shortlinks_edge_requests_total{status=\"400\"} 1",
            "shortlinks_edge_cache_lookups_total{result=\"hit\"} 5",
            "shortlinks_edge_cache_lookups_total{result=\"miss\"} 2",
            "shortlinks_edge_cache_lookups_total{result=\"expired\"} 1",
            "shortlinks_edge_parse_errors_total{kind=\"400\"} 1",
            "shortlinks_edge_connections_accepted_total 9",
            "shortlinks_edge_request_duration_seconds_count 8",
        ] {
            #expect(scrape.body.contains(line + "\n"), "missing \(line)")
        }
        // Only GET /metrics.
        #expect(try await offload { try LoopbackHTTP.request(port: metricsPort, path: "/go") }.status == 404)
        #expect(try await offload { try LoopbackHTTP.request(port: metricsPort, path: "/metrics", method: "HEAD") }.status == 405)
    }

    @Test func servedBinary_roleEdge_servesItsMetricsOnTheMetricsListener() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let served = try await ServedBinary.start(databaseURL: db.url, spool: temporarySpool())
        let port = served.port
        for _ in 0..<3 { #expect(try await offload { try LoopbackHTTP.request(port: port, path: "/healthz") }.status == 200) }
        let metricsPort = try #require(served.metricsPort)
        let scrape = try await offload { try LoopbackHTTP.request(port: metricsPort, path: "/metrics") }
        #expect(scrape.status == 200)
        #expect(scrape.body.contains("shortlinks_edge_requests_total{status=\"200\"} 3\n"))
        #expect(scrape.body.contains("shortlinks_edge_connections_accepted_total 3\n"))
        try await served.stop(with: SIGTERM)
        #expect(served.termination == .exited(0))
    }

    struct SourceAddressFailure: Error {
        var errno: Int32
    }

    /// One `GET /healthz` from a given loopback source address; the whole response.
    static func request(from source: String, port: Int) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        func address(_ text: String, _ port: Int) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, text, &address.sin_addr)
            return address
        }
        var local = address(source, 0)
        var remote = address("127.0.0.1", port)
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        guard withUnsafePointer(to: &local, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) } }) == 0,
            withUnsafePointer(to: &remote, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, size) } }) == 0
        else { throw SourceAddressFailure(errno: errno) }
        let request = Array("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += chunk[0..<n]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
