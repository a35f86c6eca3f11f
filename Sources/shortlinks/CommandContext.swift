import Logging
import ShortLinkApp

/// What every subcommand needs: configuration, logger, and a database bootstrap.
struct CommandContext {
    let configuration: AppConfiguration
    let logger: Logger
    let bootstrap: DatabaseBootstrap

    static func make(label: String) async throws -> CommandContext {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let configuration = try await AppConfiguration.load()
        let logger = Logger(label: "shortlinks.\(label)")
        return CommandContext(
            configuration: configuration, logger: logger, bootstrap: DatabaseBootstrap(configuration: configuration, logger: logger))
    }
}
