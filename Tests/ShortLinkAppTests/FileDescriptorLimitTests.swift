import Foundation
import ShortLinkTesting
import Spawn
import Testing

@testable import ShortLinkApp

/// The real `shortlinks serve` under a small descriptor limit: more idle connections than
/// descriptors must not kill it (libdispatch's worker monitor traps when it cannot open
/// `/proc/<tid>/stat`, which is what crashed it with SIGILL), and it serves again once
/// the idle connections go.
@Suite(.teardown) struct FileDescriptorLimitTests {
    @Test func servedBinary_underUlimit1024_survives1200IdleConnections_andServesAfterwards() async throws {
        // This process holds the 1,200 client ends: it needs a higher limit than the server
        // (a fresh machine's soft limit may be 1,024; the hard limit is usually far higher).
        try #require(FileDescriptorBudget.raiseLimit() >= 4_096, "the test process needs RLIMIT_NOFILE ≥ 4096")
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let served = try await offload {
            try ServedBinary(
                databaseURL: db.url, spool: temporarySpool(),
                extraEnvironment: [
                    // Idle connections must stay until the test closes them.
                    "SHORTLINKS_EDGE_HEADER_TIMEOUT_SECONDS": "600", "SHORTLINKS_ADMIN_HEADER_TIMEOUT_SECONDS": "600",
                    // All of them come from 127.0.0.1: the per-client cap is not what is tested here.
                    "SHORTLINKS_EDGE_MAX_CONNECTIONS_PER_CLIENT": "0",
                ],
                role: "all", fileDescriptorLimit: 1_024)
        }
        let edgePort = served.port
        let adminPort = try #require(served.adminPort)
        // The caps the binary derived from the limit (logged once at start).
        let edgeCap = try #require(Self.logged("edgeMaxConnections", in: served.log))
        let adminCap = try #require(Self.logged("adminMaxConnections", in: served.log))
        #expect(served.log.contains("limit=1024"))
        #expect(edgeCap + adminCap < 1_024)

        // 1,000 to the edge and 200 to the admin listener: more than the process has descriptors.
        var sockets: [LoopbackSocket] = []
        for _ in 0..<1_000 { sockets.append(try LoopbackSocket(port: edgePort)) }
        for _ in 0..<200 { sockets.append(try LoopbackSocket(port: adminPort)) }
        // Those beyond the caps are closed by the server (EOF); wait until all of them were.
        let expectedClosed = (1_000 - edgeCap) + (200 - adminCap)
        var open = Set(sockets.indices)
        var closed = 0
        let deadline = ContinuousClock.now + .seconds(90)
        while closed < expectedClosed, ContinuousClock.now < deadline, served.isRunning {
            for index in open where (try? sockets[index].receive(timeoutSeconds: 0)) == "" {
                open.remove(index)
                closed += 1
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(closed == expectedClosed)
        #expect(served.isRunning, "serve died: \(served.log.suffix(2_000))")

        // The idle connections go; new clients are served on both listeners.
        for socket in sockets { socket.close() }
        let edgeServed = try await Self.eventually { try LoopbackHTTP.request(port: edgePort, path: "/healthz").status == 200 }
        let adminServed = try await Self.eventually { try LoopbackHTTP.request(port: adminPort, path: "/readyz").status > 0 }
        #expect(edgeServed)
        #expect(adminServed)
        #expect(served.isRunning)
        try await served.stop(with: SIGTERM)
        #expect(served.termination == .exited(0))
    }

    /// `key=N` from the log.
    static func logged(_ key: String, in log: String) -> Int? {
        guard let range = log.range(of: key + #"=\d+"#, options: .regularExpression) else { return nil }
        return Int(log[range].split(separator: "=").last ?? "")
    }

    /// Polls `condition` on a thread-pool thread until it holds or 30 s pass.
    static func eventually(_ condition: @escaping @Sendable () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if (try? await offload(condition)) == true { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
