import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
public import ServiceLifecycle
import Synchronization

/// The admin listener as a `Service`: a Hummingbird application on
/// ``AdminConfiguration/host``:``AdminConfiguration/port``, stopped with the ServiceGroup.
public final class AdminServer: Service, Sendable {
    let api: AdminAPI
    private let boundPort = Mutex<Int?>(nil)

    init(api: AdminAPI) { self.api = api }

    /// The port it listens on, once listening (tests use port 0).
    public var port: Int? { boundPort.withLock { $0 } }

    /// Waits until the listener is bound and returns the port.
    /// - Parameter timeout: default 60 s.
    public func waitUntilListening(timeout: Duration = .seconds(60)) async throws -> Int {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if let port { return port }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw APIError(.unavailable, "the admin listener did not start within \(timeout)")
    }

    /// Serves until the ServiceGroup shuts down (gracefully: open requests are answered).
    public func run() async throws {
        let settings = api.configuration
        let gate = AdminConnectionGate(limit: settings.maxConnections)
        let server = HTTPServerBuilder { responder in
            AdminChildChannel(
                http: HTTP1Channel(
                    responder: responder,
                    configuration: .init(idleTimeout: Self.amount(settings.idleTimeoutSeconds))),
                gate: gate, headerTimeout: Self.amount(settings.headerTimeoutSeconds),
                bodyTimeout: Self.amount(settings.bodyTimeoutSeconds))
        }
        let application = Application(
            router: api.makeRouter(),
            server: server,
            configuration: .init(address: .hostname(api.configuration.host, port: api.configuration.port), serverName: nil),
            onServerRunning: { channel in
                self.boundPort.withLock { $0 = channel.localAddress?.port }
            },
            logger: Logger(label: "shortlinks.admin"))
        try await application.run()
    }

    private static func amount(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64(seconds * 1e9))
    }
}
