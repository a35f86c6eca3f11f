import AdminAPI
import ClickPipeline
import LibPQ
public import Logging
import NIOCore
import RedirectServer
import ServiceLifecycle
import Storage
import UnixSignals

/// `shortlinks serve`: prepares the database, then runs the services until SIGTERM/SIGINT.
public struct ServeOperation: Sendable {
    let bootstrap: DatabaseBootstrap
    let logger: Logger

    /// - Parameters:
    ///   - bootstrap: resolves (and, when embedded, starts) the database.
    ///   - logger: the root logger.
    public init(bootstrap: DatabaseBootstrap, logger: Logger) {
        self.bootstrap = bootstrap
        self.logger = logger
    }

    /// Migrates, builds the services for `role`, and runs them in one ServiceGroup.
    ///
    /// Pending migrations are applied first (under the migrator's advisory lock, so several
    /// instances starting together are safe). Returns after a graceful shutdown.
    public func run(role: ServeRole) async throws {
        MemoryTuning.configure()
        let configuration = limitConnections(bootstrap.configuration, role: role)
        let url = try await bootstrap.databaseURL()
        let pool = bootstrap.makePool(url: url)
        do {
            let applied = try await bootstrap.migrator(pool: pool).migrate()
            if !applied.isEmpty { logger.info("applied migrations", metadata: ["count": "\(applied.count)"]) }
            let assembly = try ServiceAssembly.build(
                configuration: configuration, role: role, pool: pool, databaseURL: url, logger: logger)
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: assembly.services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            do {
                try await group.run()
            } catch {
                await assembly.shutdown()
                throw error
            }
            await assembly.shutdown()
            if let counter = assembly.clickCounter {
                logger.info("clicks captured and counted, not stored (clicks.store=false)", metadata: ["clicks": "\(counter.clicks)"])
            }
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    /// Raises the descriptor limit to the hard limit and lowers the listeners' connection
    /// caps to what it allows (logged once), so connections never take the descriptors
    /// the rest of the process needs.
    private func limitConnections(_ configuration: AppConfiguration, role: ServeRole) -> AppConfiguration {
        let limit = FileDescriptorBudget.raiseLimit()
        let threads = (configuration.edge.eventLoops ?? NIOCore.System.coreCount) + configuration.clicks.pipeline.writers
        let budget = FileDescriptorBudget.plan(
            limit: limit, role: role, edgeConfigured: configuration.edge.maxConnections,
            adminConfigured: configuration.admin.maxConnections, databaseConnections: configuration.database.maxConnections,
            threads: threads)
        var limited = configuration
        var metadata: Logger.Metadata = ["limit": "\(budget.limit)", "reserve": "\(budget.reserve)"]
        if role != .admin {
            limited.edge.maxConnections = budget.edgeConnections
            metadata["edgeMaxConnections"] = "\(budget.edgeConnections)"
        }
        if role != .edge {
            limited.admin.maxConnections = budget.adminConnections
            metadata["adminMaxConnections"] = "\(budget.adminConnections)"
        }
        logger.info("file descriptors", metadata: metadata)
        return limited
    }
}
