import Logging
import NIOPosix
import Prometheus
import ServiceLifecycle
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@testable import AdminAPI

/// The admin listener's header, body and idle timeouts and its connection cap, over loopback.
@Suite(.teardown) struct AdminConnectionTests {
    /// A running admin listener over a fresh database, with a token.
    final class RunningAdmin: Sendable {
        let db: TestDatabase
        let server: AdminServer
        let task: Task<Void, any Error>
        let port: Int
        let token: String

        init(_ configure: (inout AdminConfiguration) -> Void) async throws {
            db = try await TestPostgres.database()
            var configuration = AdminConfiguration(host: "127.0.0.1", port: 0)
            configure(&configuration)
            let api = AdminAPI(
                configuration: configuration, database: db.database, metrics: PrometheusCollectorRegistry(),
                logger: Logger(label: "test.admin"))
            let user = try await UserRepository(pool: db.pool).create(email: "staff@macondo.example", name: "Staff")
            let secret = APITokenSecret.generate()
            _ = try await TokenRepository(pool: db.pool).create(userID: user.id, name: "t", digest: secret.digest, prefix: secret.prefix)
            token = secret.token
            let server = api.makeServer()
            self.server = server
            task = Task { try await server.run() }
            port = try await server.waitUntilListening(timeout: .seconds(30))
        }

        func stop() async {
            task.cancel()
            _ = try? await task.value
            await db.drop()
        }
    }

    /// Sends `text` on a fresh connection and reads until the server closes it (at most 10 s).
    static func untilClosed(port: Int, sending text: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive {
            let socket = try LoopbackSocket(port: port)
            if !text.isEmpty { try socket.send(text) }
            var received = ""
            while true {
                let chunk = try socket.receive(timeoutSeconds: 10)
                if chunk.isEmpty { return received }
                received += chunk
            }
        }
    }

    @Test func silentConnection_isClosedAtTheHeaderTimeout() async throws {
        let admin = try await RunningAdmin { $0.headerTimeoutSeconds = 1 }
        onTeardown { await admin.stop() }
        #expect(try await Self.untilClosed(port: admin.port, sending: "") == "")
    }

    @Test func halfSentHeader_isClosedAtTheHeaderTimeout() async throws {
        let admin = try await RunningAdmin { $0.headerTimeoutSeconds = 1 }
        onTeardown { await admin.stop() }
        #expect(try await Self.untilClosed(port: admin.port, sending: "GET /readyz HTTP/1.1\r\nHost: x\r\nX-Slow: ") == "")
    }

    @Test func promisedBodyThatNeverArrives_gets408AndIsClosed() async throws {
        let admin = try await RunningAdmin { $0.bodyTimeoutSeconds = 1 }
        onTeardown { await admin.stop() }
        let request =
            "POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(admin.token)\r\n"
            + "Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{\"name\":"
        let response = try await Self.untilClosed(port: admin.port, sending: request)
        #expect(response.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(response.contains("request_timeout"))
    }

    @Test func idleKeepAliveConnection_isClosedAtTheIdleTimeout() async throws {
        let admin = try await RunningAdmin {
            $0.idleTimeoutSeconds = 1
            $0.headerTimeoutSeconds = 60
        }
        onTeardown { await admin.stop() }
        let response = try await Self.untilClosed(port: admin.port, sending: "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.hasPrefix("HTTP/1.1 "))
    }

    @Test func connectionsBeyondTheCap_areClosedAtOnce_andASlotFreesOnClose() async throws {
        let admin = try await RunningAdmin { $0.maxConnections = 2 }
        onTeardown { await admin.stop() }
        let port = admin.port
        // A request without credentials: answered 401 at once, without the database, so the
        // test is about the connection cap and not about how fast a loaded machine evaluates
        // /readyz. The blocking socket reads run on the thread pool, off the cooperative pool.
        let request = "GET /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n"
        var held: [LoopbackSocket] = []
        for _ in 0..<2 {
            let (socket, answer) = try await NIOThreadPool.singleton.runIfActive {
                let socket = try LoopbackSocket(port: port)
                try socket.send(request)
                return (socket, try socket.receive(timeoutSeconds: 30))
            }
            #expect(answer.hasPrefix("HTTP/1.1 401 "))
            held.append(socket)
        }
        #expect(try await Self.untilClosed(port: port, sending: request) == "")
        held[0].close()
        var served = false
        let deadline = ContinuousClock.now + .seconds(10)
        while !served, ContinuousClock.now < deadline {
            served = (try? await NIOThreadPool.singleton.runIfActive { try LoopbackHTTP.request(port: port, path: "/readyz") }) != nil
            if !served { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(served)
    }
}
