import AdminAPI
public import LibPQ
import Logging
import RedirectServer
import ServiceLifecycle
public import ShortLinkApp

/// The real `serve` assembly for a role, run in this process in its own ServiceGroup until
/// stopped, with its listeners on the ports the configuration names (port 0: any free one).
public final class InProcessService: Sendable {
    /// What `serve` builds for the role.
    public let assembly: ServiceAssembly
    /// The edge's port, when the role has an edge.
    public let edgePort: Int?
    /// The admin API's port, when the role has one.
    public let adminPort: Int?
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Builds the services, runs them, and returns once every listener accepts connections.
    public init(configuration: AppConfiguration, role: ServeRole, pool: PGPool, databaseURL: String) async throws {
        let assembly = try ServiceAssembly.build(
            configuration: configuration, role: role, pool: pool, databaseURL: databaseURL, logger: Logger(label: "test.serve"))
        self.assembly = assembly
        let group = ServiceGroup(services: assembly.services, logger: Logger(label: "test.group"))
        self.group = group
        task = Task { try await group.run() }
        edgePort = try await assembly.edge?.waitUntilListening(timeout: .seconds(30))
        adminPort = try await assembly.admin?.waitUntilListening(timeout: .seconds(30))
    }

    /// Graceful shutdown, as on SIGTERM; returns when every service has stopped, with the
    /// error the group ended with, if any.
    public func shutdown() async throws {
        await group.triggerGracefulShutdown()
        let result = await task.result
        await assembly.shutdown()
        try result.get()
    }
}
